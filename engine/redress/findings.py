"""Findings: user mistakes as values.

A check never prints and never raises for a mistake in a policy, rule file or case; it yields
:class:`Finding` objects that carry a path into the document.  Only at the edge (``redress lint``,
``redress evaluate``) is the path turned into ``file:line:col`` through the loader's position map.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import StrEnum
from itertools import islice

from redress.frozen_dataclass import frozen_dataclass

PathPart = str | int
Path = tuple[PathPart, ...]
MAX_HINT_CHOICES = 200
MAX_HINT_WORD = 200


class Severity(StrEnum):
    """How serious a finding is. Errors stop evaluation; warnings do not."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class SourcePos:
    """A 1-based line and column in a source file."""

    line: int
    col: int


@frozen_dataclass
class Finding:
    """One problem found in a document.

    ``path`` addresses the offending value inside the document (``("stages", 0, "deadlines",
    1, "days")``).  ``file`` and ``pos`` are filled in by the code that knows the document.
    """

    check_id: str
    message: str
    path: Path = ()
    severity: Severity = Severity.ERROR
    file: str | None = None
    pos: SourcePos | None = None
    hint: str | None = None

    def under(self, *prefix: PathPart) -> Finding:
        """The same finding, addressed from an enclosing document."""
        return replace(self, path=(*prefix, *self.path))

    def located(self, file: str | None, pos: SourcePos | None) -> Finding:
        """The same finding with its file and position."""
        # Made in one step (a frozen dataclass's ``__init__`` sets each field by a call, and
        # ``dataclasses.replace`` costs more again): once per warning of every case.
        found = object.__new__(Finding)
        found.__dict__.update(self.__dict__, file=file, pos=pos)
        return found

    @property
    def is_error(self) -> bool:
        """Whether the finding is an error (not a warning or a note)."""
        return self.severity is Severity.ERROR

    def path_text(self) -> str:
        """The path in the dotted/indexed form officers read: ``stages[0].deadlines[1].days``."""
        return format_path(self.path)

    def render(self) -> str:
        """``file:line:col: severity: message [check-id]``."""
        where = self.file or "<input>"
        if self.pos is not None:
            where = f"{where}:{self.pos.line}:{self.pos.col}"
        text = f"{where}: {self.severity.value}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return f"{text} [{self.check_id}]"


def format_path(path: Path) -> str:
    """Render a path as ``a.b[0].c``; the empty path is ``<root>``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "<root>"


# C0 controls except tab and newline, DEL, C1 controls, lone surrogates, and the bidirectional
# overrides and isolates that make a line read differently from what it holds.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]")
EXCERPT_CHARS = 40


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_controls(text: str) -> str:
    """``text`` with every character that could drive a terminal (ESC, OSC, CR, …) written as a
    visible escape such as ``\\x1b``; newlines and tabs are kept."""
    return _CONTROL.sub(_escaped, text)


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """A short, single-line, escaped excerpt of untrusted text for a message (an unknown key
    may be a line of whatever file a link pointed at: never echo it whole)."""
    short = text if len(text) <= limit else text[:limit] + "…"
    return escape_controls(short).replace("\n", "\\n").replace("\t", "\\t")


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """``did you mean 'respond'?`` for a near miss, else ``None`` (every check's hint).

    Only a list of at most ``MAX_HINT_CHOICES`` names is searched (real lists hold a few dozen),
    so a hostile file with thousands of near-identical names costs linear time, not quadratic.
    """
    options = list(islice(choices, MAX_HINT_CHOICES + 1))
    if len(options) > MAX_HINT_CHOICES or len(word) > MAX_HINT_WORD:
        return None
    from difflib import get_close_matches  # only once a mistake is worded, not at every start

    close = get_close_matches(word, options, n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None


def choice_hint(word: object, choices: Iterable[object], short: int = 12) -> str | None:
    """A near miss (``did you mean 'responded'?``), spelling variants included (``_`` for
    ``-``), and the allowed values themselves when there are few enough to read in one line."""
    allowed = [str(c) for c in choices]
    near = None
    if isinstance(word, str):
        respelled = [w for w in (word.replace("_", "-"), word.replace("-", "_"), word.lower())
                     if w != word and w in allowed]
        near = f"did you mean '{respelled[0]}'?" if respelled else did_you_mean(word, allowed)
    listed = f"one of: {', '.join(allowed)}" if 0 < len(allowed) <= short else None
    return "; ".join(p for p in (near, listed) if p) or None


def sort_key(f: Finding) -> tuple[str, int, int, str, str]:
    """Deterministic output order: file, line, column, check id, message."""
    pos = f.pos or SourcePos(0, 0)
    return (f.file or "", pos.line, pos.col, f.check_id, f.message)


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.is_error for f in findings)


__all__ = ["Finding", "Path", "PathPart", "Severity", "SourcePos", "choice_hint", "did_you_mean",
           "escape_controls", "excerpt", "format_path",
           "has_errors",
           "sort_key"]


