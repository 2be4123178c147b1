"""Reviewer pages are written for a complaints reviewer: no internal working words, and the
fictional example policy is marked as an example and kept out of the real procedures' table."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from redress.cli import _available_commands, build_parser
from redress.docs.context import DocsContext, load_context
from redress.docs.site import _procedure_nav, render_pages

REPO = Path(__file__).resolve().parents[2]
INTERNAL = ["The issue's example", "was not read", "recollection", "(later)", "later: discretion",
            "`organisations.kinds`", "in the copy read"]


@pytest.fixture(scope="module")
def context() -> DocsContext:
    return load_context((), REPO / "tests" / "scenarios")


@pytest.fixture(scope="module")
def pages(context: DocsContext) -> dict[str, str]:
    return render_pages(context, None, build_parser(_available_commands()))


def prose(page: str) -> str:
    """A page's Markdown without its collapsed blocks (``??? …`` and their indented body), where
    the technical details for policy officers live."""
    return re.sub(r"(?m)^\?\?\?\+? .*\n(?:\n|    .*\n)*", "", page)


@pytest.mark.parametrize("words", INTERNAL)
def test_no_procedure_page_uses_internal_words(pages: dict[str, str], words: str) -> None:
    offending = [p for p, text in pages.items()
                 if p.startswith("procedures/") and words in prose(text)]
    assert offending == []


def test_rule_conditions_name_facts_in_words(pages: dict[str, str]) -> None:
    index = pages["procedures/index.md"]
    assert not re.search(r"`[a-z_]+\.[a-z_.]+` (is|includes)", index)
    assert "the organisations involved include a council" in index


def test_the_example_policy_is_marked_and_kept_apart(context: DocsContext,
                                                     pages: dict[str, str]) -> None:
    example = "example-s75-mental-health"
    assert context.procedures[example].is_example
    assert not context.procedures["council-corporate"].is_example
    page = pages[f"procedures/{example}.md"]
    assert '!!! example "An example, not a real procedure"' in page
    index = pages["procedures/index.md"]
    table = index[index.index("## Stages and timescales"):index.index("## Examples")]
    assert example not in table
    assert example in index[index.index("## Examples"):]
    nav = _procedure_nav(context)
    assert nav[-1] == {"Examples (fictional)": [
        {context.procedures[example].policy.title: f"procedures/{example}.md"}]}


# -- issue 23: the side-by-side page, duplicates, departures --------------------------------------


def _table(index: str) -> str:
    return index[index.index("## Stages and timescales"):index.index("Abbreviations:")]


def test_the_side_by_side_page_has_an_entitlements_column(pages: dict[str, str]) -> None:
    table = _table(pages["procedures/index.md"])
    assert "| Stage 3 | Entitlements | Then |" in table
    children = next(line for line in table.splitlines() if "children-act-1989.md" in line)
    for title in ("Advocacy (s26A)", "Independent Person at stage 2", "Review panel at stage 3"):
        assert title in children
    corporate = next(line for line in table.splitlines() if line.startswith("| [Council corp"))
    assert corporate.split(" | ")[-2] == "—"


def test_the_side_by_side_page_says_where_there_is_no_acknowledgement_and_why(
        context: DocsContext, pages: dict[str, str]) -> None:
    index = pages["procedures/index.md"]
    children = next(line for line in _table(index).splitlines() if "children-act-1989.md" in line)
    assert children.count("ack: none set ([why](#where-there-is-no-acknowledgement-timescale))") == 3
    section = index[index.index("### Where there is no acknowledgement timescale"):]
    missing = [(p.id, s.id) for p in context.procedures.values() if not p.is_example
               for s in p.policy.stages if s.deadline("acknowledge") is None]
    assert len(missing) >= 5
    for policy_id, stage_id in missing:
        line = next(item for item in section.splitlines()
                    if f"{policy_id}.md)" in item and f"Stage {stage_id[-1]}:" in item)
        assert "](https://" in line.split(": ", 1)[1], f"{policy_id} {stage_id}: no citation"
        assert "does not say why" not in line
    page = pages["procedures/children-act-1989.md"]
    assert "**No acknowledgement timescale:** Reg 19, read in the primary text" in page


def test_no_stage_cell_or_extension_says_a_line_twice(pages: dict[str, str]) -> None:
    for line in _table(pages["procedures/index.md"]).splitlines()[2:]:
        for cell in line.split(" | "):
            parts = cell.split("<br>")
            assert len(parts) == len(set(parts)), cell
    corporate = pages["procedures/council-corporate.md"]
    assert "the complainant is told why, given the new date and the Ombudsman's contact details" \
        in corporate
    assert "contact details; the complainant is told" not in corporate
    assert "contact details, and the complainant is told" not in corporate


def test_a_local_policys_recorded_departure_is_shown_to_reviewers(context: DocsContext) -> None:
    """``departs_from: {provision, reason}`` (issue 23) wherever the overlay records it: on a
    deadline, or at the top as a list."""
    from dataclasses import replace

    from redress.docs.procedure import procedure_page
    from redress.policy.merge import deep_merge

    local = load_context((REPO / "examples" / "local-policies",))
    procedure = local.procedures["exampleshire-corporate"]
    overlay = {"stages": {"stage1": {"deadlines": {"respond": {"departs_from": {
        "provision": "LGSCO Code 6.3",
        "reason": "Our stage 1 is answered by the service director, <b>agreed</b> by members."}}}}},
        "departs_from": [{"provision": "LGSCO Code 6.4", "reason": "Extensions are not used."}]}
    current = replace(procedure.current, merged=deep_merge(procedure.current.merged, overlay))
    moved = replace(procedure, versions=(current, *procedure.versions[1:]))
    page = procedure_page(local, moved)
    section = page[page.index("## Where it departs from the law or the Code"):
                   page.index("## In brief")]
    assert '!!! warning "Departures recorded by the policy"' in section
    assert ("| Stage 1 response | LGSCO Code 6.3 | Our stage 1 is "
            "answered by the service director, &lt;b>agreed&lt;/b> by members. |") in section
    assert "| The policy as a whole | LGSCO Code 6.4 | Extensions are not used. |" in section
    assert "## Where it departs" not in procedure_page(local, procedure)
