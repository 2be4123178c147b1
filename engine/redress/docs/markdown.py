"""Small Markdown builders: tables, links, citations and lists, escaped for Python-Markdown."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from redress.policy.model import Citation

_CELL_BREAK = re.compile(r"\s*\n\s*")
_WEB = re.compile(r"^https?://[^\s<>\"'`]+$", re.IGNORECASE)
# A block marker at the start of a line: its last character is written as an entity.
_BLOCK_START = re.compile(r"^(\s*)(\d*)([#>+\-=|!?:~.)])")


def cell(text: object) -> str:
    """Text safe inside a table cell: one line, pipes escaped (except inside `code` spans,
    which Python-Markdown's tables already leave alone)."""
    parts = _CELL_BREAK.sub(" ", str(text)).strip().split("`")
    if len(parts) % 2 == 0:
        return "`".join(parts).replace("|", "\\|")
    return "`".join(p if i % 2 else p.replace("|", "\\|") for i, p in enumerate(parts))


def table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A pipe table; every cell is passed through ``cell``."""
    lines = ["| " + " | ".join(cell(h) for h in headers) + " |",
             "|" + "|".join(" --- " for _ in headers) + "|"]
    lines.extend("| " + " | ".join(cell(c) or " " for c in row) + " |" for row in rows)
    return "\n".join(lines)


def link(text: str, url: str) -> str:
    """``[text](url)``, or the bare text when there is no url or it is not a web address
    (the schema allows only http/https; a ``javascript:`` link must never reach a page)."""
    if not url or not _WEB.match(url):
        return escape(text)
    return f"[{escape(text)}]({url.replace(' ', '%20').replace(')', '%29')})"


def escape(text: str) -> str:
    """Text with Markdown's specials escaped (for link text and prose from YAML): the inline
    ones, braces (an attribute list ``{: onclick=…}`` after a heading, cell, link or bold text
    would set HTML attributes), ``<``, and a block marker at the start (``#``, ``>``, ``-``,
    ``!!!``, ``???``, ``1.``), which would make the text a heading, quote, list or admonition
    wherever it starts a line."""
    text = re.sub(r"([\\`*_\[\]{}])", r"\\\1", text).replace("<", "&lt;")
    return _BLOCK_START.sub(lambda m: m.group(1) + m.group(2) + f"&#{ord(m.group(3))};", text,
                            count=1)


def code(text: str) -> str:
    """Any one-line text as a code span, however many backticks it holds (the fence is one
    backtick longer than the longest run inside)."""
    text = " ".join(str(text).split())
    fence = "`" * (max((len(r) for r in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def cite(citation: Citation | None) -> str:
    """A citation as a link to the legislation or guidance: ``[SI 2006/1738 reg 14(2)](url)``."""
    if citation is None or not citation.text:
        return "—"
    return link(citation.text, citation.url)


def words(token: str) -> str:
    """``child_in_need`` → ``child in need``."""
    return token.replace("_", " ").replace("-", " ")


def join(items: Sequence[str], last: str = "and") -> str:
    """``a, b and c``."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {last} {items[-1]}"


def bullets(items: Iterable[str]) -> str:
    return "\n".join(f"- {item}" for item in items)


def admonition(kind: str, title: str, body: str, collapsible: bool = False,
               expanded: bool = False) -> str:
    """A Material admonition (``!!! note``) or collapsible block (``??? note``, open: ``???+``).

    ``title`` is plain text: it is escaped, since the title (a details summary) is Markdown."""
    marker = ("???+" if expanded else "???") if collapsible else "!!!"
    inner = "\n".join(f"    {line}" if line else "" for line in body.splitlines())
    return f'{marker} {kind} "{escape(title).replace(chr(34), chr(39))}"\n\n{inner}\n'


def notes(items: Iterable[tuple[str, str | None]]) -> str:
    """The policy's ``note`` caveats on the units of a table, as a Material note box under it.

    ``items`` are (label, note) pairs, the label already Markdown; units without a note are
    left out, and with no notes at all the result is empty.
    """
    found = [(label, text) for label, text in items if text]
    if not found:
        return ""
    if len(found) == 1:
        label, text = found[0]
        return admonition("note", "Note", f"**{label}:** {prose(text)}").rstrip()
    return admonition("note", "Notes", bullets(f"**{label}:** {prose(text)}"
                                                for label, text in found)).rstrip()


def sentence(text: str) -> str:
    """Folded YAML prose as one sentence-ended paragraph."""
    text = " ".join(text.split())
    if not text or text[-1] in ".!?:" or text.endswith((".)", ".”", '."')):
        return text
    return f"{text}."


def prose(text: str) -> str:
    """Officer-written YAML text as a Markdown paragraph: folded, full stop added, Markdown's
    specials escaped except in `code` spans, which stay code."""
    parts = sentence(text).split("`")
    if len(parts) % 2 == 0:  # an unpaired backtick: escape everything
        return escape(sentence(text))
    return "".join(f"`{p}`" if i % 2 else escape(p) for i, p in enumerate(parts))
