"""The report as a document: sections of paragraphs, tables, charts, headline figures and the
manager's narrative, in words, ready for the Markdown and HTML writers.

``layout`` builds it from the report's data (choosing words for ids, and leaving out or
suppressing what a publication must not show); the writers only format it, so the two formats
cannot disagree on a figure.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Link:
    text: str
    url: str


Cell = str | Link


@dataclass(frozen=True)
class Table:
    head: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    caption: str = ""
    numeric: bool = True          # columns after the first hold figures (right-aligned)


@dataclass(frozen=True)
class Para:
    text: str
    style: str = ""               # "note", "cite" or ""


@dataclass(frozen=True)
class Chart:
    """Bars for ``labels``, stacked from ``series``; ``table`` is its text alternative."""

    name: str
    title: str
    labels: tuple[str, ...]
    series: tuple[tuple[str, tuple[float, ...]], ...]   # (series words, one value per label)
    table: Table
    horizontal: bool = True
    caption: str = ""


@dataclass(frozen=True)
class Kpi:
    value: str
    label: str
    note: str = ""


@dataclass(frozen=True)
class Kpis:
    items: tuple[Kpi, ...]


@dataclass(frozen=True)
class Narrative:
    markdown: str                 # untrusted: each writer renders it safely


Block = Para | Table | Chart | Kpis | Narrative


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    blocks: tuple[Block, ...] = ()
    subsections: tuple[Section, ...] = ()


@dataclass(frozen=True)
class Document:
    title: str
    lead: tuple[Para, ...]
    sections: tuple[Section, ...] = field(default_factory=tuple)


__all__ = ["Block", "Cell", "Chart", "Document", "Kpi", "Kpis", "Link", "Narrative", "Para",
           "Section", "Table"]
