"""Where a local policy departs from the statutory or Code limit of the policy it extends, and
why, as the overlay records it (``departs_from: {provision, reason}``).

Lint makes such a departure an error (a statutory limit) or a warning (a Code requirement)
unless the overlay records why; the page shows every recorded reason near the top, so that a
reviewer sees it before the timescales.  ``departs_from`` may sit on the item it concerns (a
deadline, a window, an entitlement, a stage, the time limit) or at the top of the policy, as a
mapping or a list of them; each is found wherever it is.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from redress.docs import markdown as md
from redress.docs import words
from redress.docs.context import DocsContext, Procedure

KEY = "departs_from"
_PLACES = {"time_limit": "Time limit for complaining", "ombudsman": "The Ombudsman route",
           "receipt": "Receipt", "eligibility": "Who may complain", "closures": "Closure days"}


def departures_section(ctx: DocsContext, procedure: Procedure) -> str:
    merged = procedure.current.merged
    rows = [(where(path, merged), md.escape(str(item.get("provision", ""))) or "—",
             md.prose(str(item.get("reason", ""))) or "—")
            for path, item in _departures(merged, ())]
    if not rows:
        return ""
    parent = procedure.entry.extends
    basis = (f" from {ctx.link_from(procedure.page, parent)}" if parent else "")
    intro = (f"This local policy departs{basis} where the law or a Code sets a limit, and "
             "records why. Check each reason before relying on the dates below.")
    return ("## Where it departs from the law or the Code\n\n"
            + md.admonition("warning", "Departures recorded by the policy", intro) + "\n"
            + md.table(["What", "Provision departed from", "Why, as the policy records it"], rows))


def _departures(node: Any, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], Mapping[str, Any]]]:
    if isinstance(node, Mapping):
        for key, value in node.items():
            if key == KEY:
                items = value if isinstance(value, list) else [value]
                yield from ((path, item) for item in items if isinstance(item, Mapping))
            else:
                yield from _departures(value, (*path, str(key)))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _departures(value, (*path, str(i)))


def where(path: tuple[str, ...], merged: Mapping[str, Any]) -> str:
    """The item a departure is recorded on, by its titles: ``Stage 1: Local resolution —
    Stage 1 response``."""
    if not path:
        return "The policy as a whole"
    head, rest = path[0], path[1:]
    if head == "stages" and rest:
        stage = (merged.get("stages") or {}).get(rest[0]) or {}
        number = rest[0].removeprefix("stage")
        label = words.stage_heading(int(number) if number.isdigit() else 0,
                                    str(stage.get("title", rest[0])))
        if len(rest) >= 3 and rest[1] == "deadlines":
            deadline = (stage.get("deadlines") or {}).get(rest[2]) or {}
            title = str(deadline.get("title") or words.DEADLINE_KINDS.get(rest[2], rest[2]))
            label += "" if title == label else f" — {title}"
        elif len(rest) >= 2 and rest[1] == "next":
            window = (stage.get("next") or {}).get("window") or {}
            label += " — " + str(window.get("title") or "asking for the next stage")
        return md.escape(label)
    if head == "entitlements" and rest:
        entitlement = (merged.get("entitlements") or {}).get(rest[0]) or {}
        return md.escape(str(entitlement.get("title") or words.plain(rest[0])))
    return md.escape(_PLACES.get(head, words.plain(" ".join(path))))
