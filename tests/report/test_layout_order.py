"""The report's tables read as a manager expects: Ombudsman decisions oldest first, and each
recorded action as its own sentence."""

from __future__ import annotations

from typing import Any

from redress.report.document import Table
from redress.report.layout_body import learning_section, ombudsman_section
from redress.report.present import Presenter


def _decision(decided: str | None, referred: str | None, case_id: str) -> dict[str, Any]:
    return {"decided": decided, "referred": referred, "body": "lgsco", "reference": None,
            "case_id": case_id, "decision": "upheld" if decided else None}


def _ombudsman(decided: list[dict[str, Any]], referred: list[dict[str, Any]]) -> dict[str, Any]:
    return {"ombudsman": {"decisions": {"upheld": len(decided)}, "decided": decided,
                          "referred": referred, "unmatched_references": [],
                          "referred_without_reference": []}}


def _tables(section: Any) -> list[Table]:
    return [b for b in section.blocks if isinstance(b, Table)]


def test_ombudsman_decisions_and_referrals_are_listed_oldest_first() -> None:
    decided = [_decision("2025-11-03", "2025-06-01", "C-3"),
               _decision("2025-04-22", "2024-12-02", "C-1"),
               _decision("2025-07-15", None, "C-2")]
    referred = [_decision(None, "2026-02-10", "C-5"), _decision(None, "2025-05-09", "C-4")]
    tables = _tables(ombudsman_section(_ombudsman(decided, referred), Presenter()))
    by_caption = {t.caption: t for t in tables}
    decisions = next(t for c, t in by_caption.items() if c.startswith("Decisions in the period"))
    referrals = next(t for c, t in by_caption.items() if c.startswith("Referrals in the period"))
    assert [row[3] for row in decisions.rows] == ["C-1", "C-2", "C-3"]
    assert [row[3] for row in referrals.rows] == ["C-4", "C-5"]


def test_each_action_is_its_own_sentence() -> None:
    report = {"learning": {"cases": 1, "by_service": {"housing": {"cases": 1, "actions": 2}},
                           "items": [{"service": "housing", "learning": "Letters were unclear.",
                                      "actions": ["Rewrote the letter", "Trained the team."],
                                      "case_id": "C-1"}]}}
    section = learning_section(report, Presenter())
    assert section is not None
    listing = _tables(section)[1]
    assert listing.rows[0][2] == "Rewrote the letter. Trained the team."
