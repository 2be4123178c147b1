"""Generators of hostile rule files for the lint work-budget tests (issue 19 item 4).

Each returns the text of a routing rule file that lints as a local file over the bundled set.
Sizes in the docstrings are for the counts the issue's probe used.
"""

from __future__ import annotations

ROLES = ("child", "parent", "foster_parent", "special_guardian", "care_leaver")
PROCEDURES = ("council-corporate", "children-act-1989")
HEAD = ("# yaml-language-server: $schema=../schemas/rules.schema.json\n"
        "ruleset: routing\ndescription: Hostile routing rules.\nsources:\n"
        "  code: {title: A code, short: Code, url: 'https://example.org'}\nrules:\n")


def _rule(i: int, when: list[str], procedure: str) -> str:
    lines = [f"  - id: hostile-{i}", f"    description: Rule {i}.", "    priority: 50",
             "    citation: {source: code, provision: 'p 1'}", "    when:", "      all:",
             *(f"        - {item}" for item in when), f"    then: {{procedure: {procedure}}}"]
    return "\n".join(lines) + "\n"


def _role_groups(groups: int) -> list[str]:
    options = ", ".join(f"{{fact: complainant.role, not_equals: {r}}}" for r in ROLES)
    return [f"any: [{options}]"] * groups


def disjoint_by_age(rules: int, groups: int = 3) -> str:
    """``rules`` rules at one priority, alternating between two procedures, that can never match
    one case (each wants another age) but each carry ``groups`` 'any' groups of five options.
    120 rules is about 127 KB; before the solver took in plain tests first, every pair tried
    5**6 branch combinations and gave up, reporting a false overlap."""
    return HEAD + "".join(
        _rule(i, ["{fact: nation, equals: england}", "{fact: service, equals: council_corporate}",
                  *_role_groups(groups), f"{{fact: complainant.age, gte: {i}}}",
                  f"{{fact: complainant.age, lt: {i + 1}}}"], PROCEDURES[i % 2])
        for i in range(rules))


def disjoint_inside_any(rules: int, groups: int = 3) -> str:
    """Like :func:`disjoint_by_age`, but the ages sit inside an 'any' of two identical options,
    so only trying the branch combinations shows that two rules never meet: the search is
    exponential and only the work budget stops it."""
    def ages(i: int) -> str:
        both = f"{{all: [{{fact: complainant.age, gte: {i}}}, {{fact: complainant.age, lt: {i + 1}}}]}}"
        return f"any: [{both}, {both}]"
    return HEAD + "".join(_rule(i, [ages(i), *_role_groups(groups)], PROCEDURES[i % 2])
                          for i in range(rules))


def pinned_apart(rules: int) -> str:
    """``rules`` rules at one priority, each pinned to its own nation, service and complainant
    role, so no two can match one case: bucketing pairs none of them."""
    nations = ("england", "wales", "scotland", "northern_ireland")
    services = ("children_social_care", "adult_social_care", "nhs", "council_corporate",
                "housing", "public_health", "education", "other")
    roles = ("child", "parent", "foster_parent", "special_guardian", "care_leaver",
             "service_user", "representative", "relative", "other")
    combos = [(n, s, r) for n in nations for s in services for r in roles]
    return HEAD + "".join(
        _rule(i, [f"{{fact: nation, equals: {n}}}", f"{{fact: service, in: [{s}]}}",
                  f"{{fact: complainant.role, equals: {r}}}"], PROCEDURES[i % 2])
        for i, (n, s, r) in enumerate(combos[:rules]))


def wide_all(tests: int) -> str:
    """One rule whose 'all' holds ``tests`` tests (1,500 was a RecursionError)."""
    return HEAD + _rule(0, [f"{{fact: complainant.age, gte: {i}}}" for i in range(tests)],
                        "council-corporate")


def nested_not(levels: int) -> str:
    """One rule whose condition is a test inside ``levels`` 'not's."""
    cond = "{fact: complaint.made_orally, equals: true}"
    for _ in range(levels):
        cond = f"{{not: {cond}}}"
    return HEAD + _rule(0, [cond], "council-corporate")
