"""Cross-references to the verification page become links.

Policies cite their research as "(verification 1.11)" or "(verification §0.2)".  On the site each
becomes a link to that entry of ``legal/verification.md``: :func:`anchor_entries` gives every
numbered row (``| 1.11 | …``) and every numbered heading (``## 4. …``, ``### 0.2 …``) an id, and
:func:`link_references` turns the references on any other page into links to the ids that
exist.  A number with no entry stays plain text, so a link never points nowhere; a reference
inside a link's text (a citation's provision) stays text too.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Mapping

from redress.docs.markdown import escape

VERIFICATION = "legal/verification.md"

_ROW = re.compile(r"^\| (\d+(?:\.\d+)+) \|", re.M)
_HEADING = re.compile(r"^(#{2,4}) (\d+(?:\.\d+)*)\.? ", re.M)
_NUMBER = r"§?\d+(?:\.\d+)*"
_REFERENCE = re.compile(rf"\bverification ({_NUMBER}(?:(?:, | and ){_NUMBER})*)")
# Left alone: code fences and spans, and links, whose text may already cite "verification 7.5"
# (a link inside a link's text would break both).
_KEPT = re.compile(r"^(```|~~~).*?^\1|`[^`\n]*`|\[[^\]\n]*\]\([^)\s]*\)", re.M | re.S)


def _row_id(number: str) -> str:
    return "v" + number.replace(".", "-")


def _section_id(number: str) -> str:
    return "s" + number.replace(".", "-")


def anchor_entries(text: str) -> tuple[str, frozenset[str]]:
    """The verification page with an id on each numbered entry, and the ids it now has."""
    ids: set[str] = set()

    def row(match: re.Match[str]) -> str:
        ids.add(_row_id(match.group(1)))
        return f'| <span id="{_row_id(match.group(1))}"></span>{match.group(1)} |'

    def heading(match: re.Match[str]) -> str:
        ids.add(_section_id(match.group(2)))
        return f'<span id="{_section_id(match.group(2))}"></span>\n\n{match.group(0)}'

    return _HEADING.sub(heading, _ROW.sub(row, text)), frozenset(ids)


def link_references(text: str, page: str, ids: frozenset[str]) -> str:
    """``text`` (the Markdown of ``page``) with each verification reference linked; code
    fences are left alone."""
    target = posixpath.relpath(VERIFICATION, posixpath.dirname(page) or ".")

    def one(number: str) -> str:
        bare = number.lstrip("§")
        choices = [_section_id(bare)] if number.startswith("§") else [_row_id(bare),
                                                                       _section_id(bare)]
        found = next((i for i in choices if i in ids), None)
        return f"[{number}]({target}#{found})" if found else number

    def reference(match: re.Match[str]) -> str:
        linked = re.sub(_NUMBER, lambda m: one(m.group(0)), match.group(1))
        return f"verification {linked}"

    return _outside_kept(text, _REFERENCE, reference)


def _outside_kept(text: str, pattern: re.Pattern[str],
                  replace: Callable[[re.Match[str]], str]) -> str:
    """``pattern`` replaced in ``text`` except inside code fences and links (:data:`_KEPT`)."""
    out, last = [], 0
    for kept in _KEPT.finditer(text):
        out.append(pattern.sub(replace, text[last:kept.start()]))
        out.append(kept.group(0))
        last = kept.end()
    out.append(pattern.sub(replace, text[last:]))
    return "".join(out)


_AMBIGUITY = re.compile(r"\bambiguity ([a-z0-9]+(?:[-_][a-z0-9]+)*)\b")


def ambiguity_anchor(ambiguity_id: str) -> str:
    """The id of an ambiguity's heading on its procedure page."""
    return f"ambiguity-{ambiguity_id}"


def link_ambiguities(text: str, titles: Mapping[str, str]) -> str:
    """A policy's notes name an open question by its id ("ambiguity day-counting"); on the page
    that becomes a link to the question's heading, by its title.  Unknown ids stay as written."""

    def one(match: re.Match[str]) -> str:
        found = titles.get(match.group(1))
        if found is None:
            return match.group(0)
        return f"the question “[{escape(found)}](#{ambiguity_anchor(match.group(1))})”"

    return _outside_kept(text, _AMBIGUITY, one)

