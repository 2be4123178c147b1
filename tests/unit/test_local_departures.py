"""A local policy that departs from the law or the Code it extends says so (issue 23).

The expected provisions are the bundled policies' citations: LGSCO Complaint Handling Code 6.3
(stage 1 response within 10 working days of the acknowledgement, read in the Code) and the
Children Act 1989 Representations Procedure (England) Regulations 2006 reg 14(3) (stage 1 at most
20 working days) and reg 18 (20 working days to ask for a review panel).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from redress import Engine
from redress.errors import PolicyError
from redress.policy.departures import departures, element_title, elements
from redress.policy.lint import LintRecord, lint
from redress.policy.policyset import load_policy_set

CORPORATE = """\
id: slow-corporate
title: Slow corporate
kind: local
extends: council-corporate
organisations: [slow]
"""
CHILDREN = """\
id: slow-children
title: Slow children
kind: local
extends: children-act-1989
organisations: [slow]
"""
STAGE1_15_DAYS = """\
stages:
  stage1:
    deadlines:
      respond:
        period: {working_days: 15}
"""


def _lint(tmp_path: Path, text: str) -> list[LintRecord]:
    (tmp_path / "local.yaml").write_text(text, encoding="utf-8")
    return lint([tmp_path], cwd=tmp_path, ignore=("missing-schema-comment",))


def test_a_15_day_stage_1_on_council_corporate_is_a_warning_naming_the_code_paragraph(
        tmp_path: Path) -> None:
    [record] = _lint(tmp_path, CORPORATE + STAGE1_15_DAYS)
    assert (record.check_id, record.severity, record.line) == ("local-departure", "warning", 10)
    assert "15 working days, longer than the 10 working days LGSCO Code 6.3 allows" in \
        record.message
    assert "(a Code requirement)" in record.message


def test_lengthening_the_childrens_20_day_stage_1_extension_is_an_error_naming_the_regulation(
        tmp_path: Path) -> None:
    text = CHILDREN + STAGE1_15_DAYS.replace("respond:", "respond_extended:").replace(
        "15", "25")
    [record] = _lint(tmp_path, text)
    assert (record.check_id, record.severity) == ("local-departure", "error")
    assert "longer than the 20 working days SI 2006/1738 reg 14(3) allows (a legal maximum)" in \
        record.message
    with pytest.raises(PolicyError) as caught:
        Engine.load([tmp_path], backend="plain")
    assert [f.check_id for f in caught.value.findings] == ["local-departure"]


@pytest.mark.parametrize("provision", ["LGSCO Code 6.3", "lgsco code  6.3", "6.3",
                                       "Local Government and Social Care Ombudsman, Complaint "
                                       "Handling Code (2024) 6.3"])
def test_a_recorded_departure_is_not_reported(tmp_path: Path, provision: str) -> None:
    top = f"departs_from:\n  - {{provision: '{provision}', reason: Cabinet decision 2026/14.}}\n"
    assert _lint(tmp_path, CORPORATE + top + STAGE1_15_DAYS) == []


def test_a_departure_recorded_on_the_element_is_not_reported_and_loads(tmp_path: Path) -> None:
    text = CHILDREN + STAGE1_15_DAYS.replace("respond:", "respond_extended:").replace(
        "15}", "25}\n        departs_from: {provision: x, reason: Agreed with the DfE.}")
    assert _lint(tmp_path, text) == []
    Engine.load([tmp_path], backend="plain")


def test_a_recorded_departure_that_matches_no_change_is_a_warning(tmp_path: Path) -> None:
    text = CORPORATE + "departs_from: {provision: LGSCO Code 6.3, reason: Stale.}\n"
    [record] = _lint(tmp_path, text)
    assert (record.severity, record.line) == ("warning", 6)
    assert "departs_from names 'LGSCO Code 6.3', but this policy does not depart" in \
        record.message


def test_a_removed_entitlement_and_a_shorter_statutory_window_are_errors(tmp_path: Path) -> None:
    text = CHILDREN + ("stages:\n  stage2:\n    next:\n      window:\n"
                       "        period: {working_days: 10}\n"
                       "entitlements:\n  advocacy: null\n")
    records = _lint(tmp_path, text)
    assert [(r.severity, r.line) for r in records] == [("error", 10), ("error", 12)]
    assert "shorter than the 20 working days SI 2006/1738 reg 18 gives the complainant" in \
        records[0].message
    assert "entitlement 'advocacy' is removed, but CA 1989 s26A requires it" in records[1].message


def test_choices_the_law_leaves_open_are_not_reported(tmp_path: Path) -> None:
    # A shorter stage 1 response, a longer window, and a shorter window that is only guidance
    # (Getting the Best from Complaints para 3.5.7): none is a departure.
    text = CHILDREN + ("stages:\n  stage1:\n    deadlines:\n      respond:\n"
                       "        period: {working_days: 5}\n"
                       "    next:\n      window:\n        period: {working_days: 15}\n"
                       "  stage2:\n    next:\n      window:\n"
                       "        period: {working_days: null, calendar_days: 40}\n")
    assert _lint(tmp_path, text) == []


def test_a_removed_stage_is_one_departure_not_one_per_deadline(tmp_path: Path) -> None:
    text = CORPORATE + "stages:\n  stage1:\n    next: null\n  stage2: null\n"
    [record] = _lint(tmp_path, text)
    assert record.message.startswith("stage 'stage2' is removed, but LGSCO Code stage 2 requires")
    assert record.line == 9


def test_the_departures_carry_what_the_reviewers_page_shows(tmp_path: Path) -> None:
    # redress.policy.departures is the data the reviewers' page renders: the provision, its
    # nature, what the local policy does instead and the reason it records.
    loaded, _ = load_policy_set()
    corporate = {v.version_id: v.data for v in loaded.policies["council-corporate"].versions}
    from redress.policy.merge import deep_merge
    local = deep_merge(corporate["2026-04-01"], yaml.safe_load(STAGE1_15_DAYS.replace(
        "15}", "15}\n        departs_from: {provision: 6.3, reason: Cabinet decision 2026/14.}")))
    [found] = departures(local, corporate["2026-04-01"])
    assert (found.provision, found.nature, found.summary, found.reason) == (
        "LGSCO Code 6.3", "code_requirement", "15 working days instead of 10 working days",
        "Cabinet decision 2026/14.")
    assert element_title(corporate["2026-04-01"], found.path) == "Stage 1 response"


def test_before_the_code_a_longer_stage_1_is_a_local_choice() -> None:
    loaded, _ = load_policy_set()
    corporate = loaded.policies["council-corporate"]
    [pre_code] = [v for v in corporate.versions if v.version_id == "pre-code"]
    longer = yaml.safe_load(STAGE1_15_DAYS)
    from redress.policy.merge import deep_merge
    assert departures(deep_merge(pre_code.data, longer), pre_code.data) == []
    [current] = [v for v in corporate.versions if v.version_id == "2026-04-01"]
    [found] = departures(deep_merge(current.data, longer), current.data)
    assert (found.provision, found.nature, found.summary) == (
        "LGSCO Code 6.3", "code_requirement", "15 working days instead of 10 working days")


def test_a_local_policy_does_not_set_a_nature(tmp_path: Path) -> None:
    text = CORPORATE + STAGE1_15_DAYS.replace("15}", "8}\n        nature: recommendation")
    [record] = _lint(tmp_path, text)
    assert record.severity == "warning" and "does not set the nature" in record.message


# Natures are written by hand in the bundled policies; these have none, with the reason.
WITHOUT_NATURE = {
    # The Code sets no period for asking for stage 2; 20 working days is Redress's default.
    ("council-corporate", ("stages", "stage1", "next", "window")),
    # No period of their own: the response period is agreed with the complainant (reg 13(7)).
    ("adult-social-care-nhs-2009", ("stages", "stage1", "deadlines", "response_period")),
    ("adult-social-care-nhs-2009", ("stages", "stage1", "deadlines", "respond_extended")),
    ("partnership-protocol", ("stages", "stage1", "deadlines", "response_period")),
    ("partnership-protocol", ("stages", "stage1", "deadlines", "respond_extended")),
    ("public-health-2012", ("stages", "stage1", "deadlines", "respond_extended")),
}


def test_every_bundled_statutory_or_code_provision_carries_its_nature() -> None:
    loaded, _ = load_policy_set()
    missing = [(pid, e.path) for pid, policy in loaded.policies.items() if policy.kind != "local"
               for e in elements(policy.base.data)
               if "nature" not in _at(policy.base.data, e.path)
               and (pid, e.path) not in WITHOUT_NATURE]
    assert missing == []


def _at(data: object, path: tuple[str | int, ...]) -> dict[str, object]:
    for part in path:
        data = data[part]  # type: ignore[index]
    return data  # type: ignore[return-value]


def test_a_users_own_template_extending_a_procedure_is_checked_too(tmp_path: Path) -> None:
    text = CORPORATE.replace("kind: local", "kind: template").replace(
        "organisations: [slow]\n", "") + STAGE1_15_DAYS
    records = [r for r in _lint(tmp_path, text) if r.check_id == "local-departure"]
    assert [(r.severity, "LGSCO Code 6.3" in r.message) for r in records] == [("warning", True)]
