"""Charts for the HTML report, drawn with matplotlib as SVG to embed inline (the file then works
offline, opened from disk).

Text is drawn as paths (``svg.fonttype: path``), so no label reaches the page as markup, and
mathtext is off for every label (``text.parse_math``), so a ``$`` in a procedure or service name
is drawn as written instead of being parsed as TeX; each chart has its own hash salt so the
element ids of two charts never clash.  No pyplot: figures are
built directly, so no global figure state is kept between reports.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # matplotlib is imported when a chart is drawn: it costs ~0.4 s at start-up
    from matplotlib.figure import Figure

COLOURS = {"on_time": "#2e7d32", "within_extension": "#f9a825", "late": "#c62828",
           "stage1": "#1565c0", "stage2": "#6a1b9a", "stage3": "#00838f",
           "compliments": "#2e7d32", "representations": "#ef6c00",
           "completed_on_time": "#2e7d32", "completed_late": "#f9a825",
           "outstanding": "#90a4ae", "overdue": "#c62828"}
_PROLOGUE = re.compile(r"^.*?(?=<svg)", re.S)


# Labels are untrusted text: never TeX.  Text objects read text.parse_math when they are made,
# so the settings are in force while a chart is built as well as while it is saved.
def _rc(**extra: str) -> Any:
    return {"svg.fonttype": "path", "text.parse_math": False, "text.usetex": False,
            **{key.replace("_", "."): value for key, value in extra.items()}}


def _svg(fig: Figure, name: str) -> str:
    import matplotlib

    with matplotlib.rc_context(_rc(svg_hashsalt=f"redress-{name}")):
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    svg = _PROLOGUE.sub("", buffer.getvalue(), count=1)
    return svg.replace("<svg ", f'<svg role="img" aria-labelledby="chart-{name}" ', 1)


def stacked_bars(name: str, title: str, labels: Sequence[str],
                 series: Mapping[str, Sequence[float]], horizontal: bool = True) -> str:
    """Bars for ``labels``, each stacked from ``series`` (series name → one value per label)."""
    import matplotlib

    with matplotlib.rc_context(_rc()):
        return _svg(_stacked_figure(title, labels, series, horizontal), name)


def _stacked_figure(title: str, labels: Sequence[str], series: Mapping[str, Sequence[float]],
                    horizontal: bool) -> Figure:
    from matplotlib.figure import Figure

    height = max(1.6, 0.45 * len(labels) + 1.2)
    fig = Figure(figsize=(7.5, height) if horizontal else (7.5, 3.4))
    ax = fig.add_subplot()
    base = [0.0] * len(labels)
    positions = list(range(len(labels)))
    for key, values in series.items():
        colour = COLOURS.get(key)
        label = key.replace("_", " ")
        if horizontal:
            ax.barh(positions, values, left=base, color=colour, label=label)
        else:
            ax.bar(positions, values, bottom=base, color=colour, label=label)
        base = [b + v for b, v in zip(base, values, strict=True)]
    if horizontal:
        ax.set_yticks(positions, [_short(x) for x in labels])
        ax.invert_yaxis()
    else:
        ax.set_xticks(positions, [_short(x) for x in labels], rotation=20, ha="right")
    ax.set_title(_short(title, 80), fontsize=10, loc="left")
    ax.legend(fontsize=8, frameon=False, loc="lower right" if horizontal else "best")
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


__all__ = ["stacked_bars"]
