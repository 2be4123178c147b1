"""Search hits on the verification page that read as sentences, one per entry.

Material's search indexes a page by its headings: each section's text is everything under the
heading run together, so a hit inside a table showed a block of cells without punctuation,
starting mid-row.  For the pages in :data:`ROW_PAGES` the tables are kept out of the theme's
index (``data-search-exclude``) and, after the build, each table row is added as its own entry:
linked to the row (its ``v1-11`` id) or to its section, titled by its number and subject, its
text one sentence per column ("Status: NOT VERIFIED.").
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from redress.docs.crossrefs import VERIFICATION

ROW_PAGES = (VERIFICATION,)
TITLE_WORDS = 14
_TABLE_LINE = re.compile(r"^\|.*\|\s*$")


def exclude_tables(markdown: str) -> str:
    """``markdown`` with each top-level pipe table inside a block the theme's search skips."""
    out: list[str] = []
    table: list[str] = []
    for line in [*markdown.split("\n"), ""]:
        if _TABLE_LINE.match(line):
            table.append(line)
            continue
        if table:
            out.extend(['<div markdown="1" data-search-exclude>', "", *table, "", "</div>"])
            table = []
        out.append(line)
    return "\n".join(out[:-1])


@dataclass
class _Row:
    section: str
    anchor: str | None
    cells: list[str] = field(default_factory=list)


class _Tables(HTMLParser):
    """The rows of every table in a built page, with their headers and nearest heading id."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.section = ""
        self.headers: list[str] = []
        self.rows: list[tuple[list[str], _Row]] = []
        self._row: _Row | None = None
        self._cell: list[str] | None = None
        self._in_head = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if re.fullmatch(r"h[1-6]", tag) and found.get("id"):
            self.section = str(found["id"])
        elif tag == "thead":
            self._in_head, self.headers = True, []
        elif tag == "tr" and not self._in_head:
            self._row = _Row(self.section, None)
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "span" and self._row is not None and found.get("id") and not self._row.cells:
            self._row.anchor = str(found["id"])

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            text = " ".join("".join(self._cell).split())
            if self._in_head:
                self.headers.append(text)
            elif self._row is not None:
                self._row.cells.append(text)
            self._cell = None
        elif tag == "thead":
            self._in_head = False
        elif tag == "tr" and self._row is not None:
            self.rows.append((list(self.headers), self._row))
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def row_entries(page_html: str, location: str) -> list[dict[str, str]]:
    """One search entry per table row of a built page (``location`` is the page's path)."""
    parser = _Tables()
    parser.feed(page_html)
    entries = []
    for headers, row in parser.rows:
        if not row.cells:
            continue
        numbered = bool(headers) and headers[0] == "#" and len(row.cells) > 1
        subject = row.cells[1] if numbered else row.cells[0]
        title = f"{row.cells[0]} {_short(subject)}" if numbered else _short(subject)
        sentences = [_sentence(h, c) for h, c in zip(headers[1:], row.cells[1:], strict=False) if c]
        entries.append({"location": f"{location}#{row.anchor or row.section}",
                        "title": html.escape(title, quote=False),
                        "text": "<p>" + html.escape(" ".join(sentences), quote=False) + "</p>"})
    return entries


def _short(text: str) -> str:
    """The subject of a row up to its first ``;`` outside brackets, at most
    :data:`TITLE_WORDS` words."""
    first, depth = text, 0
    for i, ch in enumerate(text):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if ch == ";" and depth <= 0:
            first = text[:i]
            break
    words = first.split()
    return " ".join(words[:TITLE_WORDS]) + ("…" if len(words) > TITLE_WORDS else "")


def _sentence(header: str, cell: str) -> str:
    text = f"{header}: {cell}" if header else cell
    return text if text.endswith((".", "!", "?")) else f"{text}."


def add_row_entries(site: Path, pages: tuple[str, ...] = ROW_PAGES) -> int:
    """Add the row entries of ``pages`` (docs paths) to the built site's search index, and to
    the offline plugin's copy of it; returns how many were added."""
    index_file = site / "search" / "search_index.json"
    if not index_file.is_file():
        return 0
    index: dict[str, Any] = json.loads(index_file.read_text(encoding="utf-8"))
    added = 0
    for page in pages:
        location = page.removesuffix(".md") + ".html"
        built = site / location
        if not built.is_file():
            continue
        entries = row_entries(built.read_text(encoding="utf-8"), location)
        docs = index["docs"]
        last = max((i for i, d in enumerate(docs) if d["location"].split("#")[0] == location),
                   default=len(docs) - 1)
        docs[last + 1:last + 1] = entries
        added += len(entries)
    text = json.dumps(index, ensure_ascii=False, separators=(",", ":"))
    index_file.write_text(text, encoding="utf-8")
    script = index_file.with_suffix(".js")
    if script.is_file():  # the offline plugin's copy, loaded from a script tag (file://)
        script.write_text(f"var __index = {text}", encoding="utf-8")
    return added
