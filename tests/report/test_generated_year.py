"""A generated year for a council: the report's figures against counts from the plan.

The expected numbers come from ``planned_year.council_year`` (the plan and its hand-worked law),
never from Redress's output; the report must agree with every one of them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from planned_year import AS_OF, HOMES, SERVICES, UNMATCHED, YEAR_END, YEAR_START, Truth, median

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


# -- the publishable report (issue 21): every figure against the plan --------------------------


def test_council_wide_breakdowns(report: dict[str, Any], generated_year: Year) -> None:
    truth = generated_year[1]
    found = report["breakdowns"]
    received = {k: v["received"] for k, v in found["department"].items()}
    assert received == dict(sorted(truth.by_department.items()))
    assert {k: v["received"] for k, v in found["team"].items()} == dict(
        sorted(truth.by_team.items()))
    assert {k: v["received"] for k, v in found["channel"].items()} == dict(
        sorted(truth.by_channel.items()))
    assert {k: v["received"] for k, v in found["complainant"].items()} == dict(
        sorted(truth.by_role.items()))
    assert {k: v["received"] for k, v in found["topic"].items()} == dict(
        sorted(truth.by_topic.items()))
    summary = report["summary"]
    assert summary["received"] == sum(n for (_, s), n in truth.received.items() if s == "stage1")
    in_time = sum(n for (_, _, k), n in truth.timeliness.items() if k != "late")
    assert (summary["on_time"]["numerator"], summary["on_time"]["denominator"]) == (
        in_time, sum(truth.timeliness.values()))


def test_advocacy_and_learning(report: dict[str, Any], generated_year: Year) -> None:
    truth = generated_year[1]
    advocacy = report["advocacy"]
    assert {k: advocacy[k] for k in ("entitled", "offered", "taken_up")} == {
        k: truth.advocacy[k] for k in ("entitled", "offered", "taken_up")}
    assert advocacy["entitled"] > 0 and advocacy["taken_up"] > 0
    learning = report["learning"]
    assert learning["by_service"] == {
        s: {"cases": truth.learning[(s, "cases")], "actions": truth.learning[(s, "actions")]}
        for s in sorted({s for s, _ in truth.learning})}


@pytest.mark.parametrize("pid", PROCEDURES)
def test_monthly_and_quarterly_views(report: dict[str, Any], generated_year: Year,
                                     pid: str) -> None:
    truth = generated_year[1]
    proc = _proc(report, pid)
    months = proc["monthly"]
    assert [m["month"] for m in months] == [f"{y}-{m:02d}" for y, m in
                                            [*((2025, m) for m in range(4, 13)),
                                             *((2026, m) for m in range(1, 4))]]
    for m in months:
        key = (pid, m["month"])
        assert m["received"] == truth.by_month[key], key
        assert m["responded"] == truth.responded_by_month[key], key
        assert (m["on_time"]["numerator"], m["on_time"]["denominator"]) == (
            truth.on_time_by_month[key], truth.decided_by_month[key]), key
    quarters = proc["quarterly"]
    assert [q["quarter"] for q in quarters] == ["Q1", "Q2", "Q3", "Q4"]
    assert quarters[0]["from"] == "2025-04-01" and quarters[0]["to"] == "2025-06-30"
    assert [q["received"] for q in quarters] == [
        sum(m["received"] for m in months[i:i + 3]) for i in (0, 3, 6, 9)]


@pytest.mark.parametrize("pid", PROCEDURES)
def test_timeliness_is_the_bodys_own_and_extensions_agree(report: dict[str, Any],
                                                          generated_year: Year,
                                                          pid: str) -> None:
    truth = generated_year[1]
    stage1 = _stage(report, pid, "stage1")
    assert "request_next_stage" not in stage1["timeliness"]
    assert stage1["extensions"] == truth.extensions[(pid, "stage1")]
    assert stage1["timeliness"]["respond"]["within_extension"] <= stage1["extensions"]
    if pid == "children-act-1989":  # the window to ask for stage 2: under its own name
        assert "request_next_stage" in stage1["complainant_windows"]
    (version,) = stage1["versions"]  # every complaint of the year was under one version
    assert version["timeliness"]["respond"] == stage1["timeliness"]["respond"]
    if pid == "council-corporate":  # the Code applies from 1 April 2026: before it, not the Code
        assert version["version"] == "pre-code" and "31 March 2026" in version["label"]
        figure = _figure(report, pid, "on-time-stage1")
        assert [v["version"] for v in figure["detail"]["by_version"]] == ["pre-code"]


def test_ombudsman_decisions_and_compliance_by_their_own_dates(report: dict[str, Any],
                                                                generated_year: Year) -> None:
    truth = generated_year[1]
    omb = report["ombudsman"]
    assert {k: v for k, v in omb["by_outcome"].items() if v} == dict(truth.decisions)
    assert "P-0001" in [r["case_id"] for r in omb["decided"]]  # a 2024-25 complaint
    upheld = truth.decisions["upheld"] + truth.decisions["upheld_remedy_provided"]
    assert (omb["upheld_rate"]["numerator"], omb["upheld_rate"]["denominator"]) == (
        upheld, upheld + truth.decisions["not_upheld"])
    assert omb["recommendations"]["made"] == truth.recommendations_made
    comp = omb["compliance"]
    assert comp["due"] == sum(truth.recommendations_due.values())
    for state in ("completed_on_time", "completed_late", "outstanding", "overdue"):
        assert comp[state] == truth.recommendations_due[state], state


def test_year_on_year(year_results: list[dict[str, Any]], last_year_results: list[dict[str, Any]],
                      generated_year: Year, last_year: Year) -> None:
    engine = Engine.load()
    try:
        report = engine.report(year_results, start=YEAR_START, end=YEAR_END,
                               compare_to=last_year_results)
    finally:
        engine.close()
    assert report_problems(report) == []
    rows = {h["id"]: h for h in report["comparison"]["headlines"]}
    now = sum(n for (_, s), n in generated_year[1].received.items() if s == "stage1")
    before = sum(n for (_, s), n in last_year[1].received.items() if s == "stage1")
    assert (rows["received"]["value"], rows["received"]["previous"],
            rows["received"]["change"]) == (now, before, now - before)
    assert rows["compliments"]["previous"] == sum(last_year[1].compliments.values())
    assert report["comparison"]["period"] == {"from": "2024-04-01", "to": "2025-03-31"}
