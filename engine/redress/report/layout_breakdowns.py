"""The council-wide breakdowns in words: by service, department, team, topic, channel and
complainant, and advocacy offered and taken up."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from redress.report.breakdowns import UNSTATED
from redress.report.document import Para, Section, Table
from redress.report.present import Presenter
from redress.report.words import word

BREAKDOWNS = (  # (key in the report, vocabulary, heading)
    ("service", "service", "Service"),
    ("department", "", "Department"),
    ("team", "", "Team"),
    ("topic", "topic", "What the complaint was about"),
    ("channel", "channel", "How the complaint was made"),
    ("complainant", "role", "Who complained"),
)


def breakdowns_section(report: Mapping[str, Any], p: Presenter) -> Section | None:
    found = report.get("breakdowns")
    if not found:
        return None
    blocks: list[Any] = [Para("Complaints received in the period, every procedure together: how "
                              "many were decided, how many were upheld in full or in part (the "
                              "final decision), and the share of their responses sent in the "
                              "period that were on time or within an extension.")]
    for key, vocabulary, heading in BREAKDOWNS:
        rows = found.get(key) or {}
        if not rows or set(rows) == {UNSTATED}:
            continue  # nothing recorded: leave the table out rather than print one blank row
        blocks.append(Table((heading, "Received", "Decided", "Upheld in full or in part",
                             "On time"),
                            tuple((_name(vocabulary, k), p.n(v["received"]), p.n(v["decided"]),
                                   p.n(v["upheld"]), p.of(v["on_time"]))
                                  for k, v in rows.items()), f"By {heading.lower()}"))
    advocacy = report.get("advocacy")
    if advocacy and (advocacy["entitled"] or advocacy["offered"]):
        blocks.append(_advocacy(report, advocacy, p))
    return Section("breakdowns", "Complaints by service, topic and complainant", tuple(blocks))


def _name(vocabulary: str, key: str) -> str:
    return "Not recorded" if key == UNSTATED else word(vocabulary, key)


def _advocacy(report: Mapping[str, Any], advocacy: Mapping[str, Any], p: Presenter) -> Table:
    titles = {proc["id"]: proc["title"] for proc in report["procedures"]}
    rows = [(titles.get(pid, word("", pid)), p.n(v["entitled"]), p.n(v["offered"]),
             p.n(v["taken_up"])) for pid, v in advocacy["by_procedure"].items()]
    rows.append(("All procedures", p.n(advocacy["entitled"]), p.n(advocacy["offered"]),
                 p.n(advocacy["taken_up"])))
    return Table(("Procedure", "Complainant entitled to an advocate", "Advocate offered",
                  "Advocate taken up"), tuple(rows),
                 "Advocacy (Children Act 1989 s26A: a child or young person making a complaint "
                 "is entitled to help from an advocate)")


__all__ = ["breakdowns_section"]
