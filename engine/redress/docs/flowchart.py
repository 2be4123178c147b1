"""A policy's stages as a Mermaid flowchart: receipt, each stage with its clocks, the windows
for asking for the next stage, extensions, excluded matters and the Ombudsman exit.

The output is Mermaid source for a fenced ```` ```mermaid ```` block; the site renders it to SVG
in the browser with the Mermaid copy it ships (nothing is fetched from a CDN).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from redress.docs import words
from redress.policy.model import DeadlineRule, OmbudsmanRoute, Policy, Stage


def label(*lines: str) -> str:
    """A quoted Mermaid label; the first line bold, lines joined by ``<br/>``."""
    safe = [_escape(line) for line in lines if line]
    if safe:
        safe[0] = f"<b>{safe[0]}</b>"
    return '"' + "<br/>".join(safe) + '"'


_DIRECTIVE = re.compile(r"%%\{.*?\}%%", re.DOTALL)
# Characters a label may hold as they are; anything else (quotes, <, >, %, {, }, #, `, |, …)
# is written as a Mermaid entity, so policy text can neither close the label nor smuggle in a
# directive, HTML or Markdown.
_PLAIN = re.compile(r"[\w .,:;()'/+?!=\-–—’‘…]")


def _escape(text: str) -> str:
    text = " ".join(_DIRECTIVE.sub("", text).split())
    return "".join(ch if _PLAIN.fullmatch(ch) else f"#{ord(ch)};" for ch in text)


def edge_label(text: str) -> str:
    return "|" + label(text).replace("<b>", "").replace("</b>", "") + "|"


def flowchart(policy: Policy, titles: Mapping[str, str]) -> str:
    """Mermaid source for ``policy``; ``titles`` names other procedures by id (for exclusions)."""
    lines = ["flowchart TD", f"  received([{label('Complaint received')}])"]
    lines.extend(_exclusions(policy, titles))
    previous = "received"
    for stage in policy.stages:
        lines.extend(_stage_node(stage))
        lines.append(f"  {previous} {_arrow_into(stage, policy)} {stage.id}")
        lines.extend(_extensions(stage))
        previous = stage.id
    lines.extend(_ombudsman(policy, previous))
    lines.extend(_styles(policy))
    return "\n".join(lines)


def _arrow_into(stage: Stage, policy: Policy) -> str:
    if stage.number == 1:
        return "-->"
    before = policy.stages[stage.number - 2]
    window = before.window
    if window is None:
        return "-->" + edge_label(f"complainant asks for stage {stage.number} (no time set)")
    clock = words.short_clock(window.period, window.anchor, counting=window.counting)
    clock += words.short_limbs(window)
    late = ("a late request is at the body's discretion" if window.late == "discretion"
            else "a late request is refused")
    return "-->" + edge_label(f"asks within {clock} ({late})")


def _clock(rule: DeadlineRule) -> str:
    if rule.agreed_period:
        return words.agreed_text(rule)
    text = words.short_clock(rule.period, rule.anchor, rule.anchor_deadline, rule.counting)
    return text + (" (or as soon as practicable)" if rule.tail else "")


def _stage_node(stage: Stage) -> list[str]:
    clocks = [f"{words.DEADLINE_KINDS.get(d.kind, d.title)}: {_clock(d)}"
              for d in stage.deadlines if not d.is_extension]
    heading = words.stage_heading(stage.number, stage.title)
    return [f"  {stage.id}[{label(heading, *clocks)}]"]


def _extensions(stage: Stage) -> list[str]:
    out = []
    for d in stage.deadlines:
        if not d.is_extension:
            continue
        node = f"{stage.id}_{d.kind}"
        heading = "Extension" if d.kind.endswith("_extended") \
            else words.DEADLINE_KINDS.get(d.kind, "Extension")
        text = label(heading, _clock(d))
        out.append(f"  {node}{{{{{text}}}}}")
        how = {"notify": "complainant told", "agree": "complainant agrees"}.get(d.consent or "",
                                                                               "extended")
        out.append(f"  {stage.id} -.-{edge_label(how)} {node}")
    return out


def _exclusions(policy: Policy, titles: Mapping[str, str]) -> list[str]:
    groups: dict[str | None, list[str]] = {}
    for exclusion in policy.exclusions:
        groups.setdefault(exclusion.goes_to, []).append(exclusion.title)
    out = []
    for i, (goes_to, matters) in enumerate(groups.items()):
        node = f"excluded{i}"
        where = titles.get(goes_to, goes_to) if goes_to else "Not dealt with under this procedure"
        count = f"{len(matters)} excluded matter{'s' if len(matters) > 1 else ''}"
        out.append(f"  {node}[/{label(where, count)}/]")
        out.append(f"  received -.-{edge_label('excluded matter')} {node}")
    return out


def _routes(policy: Policy) -> list[OmbudsmanRoute]:
    return list(policy.ombudsman_routes)


def _ombudsman(policy: Policy, last: str) -> list[str]:
    routes = _routes(policy)
    out = []
    if len(routes) > 1:
        out.append(f"  which{{{label('Which Ombudsman?')}}}")
        out.append(f"  {last} -->{edge_label('still dissatisfied after the final response')} which")
    for route in routes:
        node = f"ombudsman_{route.body}"
        limit = route.time_limit
        within = (f"within {words.short_clock(limit.period, limit.anchor, counting=limit.counting)}"
                  f"{words.short_limbs(limit)}" if limit else "")
        out.append(f"  {node}[({label(route.title, within)})]")
        if len(routes) > 1:
            out.append(f"  which --> {node}")
        else:
            out.append(f"  {last} -->{edge_label('still dissatisfied after the final response')} {node}")
    return out


def _styles(policy: Policy) -> list[str]:
    stages = ",".join(s.id for s in policy.stages)
    out = ["  classDef stage fill:#e8eaf6,stroke:#3949ab,color:#1a237e",
           "  classDef ext fill:#fff8e1,stroke:#f9a825,color:#5d4037",
           "  classDef omb fill:#e0f2f1,stroke:#00796b,color:#004d40",
           "  classDef out fill:#fafafa,stroke:#9e9e9e,color:#424242"]
    if stages:
        out.append(f"  class {stages} stage")
    exts = ",".join(f"{s.id}_{d.kind}" for s in policy.stages for d in s.deadlines if d.is_extension)
    if exts:
        out.append(f"  class {exts} ext")
    routes = ",".join(f"ombudsman_{r.body}" for r in _routes(policy))
    if routes:
        out.append(f"  class {routes} omb")
    groups = {e.goes_to for e in policy.exclusions}
    if groups:
        out.append(f"  class {','.join(f'excluded{i}' for i in range(len(groups)))} out")
    return out
