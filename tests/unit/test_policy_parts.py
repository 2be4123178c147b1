"""The parts of a policy version are frozen ``msgspec`` structs, not dataclasses: a dataclass
writes and compiles its methods at import, a cost every start of the command line paid.  They
keep what the engine relied on: equality and hash by value, a readable repr, immutability,
keyword or positional construction and defaults."""

from __future__ import annotations

import dataclasses
import datetime as dt

import msgspec
import pytest

from redress.calendar.periods import Period
from redress.policy.conditions import AllOf, AnyOf, Leaf
from redress.policy.library import PolicyEntry, PolicySetFile
from redress.policy.model import (
    Ambiguity,
    Citation,
    DeadlineRule,
    Deferral,
    Entitlement,
    Exclusion,
    Limb,
    OmbudsmanRoute,
    Policy,
    Reading,
    Stage,
    TimeLimit,
    VersionInfo,
    Window,
)
from redress.policy.reading_plan import Plan
from redress.policy.rules import Rule, RuleProgram

PARTS = (Ambiguity, DeadlineRule, Deferral, Entitlement, Exclusion, Limb, OmbudsmanRoute, Reading,
         Stage, TimeLimit, VersionInfo, Window, Leaf, AllOf, AnyOf, Rule, RuleProgram, Plan,
         PolicyEntry, PolicySetFile)
CITE = Citation("Local Authority Social Services Regulations 2009", "SI 2009/309", "reg 14(2)",
                "https://www.legislation.gov.uk/uksi/2009/309/regulation/14")


@pytest.mark.parametrize("cls", PARTS, ids=lambda c: c.__name__)
def test_each_part_is_a_frozen_struct_not_a_dataclass(cls: type) -> None:
    assert issubclass(cls, msgspec.Struct) and not dataclasses.is_dataclass(cls)
    assert cls.__struct_config__.frozen


def test_the_result_facing_citation_and_the_policy_stay_dataclasses() -> None:
    # A result's citations are part of the public API (dataclasses.replace works on them), and
    # a Policy's equality leaves out its raw dict.
    assert dataclasses.is_dataclass(Citation) and dataclasses.is_dataclass(Policy)


def test_a_part_compares_hashes_and_prints_by_value() -> None:
    limb = Limb(Period("months", 12), "aware", "after", CITE)
    same = Limb(period=Period("months", 12), anchor="aware", counting="after", citation=CITE)
    assert limb == same and hash(limb) == hash(same) and limb is not same
    assert limb != Limb(Period("months", 6), "aware", "after", CITE)
    assert limb.note is None  # defaults as declared
    assert repr(limb) == ("Limb(period=Period(unit='months', amount=12), anchor='aware', "
                          f"counting='after', citation={CITE!r}, note=None)")
    parts: list[object] = [Leaf("a", "eq", 1, "a"), AllOf((Leaf("a", "eq", 1, "a"),)), AllOf(()),
                           AnyOf(())]
    assert parts[0] != parts[1] and parts[2] != parts[3]  # never equal across types
    assert AllOf(()) == AllOf(())


def test_a_part_cannot_be_changed() -> None:
    version = VersionInfo("v1", dt.datetime(2025, 1, 1), None, "first")
    with pytest.raises(AttributeError):
        version.summary = "changed"  # type: ignore[misc]
    leaf = Leaf("a", "eq", 1, "a")
    with pytest.raises(AttributeError):
        leaf.value = 2  # type: ignore[misc]


def test_a_rule_works_out_the_facts_it_reads_once() -> None:
    rule = Rule("r1", "routing", "", 100, CITE,
                AllOf((Leaf("age", "lt", 18, "age"), Leaf("nation", "eq", "wales", "nation"))),
                {}, 0)
    assert rule.facts_read == ("age", "nation")
    assert rule.facts_read is rule.facts_read  # kept, not recomputed
    # The kept copy is not compared.
    assert rule == Rule("r1", "routing", "", 100, CITE, rule.condition, {}, 0)
