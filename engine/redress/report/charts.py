"""Charts for the HTML report, drawn with matplotlib as SVG to embed inline (the file then works
offline, opened from disk, and prints sharply).

Text is drawn as paths (``svg.fonttype: path``), so no label reaches the page as markup, and
mathtext is off for every label (``text.parse_math``), so a ``$`` in a procedure or service name
is drawn as written instead of being parsed as TeX; each chart has its own hash salt so the
element ids of two charts never clash.  The legend sits below the plot, outside the axes, so it
never covers a bar.  No pyplot: figures are built directly, so no global figure state is kept
between reports.
"""

from __future__ import annotations

import io
import re
import textwrap
from typing import TYPE_CHECKING, Any

from redress.report.document import Chart

if TYPE_CHECKING:  # matplotlib is imported when a chart is drawn: it costs ~0.4 s at start-up
    from matplotlib.figure import Figure

# Okabe–Ito colours (distinguishable with colour-blindness), with fixed meanings where a series
# has one.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
           "#000000")
MEANINGS = {"On time": "#1b7837", "Within an extension": "#E69F00", "Late": "#b2182b",
            "Done on time": "#1b7837", "Done late": "#E69F00", "Not yet due": "#8c96a0",
            "Overdue": "#b2182b", "Upheld in full or in part": "#b2182b",
            "Not upheld or not yet decided": "#8c96a0"}
_PROLOGUE = re.compile(r"^.*?(?=<svg)", re.S)


def _rc(**extra: str) -> Any:
    return {"svg.fonttype": "path", "text.parse_math": False, "text.usetex": False,
            **{key.replace("_", "."): value for key, value in extra.items()}}


def draw(chart: Chart) -> str:
    """The chart as an inline SVG element, labelled by its caption and described by its table."""
    import matplotlib

    with matplotlib.rc_context(_rc(svg_hashsalt=f"redress-{chart.name}")):
        fig = figure(chart)
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    svg = _PROLOGUE.sub("", buffer.getvalue(), count=1)
    return svg.replace("<svg ", f'<svg role="img" aria-labelledby="chart-{chart.name}" '
                       f'aria-describedby="chart-{chart.name}-data" ', 1)


def figure(chart: Chart) -> Figure:
    """The matplotlib figure of a chart (also used by the tests to check the legend's place)."""
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context(_rc()):
        n = len(chart.labels)
        size = (7.2, max(2.2, 0.42 * n + 1.6)) if chart.horizontal else (7.2, 3.6)
        fig = Figure(figsize=size, layout="constrained")
        ax = fig.add_subplot()
        _bars(ax, chart)
        ax.set_title(_wrap(chart.title, 80), fontsize=10, loc="left")
        ax.spines[["top", "right"]].set_visible(False)
        if len(chart.series) > 1:
            fig.legend(loc="outside lower center", ncols=min(len(chart.series), 3), fontsize=8,
                       frameon=False)
    return fig


def _bars(ax: Any, chart: Chart) -> None:
    positions = list(range(len(chart.labels)))
    base = [0.0] * len(chart.labels)
    spare = iter(PALETTE)
    for name, values in chart.series:
        colour = MEANINGS.get(name) or next(spare, None)
        if chart.horizontal:
            ax.barh(positions, values, left=base, color=colour, label=_wrap(name, 40))
        else:
            ax.bar(positions, values, bottom=base, color=colour, label=_wrap(name, 40))
        base = [b + v for b, v in zip(base, values, strict=True)]
    labels = [_wrap(x, 34) for x in chart.labels]
    if not any(base):
        _nothing_to_draw(ax, chart.horizontal)
    if chart.horizontal:
        ax.set_yticks(positions, labels, fontsize=8)
        ax.invert_yaxis()
        ax.xaxis.get_major_locator().set_params(integer=True)
    else:
        ax.set_xticks(positions, labels, rotation=45 if len(labels) > 6 else 0, ha="right"
                      if len(labels) > 6 else "center", fontsize=8)
        ax.yaxis.get_major_locator().set_params(integer=True)


def _nothing_to_draw(ax: Any, horizontal: bool) -> None:
    """Every bar is zero (in a publication, every count may be suppressed): matplotlib would
    centre an empty axis on 0 with negative ticks, which reads as a broken chart."""
    (ax.set_xlim if horizontal else ax.set_ylim)(0, 1)
    ax.text(0.5, 0.5, "No count here is large enough to draw: see the table below.",
            transform=ax.transAxes, ha="center", va="center", fontsize=9, color="#444444")


def _wrap(text: str, width: int, lines: int = 3) -> str:
    return "\n".join(textwrap.wrap(text, width, max_lines=lines, placeholder="…")) or text


__all__ = ["draw", "figure"]
