"""A generated year for a council: the report's figures against counts from the plan.

The expected numbers come from ``conftest.council_year`` (the plan and its hand-worked law),
never from Redress's output; the report must agree with every one of them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import AS_OF, HOMES, SERVICES, UNMATCHED, YEAR_END, YEAR_START, Truth, median
from redress import Engine
from redress.report.build import render, report_problems

Year = tuple[list[dict[str, Any]], Truth]


@pytest.fixture(scope="module")
def report(year_results: list[dict[str, Any]], generated_year: Year) -> dict[str, Any]:
    truth = generated_year[1]
    engine = Engine.load()
    try:
        return engine.report(year_results, start=YEAR_START, end=YEAR_END, homes=HOMES,
                             ombudsman_references=[*truth.references, *UNMATCHED],
                             title="Exampleshire Council: complaints 2025-26")
    finally:
        engine.close()


def _proc(report: dict[str, Any], pid: str) -> dict[str, Any]:
    return next(p for p in report["procedures"] if p["id"] == pid)


def _stage(report: dict[str, Any], pid: str, stage: str) -> dict[str, Any]:
    return next(s for s in _proc(report, pid)["stages"] if s["stage"] == stage)


def _figure(report: dict[str, Any], pid: str, fid: str) -> dict[str, Any]:
    return next(f for f in _proc(report, pid)["statutory"]["figures"] if f["id"] == fid)


PROCEDURES = sorted({p for p, _, _ in SERVICES.values()})
SERVICES_BY_PROCEDURE = {p: (s, n) for s, (p, n, _) in SERVICES.items()}


def test_every_case_evaluated_and_routed_as_planned(year_results: list[dict[str, Any]],
                                                    generated_year: Year) -> None:
    cases = generated_year[0]
    assert len(year_results) == len(cases)
    planned = {c["id"]: SERVICES[c["service"]][0] for c in cases
               if c.get("record", "complaint") == "complaint" or c.get("became_complaint")}
    got = {r["case_id"]: (r["procedure"] or {}).get("id") for r in year_results}
    assert {k: got[k] for k in planned} == planned


def test_the_report_matches_its_schema(report: dict[str, Any]) -> None:
    assert report_problems(report) == []
    assert report["records"]["errors"] == 0


@pytest.mark.parametrize("pid", PROCEDURES)
def test_stage_counts_outcomes_and_timeliness(report: dict[str, Any], generated_year: Year,
                                              pid: str) -> None:
    truth = generated_year[1]
    proc = _proc(report, pid)
    assert proc["received"] == truth.received[(pid, "stage1")]
    assert proc["withdrawn"] == truth.withdrawn[pid]
    assert proc["by_month"] == {m: n for (p, m), n in sorted(truth.by_month.items()) if p == pid}
    assert sum(proc["by_service"].values()) == truth.received[(pid, "stage1")]
    assert {k: proc["outcomes"][k] for k in ("upheld", "partly_upheld", "not_upheld")} == {
        k: truth.outcome[(pid, k)] for k in ("upheld", "partly_upheld", "not_upheld")}
    for stage in ("stage1", "stage2"):
        if not truth.received[(pid, stage)]:
            continue
        row = _stage(report, pid, stage)
        assert row["received"] == truth.received[(pid, stage)]
        assert row["responded"] == truth.responded[(pid, stage)]
        assert row["outcomes"] == {k: truth.stage_outcome[(pid, stage, k)]
                                   for k in ("upheld", "partly_upheld", "not_upheld")}
        respond = row["timeliness"]["respond"]
        assert {k: respond[k] for k in ("on_time", "within_extension", "late")} == {
            k: truth.timeliness[(pid, stage, k)] for k in ("on_time", "within_extension", "late")}
        assert row["working_days"]["median"] == median(truth.days[(pid, stage)])
    resolved = proc["resolved_at_stage1"]
    if SERVICES_BY_PROCEDURE[pid][1] == 1:  # one stage: no "resolved at stage 1" figure
        assert (resolved["numerator"], resolved["denominator"], resolved["share"]) == (0, 0, None)
        assert proc["stage_count"] == 1
        return
    assert (resolved["numerator"], resolved["denominator"]) == (
        truth.resolved_at_stage1[(pid, True)],
        truth.resolved_at_stage1[(pid, True)] + truth.resolved_at_stage1[(pid, False)])


def test_statutory_figures_of_the_2009_regulations(report: dict[str, Any],
                                                   generated_year: Year) -> None:
    truth = generated_year[1]
    pid = "adult-social-care-nhs-2009"
    assert _figure(report, pid, "received")["value"] == truth.received[(pid, "stage1")]
    assert _figure(report, pid, "well-founded")["value"] == truth.well_founded[pid]
    assert _figure(report, pid, "referred-lc")["value"] == truth.referred[(pid, "LGSCO")]
    assert _figure(report, pid, "referred-hsc")["value"] == 0
    assert _figure(report, pid, "well-founded")["citation"]["text"] == "SI 2009/309 reg 18(2)(b)"
    assert _figure(report, pid, "improvements")["unit"] == "narrative"
    assert _figure(report, pid, "subject-matter")["detail"] == {
        t: n for (p, t), n in sorted(truth.topics.items(), key=lambda x: x[0][1]) if p == pid}


def test_housing_ch01_and_ch02(report: dict[str, Any], generated_year: Year) -> None:
    truth = generated_year[1]
    pid = "housing-ombudsman-code-2024"
    for stage, fid in (("stage1", "ch01-stage1"), ("stage2", "ch01-stage2")):
        figure = _figure(report, pid, fid)
        assert figure["value"] == round(truth.received[(pid, stage)] / HOMES * 1000, 2)
        assert figure["citation"]["text"] == "RSH TSM CH01"
    ch02 = _figure(report, pid, "ch02-stage1")
    in_time = truth.timeliness[(pid, "stage1", "on_time")] + truth.timeliness[
        (pid, "stage1", "within_extension")]
    assert ch02["detail"]["numerator"] == in_time
    assert ch02["detail"]["denominator"] == truth.responded[(pid, "stage1")]


def test_records_that_are_not_complaints(report: dict[str, Any], generated_year: Year) -> None:
    truth = generated_year[1]
    nc = report["not_complaints"]
    assert nc["compliments"]["by_service"] == dict(sorted(truth.compliments.items()))
    assert nc["representations"]["by_service"] == dict(sorted(truth.representations.items()))
    assert nc["representations"]["became_complaints"] == truth.became_complaints
    assert nc["routed_elsewhere"]["by_destination"] == dict(sorted(truth.routed.items()))


def test_remedies_cost_and_ombudsman(report: dict[str, Any], generated_year: Year) -> None:
    truth = generated_year[1]
    for source in ("local", "ombudsman"):
        part = report["remedies"]["by_source"][source]
        for state in ("completed_on_time", "completed_late", "outstanding", "overdue"):
            assert part[state] == truth.remedies[(source, state)], (source, state)
    assert {k: v["total"] for k, v in report["remedies"]["by_kind"].items()} == dict(
        sorted(truth.remedy_kinds.items()))
    assert report["remedies"]["by_kind"]["review_others_affected"]["total"] > 0
    assert report["remedies"]["payments_total"] == truth.payments > 0
    assert report["cost"]["by_stage"] == {k: round(v, 2) for k, v in truth.cost.items()}
    omb = report["ombudsman"]
    assert len(omb["referred"]) == sum(truth.referred.values())
    assert omb["decisions"] == dict(sorted(truth.decisions.items()))
    assert omb["unmatched_references"] == sorted(UNMATCHED)
    assert omb["referred_without_reference"] == sorted(truth.referred_without_reference)


def test_as_of_is_after_the_year() -> None:
    assert AS_OF > YEAR_END  # remedy states are worked as of this date in the plan too


def test_the_year_renders_in_every_format(report: dict[str, Any], tmp_path: Path) -> None:
    html = render(report, "html")
    assert html.count("<svg") >= 4 and "<script" not in html
    assert "SI 2009/309 reg 18(2)(b)" in html and "RSH TSM CH01" in html
    assert "Exampleshire Council: complaints 2025-26" in render(report, "md")
    assert json.loads(render(report, "json")) == report
