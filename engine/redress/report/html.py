"""The report as one self-contained HTML page: the summary, charts (inline SVG, each with its
figures as a table for screen readers), the manager's narrative, then the detail.

No script, no web font, no external request: the file opens from disk, and prints (or saves as
PDF from a browser) as an A4 document, each section on a new page, charts sized to the page.
Every string from a record, a definition or the narrative is escaped (the narrative through
``narrative.to_html``, which renders no raw HTML).
"""

from __future__ import annotations

from html import escape
from typing import Any

from redress.report.charts import draw
from redress.report.document import (
    Cell,
    Chart,
    Document,
    Kpis,
    Link,
    Narrative,
    Para,
    Section,
    Table,
)
from redress.report.narrative import to_html

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Arial,sans-serif;margin:2rem auto;
max-width:64rem;color:#1b1b1b;line-height:1.45;padding:0 1rem}
h1{font-size:1.7rem;margin-bottom:.2rem}
h2{border-bottom:2px solid #0b4f8a;padding-bottom:.2rem;margin-top:2.4rem}
h3{margin-top:1.6rem}
table{border-collapse:collapse;margin:.6rem 0 1.2rem;font-size:.88rem}
caption{text-align:left;font-weight:600;padding:.2rem 0;caption-side:top}
th,td{border:1px solid #c8ccd4;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#eef2f8}td.n{text-align:right;font-variant-numeric:tabular-nums}
.charts .grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(28rem,1fr));gap:1rem}
figure{margin:0;border:1px solid #e0e4ea;padding:.5rem;border-radius:4px}
figure svg{width:100%;height:auto;display:block}
figcaption{font-size:.85rem;color:#333;margin-top:.3rem}
details.chart-data summary{cursor:pointer;font-size:.8rem;color:#0b4f8a}
.cite{font-size:.8rem;color:#444}.note{font-size:.85rem;background:#fff8e1;padding:.4rem .6rem}
.kpis{display:grid;grid-template-columns:repeat(auto-fill,minmax(11rem,1fr));gap:.7rem;
margin:1rem 0}
.kpi{border:1px solid #c8ccd4;border-radius:4px;padding:.5rem .8rem}
.kpi b{display:block;font-size:1.45rem}.kpi small{display:block;color:#444;margin-top:.2rem}
.narrative{max-width:46rem}
@media print{
@page{size:A4;margin:15mm 14mm 16mm}
body{max-width:none;margin:0;padding:0;font-size:9.5pt;line-height:1.35}
section.report-section{break-before:page}
section.report-section.first{break-before:auto}
h2,h3,caption{break-after:avoid}
h2{margin-top:0}
.charts .grid{display:block}
figure{break-inside:avoid;border:none;padding:0;margin:0 0 5mm}
figure svg{width:auto;max-width:100%;max-height:112mm;margin:0 auto}
details.chart-data{display:none}
table{font-size:8pt;width:100%}tr,.kpi{break-inside:avoid}thead{display:table-header-group}
.kpis{grid-template-columns:repeat(4,1fr);gap:3mm}.kpi b{font-size:13pt}
a{color:inherit;text-decoration:none}
.note{background:none;border-left:2px solid #e6a700}
}
"""


def e(value: Any) -> str:
    return escape(str(value), quote=True)


def write_html(doc: Document) -> str:
    body = [f"<header><h1>{e(doc.title)}</h1>", *(_para(p) for p in doc.lead), "</header>"]
    body += [_section(s, first=(i == 0)) for i, s in enumerate(doc.sections)]
    return ("<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            "<meta name=\"generator\" content=\"redress report\">"
            f"<title>{e(doc.title)}</title><style>{_CSS}</style></head><body><main>"
            + "\n".join(body) + "</main></body></html>\n")


def _section(section: Section, first: bool = False, level: int = 2) -> str:
    classes = "report-section" + (" first" if first else "") + (
        " charts" if section.id == "charts" else "")
    inner = [_block(b) for b in section.blocks]
    if section.id == "charts":
        inner = ['<div class="grid">', *inner, "</div>"]
    inner += [_section(s, level=level + 1) for s in section.subsections]
    cls = f' class="{classes}"' if level == 2 else ""
    return (f'<section id="{e(section.id)}"{cls}><h{level}>{e(section.title)}</h{level}>'
            + "\n".join(inner) + "</section>")


def _block(block: Any) -> str:
    if isinstance(block, Para):
        return _para(block)
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Chart):
        return _chart(block)
    if isinstance(block, Kpis):
        return '<div class="kpis">' + "".join(
            f'<div class="kpi"><b>{e(k.value)}</b>{e(k.label)}'
            + (f"<small>{e(k.note)}</small>" if k.note else "") + "</div>"
            for k in block.items) + "</div>"
    if isinstance(block, Narrative):
        return f'<div class="narrative">{to_html(block.markdown)}</div>'
    raise TypeError(f"no HTML for {type(block).__name__}")


def _para(p: Para) -> str:
    cls = f' class="{e(p.style)}"' if p.style else ""
    return f"<p{cls}>{e(p.text)}</p>"


def _cell(cell: Cell) -> str:
    if isinstance(cell, Link):
        return f'<a href="{e(cell.url)}">{e(cell.text)}</a>'
    return e(cell)


def _table(table: Table, table_id: str = "") -> str:
    ident = f' id="{e(table_id)}"' if table_id else ""
    caption = f"<caption>{e(table.caption)}</caption>" if table.caption else ""
    head = "".join(f'<th scope="col">{e(h)}</th>' for h in table.head)
    rows = "".join(
        "<tr>" + "".join(
            (f'<th scope="row">{_cell(c)}</th>' if i == 0 else
             f'<td class="n">{_cell(c)}</td>' if table.numeric else f"<td>{_cell(c)}</td>")
            for i, c in enumerate(row)) + "</tr>"
        for row in table.rows)
    return f"<table{ident}>{caption}<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _chart(chart: Chart) -> str:
    caption = chart.title + (f". {chart.caption}" if chart.caption else "")
    return (f"<figure>{draw(chart)}"
            f'<figcaption id="chart-{e(chart.name)}">{e(caption)}</figcaption>'
            '<details class="chart-data"><summary>The figures in this chart</summary>'
            f"{_table(chart.table, f'chart-{chart.name}-data')}</details></figure>")


__all__ = ["write_html"]
