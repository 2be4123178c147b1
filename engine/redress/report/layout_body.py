"""The report's later sections in words: learning and actions, the Ombudsman, remedies and cost,
records that are not complaints, how the figures are counted, and records in error."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from redress.report.document import Para, Section, Table
from redress.report.present import Presenter, day, money
from redress.report.words import stage_words, word

STATES = ("completed_on_time", "completed_late", "outstanding", "overdue")


def learning_section(report: Mapping[str, Any], p: Presenter) -> Section | None:
    found = report.get("learning")
    if not found or not found["cases"]:
        return None
    blocks: list[Any] = [Table(
        ("Service", "Complaints with learning recorded", "Actions taken"),
        tuple((word("service", s), p.n(v["cases"]), p.n(v["actions"]))
              for s, v in found["by_service"].items()), "Learning and actions, by service")]
    head = ("Service", "What we learned", "What we did")
    rows = []
    for item in sorted(found["items"], key=lambda i: str(i["service"])):
        row = (word("service", item["service"]), item["learning"] or "–",
               _sentences(item["actions"]) or "–")
        rows.append(row if p.publish else (*row, str(item["case_id"])))
    blocks.append(Table(head if p.publish else (*head, "Case"), tuple(rows),
                        "You said, we did: the learning and actions recorded on complaints",
                        numeric=False))
    return Section("learning", "Learning from complaints", tuple(blocks))


def _sentences(actions: Any) -> str:
    """Each action as its own sentence: officers write them capitalised, so a "; " join put a
    capital letter mid-sentence."""
    return " ".join(a if a.rstrip().endswith((".", "!", "?")) else f"{a.rstrip()}."
                    for a in (str(x) for x in actions) if a.strip())


def ombudsman_section(report: Mapping[str, Any], p: Presenter) -> Section:
    omb = report["ombudsman"]
    comp = omb.get("compliance") or {}
    blocks: list[Any] = [Para(
        f"Decisions the Ombudsman made in the period: {p.n(sum(omb['decisions'].values()))}. "
        f"Investigations upheld: {p.of(omb.get('upheld_rate'))}. Recommendations made in those "
        f"decisions: {p.n((omb.get('recommendations') or {}).get('made'))}. Recommendations "
        f"due in the period: {p.n(comp.get('due'))}, carried out on time "
        f"{p.of(comp.get('on_time'))}, carried out at all {p.of(comp.get('complied'))}; "
        f"overdue {p.n(comp.get('overdue'))}. Complaints referred to an Ombudsman in the "
        f"period: {p.n(len(omb['referred']))}.")]
    outcomes = omb.get("by_outcome") or omb["decisions"]
    blocks.append(Table(("Decision", "Decisions"),
                        tuple((word("ombudsman_decision", k), p.n(v)) for k, v in outcomes.items()),
                        "Ombudsman decisions in the period, by outcome"))
    kinds = (omb.get("recommendations") or {}).get("by_kind") or {}
    if kinds:
        blocks.append(Table(("Recommendation", "Made"),
                            tuple((word("remedy", k), p.n(v)) for k, v in kinds.items()),
                            "Recommendations in the Ombudsman's decisions of the period"))
    if not p.publish:
        blocks += _cross_reference(omb)
    return Section("ombudsman", "Ombudsman", tuple(blocks))


def _by_date(row: Mapping[str, Any]) -> tuple[str, str, str]:
    """Oldest first, as a reader scans a list of decisions; undated rows last."""
    when = row["decided"] or row["referred"]
    return (str(when) if when else "9999", str(row["referred"] or ""), str(row["case_id"] or ""))


def _cross_reference(omb: Mapping[str, Any]) -> list[Any]:
    """Which local case each Ombudsman decision and referral came from: for the complaints
    manager, never in a publication."""
    def rows(items: Any) -> tuple[tuple[str, ...], ...]:
        return tuple((day(r["decided"]) if r["decided"] else "–", word("ombudsman", r["body"]),
                      r["reference"] or "none recorded", r["case_id"] or "–",
                      day(r["referred"]) if r["referred"] else "–",
                      word("ombudsman_decision", r["decision"]) if r["decision"] else "–")
                     for r in sorted(items, key=_by_date))

    head = ("Decided", "Ombudsman", "Ombudsman's reference", "Our case", "Referred", "Decision")
    return [Table(head, rows(omb["decided"]), "Decisions in the period and the case each came "
                  "from (not for publication)", numeric=False),
            Table(head, rows(omb["referred"]), "Referrals in the period (not for publication)",
                  numeric=False),
            Para("Ombudsman references that match no case of ours: "
                 + (", ".join(omb["unmatched_references"]) or "none") + "."),
            Para("Referred cases with no Ombudsman reference recorded: "
                 + (", ".join(omb["referred_without_reference"]) or "none") + ".")]


def remedies_section(report: Mapping[str, Any], p: Presenter) -> Section:
    rem, cost = report["remedies"], report["cost"]
    rows = [(word("remedy", k), p.n(v["total"]), *(p.n(v[s]) for s in STATES))
            for k, v in rem["by_kind"].items()]
    rows += [("All agreed by the council", *_part(rem["by_source"]["local"], p)),
             ("All recommended by the Ombudsman", *_part(rem["by_source"]["ombudsman"], p))]
    return Section("remedies", "Putting things right", (
        Para(f"Payments: {money(rem['payments_total'])}. Remedies the council agreed count with "
             "their complaint; the Ombudsman's recommendations count in the period they fell due."),
        Table(("Remedy", "Made", *(word("remedy_state", s) for s in STATES)), tuple(rows),
              "Remedies and where they stand"),
        Table(("Stage", "Cost"), (*((stage_words(k) if k.startswith("stage") else word("", k),
                                     money(v)) for k, v in cost["by_stage"].items()),
                                  ("Total", money(cost["total"]))),
              "What handling complaints cost")))


def _part(v: Mapping[str, Any], p: Presenter) -> tuple[str, ...]:
    return (p.n(v["total"]), *(p.n(v[s]) for s in STATES))


def others_section(report: Mapping[str, Any], p: Presenter) -> Section:
    nc = report["not_complaints"]

    def pairs(values: Mapping[str, int], vocabulary: str) -> str:
        return ", ".join(f"{word(vocabulary, k)}: {p.n(v)}" for k, v in values.items()) or "none"

    reps = nc["representations"]
    rows = (("Compliments", p.n(nc["compliments"]["total"]),
             pairs(nc["compliments"]["by_service"], "service")),
            ("Representations (comments)", p.n(reps["total"]),
             pairs(reps["by_service"], "service")
             + f"; of which became complaints: {p.n(reps['became_complaints'])}"),
            ("Matters routed to another process", p.n(nc["routed_elsewhere"]["total"]),
             pairs(nc["routed_elsewhere"]["by_destination"], "")))
    return Section("not-complaints", "Compliments, comments and matters routed elsewhere",
                   (Table(("Record", "Total", "By service or where it went"), rows,
                          numeric=False),))


def notes_section(report: Mapping[str, Any]) -> Section:
    return Section("notes", "How these figures are counted", tuple(Para(t) for t in (
        "A complaint belongs to the period in which it was received (a comment that became a "
        "complaint: the day it became one); its final decision, topics, remedies, cost and "
        "learning are counted with it.",
        "A stage is received when it opened in the period and answered when its first response "
        "was sent in the period. Timeliness counts only the council's own deadlines, each "
        "against the timescales in force when the complaint was received; an acknowledgement "
        "is counted for stages received in the period, every other deadline for stages answered "
        "in it. The complainant's time to ask for the next stage is shown on its own.",
        "Working days leave out weekends and the bank holidays of the council's nation.",
        "Ombudsman referrals count in the period they were made, decisions and their "
        "recommendations in the period they were decided, and compliance with a recommendation "
        "in the period it fell due.",
        "Compliments, comments and matters routed elsewhere count in the period they were "
        "recorded.")))


def errors_section(report: Mapping[str, Any], p: Presenter) -> Section | None:
    errors = report["errors"]
    if not errors:
        return None
    return Section("errors", "Records in error", (
        Para("Not counted in any figure."),
        Table(("Case", "Problem", "File and line", "Message"),
              tuple((x["case_id"] or "–", word("", x["kind"]),
                     f"{x.get('source') or '-'}:{x['line']}" if x["line"] else
                     str(x.get("source") or "–"), x["message"]) for x in errors),
              numeric=False)))


__all__ = ["errors_section", "learning_section", "notes_section", "ombudsman_section",
           "others_section", "remedies_section"]
