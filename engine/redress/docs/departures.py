"""A local policy's page: where it departs from the law or the Code it extends, and why.

The departures are those :func:`redress.policy.departures.departures` finds for the newest
version against the same version of the extended policy; each shows the provision, what kind of
limit it is, what the local policy does instead and the reason it records (``departs_from``).
Lint reports a departure without a reason, so a built site normally shows only recorded ones.
"""

from __future__ import annotations

from redress.docs import markdown as md
from redress.docs.context import DocsContext, Procedure
from redress.policy.departures import NATURE_WORDS, Departure, departures, element_title


def departures_section(ctx: DocsContext, procedure: Procedure) -> str:
    """``## Where this policy departs from the law or the Code``, or nothing."""
    extended = ctx.procedures.get(procedure.entry.extends or "")
    if procedure.entry.kind != "local" or extended is None:
        return ""
    current = procedure.current
    theirs = {v.id: v.merged for v in extended.versions}
    base = theirs.get(current.id, extended.current.merged)
    found = departures(current.merged, base)
    if not found:
        return ""
    rows = [_row(d, element_title(base, d.path)) for d in found]
    return "\n\n".join([
        "## Where this policy departs from the law or the Code",
        f"This policy makes these changes to what {ctx.link_from(procedure.page, extended.id)} "
        "sets out as the law or an Ombudsman's code requires, with the reason it records.",
        md.table(("What", "The law or the Code", "This policy", "Why"), rows)])


def _row(departure: Departure, title: str) -> tuple[str, ...]:
    nature = NATURE_WORDS[departure.nature]
    reason = md.prose(departure.reason) if departure.reason else "**No reason recorded.**"
    return (md.escape(title), f"{md.escape(departure.provision)} ({nature})",
            md.escape(departure.summary), reason)
