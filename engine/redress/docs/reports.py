"""The "Annual report" section of a procedure's page: what its report definition (reports/*.yaml)
asks for, how Redress computes each figure from results, and the provision behind it."""

from __future__ import annotations

import datetime as dt
from functools import cache

from redress.docs import markdown as md
from redress.docs.context import DocsContext, Procedure
from redress.policy.report_definitions import ReportDefinition, load_definitions

HOW = {
    "received": "complaints whose {stage} opened in the period",
    "responded": "first responses at {stage} sent in the period",
    "upheld": "complaints received in the period whose decision was upheld",
    "partly_upheld": "complaints received in the period whose decision was partly upheld",
    "not_upheld": "complaints received in the period whose decision was not upheld",
    "well_founded": "complaints received in the period decided well-founded (without a recorded "
                    "decision: upheld or partly upheld)",
    "referred_to_ombudsman": "complaints referred to {ombudsman} in the period (the "
                             "referrals the body recorded)",
    "ombudsman_decisions": "Ombudsman decisions received in the period, by decision",
    "ombudsman_unmatched": "Ombudsman references that match no local case",
    "resolved_at_stage1": "of the stage 1 responses sent in the period, the share not escalated "
                          "to stage 2",
    "responded_on_time": "of the {stage} responses sent in the period, the share sent by the "
                         "response deadline or within an extension the procedure allows",
    "per_1000_homes": "complaints whose {stage} opened in the period, per 1,000 homes (the "
                      "landlord gives its number of homes)",
    "escalated": "complaints that went on to {stage} in the period",
    "withdrawn": "complaints withdrawn in the period",
    "compliments": "compliments recorded in the period",
    "representations": "comments recorded as representations in the period",
    "routed_elsewhere": "matters routed to another process in the period",
    "subject_matter": "complaints received in the period, by topic",
    "remedies": "remedies of complaints received in the period: made, completed on time, late, "
                "outstanding and overdue{source}",
    "cost": "recorded cost of complaints received in the period, per stage",
    "narrative": "not computed: for the complaints manager to write",
}
CONFIDENCE = {"verified": "read in the primary text",
              "partly_verified": "partly read, or read in a paraphrase",
              "unverified": "not read in the primary text"}


@cache
def _definitions() -> tuple[ReportDefinition, ...]:
    return tuple(load_definitions()[0])


def report_section(ctx: DocsContext, procedure: Procedure) -> str:
    definition = next((d for d in _definitions() if d.procedure == procedure.policy.id), None)
    if definition is None:
        return ""
    year = f", for the year ending {_day_of_year(definition.year_ends)}" \
        if definition.year_ends else ""
    head = [f"## {md.escape(definition.title)}", "",
            f"{md.prose(definition.summary)}\n" if definition.summary else "",
            f"**Required by:** {md.cite(definition.citation)} · **How often:** "
            f"{definition.period}{year} · **Provisions:** "
            f"{CONFIDENCE.get(definition.confidence, definition.confidence)}. "
            "Redress's report command computes these figures from the complaints' results.",
            ""]
    rows = [(md.escape(f.title), _how(f.measure, f.stage, f.ombudsman, f.source),
             md.cite(f.citation)) for f in definition.figures]
    parts = ["\n".join(head), md.table(["Figure", "How Redress computes it", "Citation"], rows)]
    if definition.note:
        parts.append(md.admonition("note", "Note", md.prose(definition.note)))
    return "\n\n".join(parts)


def _day_of_year(month_day: str) -> str:
    """``03-31`` → ``31 March``."""
    try:
        return f"{dt.date(2000, *map(int, month_day.split('-'))):%-d %B}"
    except (TypeError, ValueError):
        return md.escape(month_day)


def _how(measure: str, stage: str | None, ombudsman: tuple[str, ...],
         source: str | None) -> str:
    text = HOW.get(measure, measure)
    return text.format(
        stage=stage.replace("stage", "stage ") if stage else "any stage",
        ombudsman=md.join(list(ombudsman), "or") if ombudsman else "an Ombudsman",
        source={"ombudsman": " (recommended by the Ombudsman)", "local": " (agreed locally)"}
        .get(source or "", ""))


__all__ = ["report_section"]
