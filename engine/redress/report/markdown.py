"""The report as Markdown: tables a complaints manager can paste into a committee paper.

Every string that came from a record or a definition is escaped for Markdown; the manager's
narrative keeps its headings and lists but cannot open HTML, a link or an image
(``narrative.to_markdown``).  A chart is given as the table of its figures.
"""

from __future__ import annotations

import re
from typing import Any

from redress.report.document import Cell, Chart, Document, Kpis, Link, Narrative, Para, Section, Table
from redress.report.narrative import to_markdown

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~&])")


def esc(text: Any) -> str:
    """Text safe inside a Markdown table cell: no markup, no line breaks, no raw HTML."""
    return _SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def _cell(cell: Cell) -> str:
    if isinstance(cell, Link):
        return f"{esc(cell.text)} ({esc(cell.url)})"
    return esc(cell)


def _table(table: Table) -> str:
    lines = [f"**{esc(table.caption)}**\n"] if table.caption else []
    lines += ["| " + " | ".join(esc(h) or " " for h in table.head) + " |",
              "|" + "---|" * len(table.head)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in table.rows]
    return "\n".join(lines) + "\n"


def write_markdown(doc: Document) -> str:
    parts = ["<!-- redress report -->\n", f"# {esc(doc.title)}\n"]
    parts += [f"{esc(p.text)}\n" for p in doc.lead]
    parts += [_section(s, 2) for s in doc.sections]
    return "\n".join(parts)


def _section(section: Section, level: int) -> str:
    out = [f"{'#' * level} {esc(section.title)}\n", *(_block(b) for b in section.blocks)]
    out += [_section(s, level + 1) for s in section.subsections]
    return "\n".join(out)


def _block(block: Any) -> str:
    if isinstance(block, Para):
        return f"{esc(block.text)}\n"
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Chart):
        return _table(Table(block.table.head, block.table.rows, block.title))
    if isinstance(block, Kpis):
        return "\n".join(f"- **{esc(k.value)}** {esc(k.label)}"
                         + (f" ({esc(k.note)})" if k.note else "") for k in block.items) + "\n"
    if isinstance(block, Narrative):
        return to_markdown(block.markdown) + "\n"
    raise TypeError(f"no Markdown for {type(block).__name__}")


__all__ = ["esc", "write_markdown"]
