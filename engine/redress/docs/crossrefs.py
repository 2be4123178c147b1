"""Cross-references to the verification page become links.

Policies cite their research as "(verification 1.11)" or "(verification §0.2)".  On the site each
becomes a link to that entry of ``legal/verification.md``: :func:`anchor_entries` gives every
numbered row (``| 1.11 | …``) and every numbered heading (``## 4. …``, ``### 0.2 …``) an id, and
:func:`link_references` turns the references on any other page into links to the ids that
exist.  A number with no entry stays plain text, so a link never points nowhere.
"""

from __future__ import annotations

import posixpath
import re

VERIFICATION = "legal/verification.md"

_ROW = re.compile(r"^\| (\d+(?:\.\d+)+) \|", re.M)
_HEADING = re.compile(r"^(#{2,4}) (\d+(?:\.\d+)*)\.? ", re.M)
_NUMBER = r"§?\d+(?:\.\d+)*"
_REFERENCE = re.compile(rf"\bverification ({_NUMBER}(?:(?:, | and ){_NUMBER})*)")
_FENCE = re.compile(r"^(```|~~~).*?^\1", re.M | re.S)


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

    out, last = [], 0
    for fence in _FENCE.finditer(text):
        out.append(_REFERENCE.sub(reference, text[last:fence.start()]))
        out.append(fence.group(0))
        last = fence.end()
    out.append(_REFERENCE.sub(reference, text[last:]))
    return "".join(out)
