"""The Markdown that ``redress docs build`` renders: flowcharts, tables, "what changed" sentences,
conditions in words and the generated reference pages.  No mkdocs and no browser: fast."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from redress.cli import _available_commands, build_parser
from redress.docs import markdown as md
from redress.docs.changes import describe_changes
from redress.docs.context import DocsContext, load_context
from redress.docs.flowchart import flowchart
from redress.docs.procedure import procedure_page
from redress.docs.rule_text import applies_to, condition_text
from redress.docs.site import _insert, render_pages
from redress.policy.model import Citation, Policy, build_policy

REPO = Path(__file__).resolve().parents[2]
VERSION = {"id": "2024-01-01", "effective_from": "2024-01-01"}
CITE = {"source": "code", "provision": "6.3"}


def two_stage_policy() -> dict[str, Any]:
    """A small policy in the YAML's shape: two stages, a window, extensions, the LGSCO."""
    return {
        "id": "test-corporate", "title": "Test corporate procedure", "kind": "procedure",
        "nation": "england", "calendar": "england-and-wales",
        "sources": {"code": {"title": "Complaint Handling Code", "short": "Code",
                             "url": "https://example.org/code"}},
        "stages": {
            "stage1": {
                "title": "Stage 1 response", "handled_by": "The service",
                "citation": CITE,
                "deadlines": {
                    "acknowledge": {"title": "Acknowledge", "period": {"working_days": 5},
                                    "from": "received", "met_by": "acknowledged",
                                    "citation": CITE},
                    "respond": {"title": "Stage 1 response", "period": {"working_days": 10},
                                "from": "acknowledged", "met_by": "responded", "citation": CITE},
                    "respond_extended": {
                        "title": "Stage 1 response, extended", "period": {"working_days": 10},
                        "from": {"deadline": "respond"}, "met_by": "responded",
                        "extension": {"consent": "notify", "condition": "there is good reason"},
                        "citation": CITE},
                },
                "next": {"stage": "stage2", "window": {
                    "title": "Ask for stage 2", "period": {"working_days": 20},
                    "from": "responded", "late": "discretion", "citation": CITE}},
            },
            "stage2": {
                "title": "Investigation", "handled_by": "Someone new", "citation": CITE,
                "deadlines": {"respond": {"title": "Stage 2 response",
                                          "period": {"working_days": 20},
                                          "from": "escalation_requested", "met_by": "responded",
                                          "citation": CITE}},
            },
        },
        "ombudsman": {"body": "LGSCO", "title": "Local Government and Social Care Ombudsman",
                      "time_limit": {"period": {"months": 12}, "from": "aware",
                                     "counting": "beginning_with", "citation": CITE},
                      "premature": "After the final response.", "citation": CITE},
    }


def typed(data: dict[str, Any]) -> Policy:
    return build_policy(data, VERSION)


# -- Markdown helpers ----------------------------------------------------------------------------


def test_a_table_cell_keeps_to_one_line_and_escapes_pipes() -> None:
    assert md.table(["a", "b"], [["x | y", "two\n  lines"]]).splitlines() == [
        "| a | b |", "| --- | --- |", "| x \\| y | two lines |"]


def test_a_citation_is_a_link_to_its_url() -> None:
    cited = Citation("SI 2006/1738", "SI 2006/1738", "reg 14(2)", "https://example.org/si")
    assert md.cite(cited) == "[SI 2006/1738 reg 14(2)](https://example.org/si)"
    assert md.cite(Citation("x", "Guide", "para 3", "")) == "Guide para 3"


def test_notes_are_a_note_box_listing_only_the_units_that_have_one() -> None:
    assert md.notes([("Stage 1 response", None)]) == ""
    assert md.notes([("Ask for stage 2", "guidance, not law")]) == (
        '!!! note "Note"\n\n    **Ask for stage 2:** guidance, not law.')
    assert md.notes([("A", "one"), ("B", None), ("C", "two")]).splitlines()[2:] == [
        "    - **A:** one.", "    - **C:** two."]


def test_prose_from_yaml_is_folded_ended_and_keeps_its_code_spans() -> None:
    assert md.prose("an `extension` event\n with *stars*") == r"an `extension` event with \*stars\*."


# -- flowchart -------------------------------------------------------------------------------------


def test_the_flowchart_shows_each_stage_with_its_clocks() -> None:
    chart = flowchart(typed(two_stage_policy()), {})
    assert chart.startswith("flowchart TD\n")
    assert '  received --> stage1' in chart
    assert ('stage1["<b>Stage 1 response</b><br/>Acknowledgement: 5 working days after receipt'
            '<br/>Response: 10 working days after acknowledgement"]') in chart
    assert '"<b>Stage 2: Investigation</b><br/>Response: 20 working days after the request"' in chart


def test_the_flowchart_labels_the_escalation_window_and_the_extension() -> None:
    chart = flowchart(typed(two_stage_policy()), {})
    assert ('stage1 -->|"asks within 20 working days after the response (a late request is at '
            "the body's discretion)\"| stage2") in chart
    assert 'stage1_respond_extended{{"<b>Extension</b><br/>a further 10 working days"}}' in chart
    assert 'stage1 -.-|"complainant told"| stage1_respond_extended' in chart


def test_the_flowchart_ends_at_the_ombudsman_with_its_time_limit() -> None:
    chart = flowchart(typed(two_stage_policy()), {})
    assert ('ombudsman_LGSCO[("<b>Local Government and Social Care Ombudsman</b><br/>within 12 '
            'months beginning with awareness")]') in chart
    assert 'stage2 -->|"still dissatisfied after the final response"| ombudsman_LGSCO' in chart


def test_a_stage_with_no_window_is_asked_for_with_no_time_set() -> None:
    data = two_stage_policy()
    del data["stages"]["stage1"]["next"]["window"]
    assert 'asks for stage 2 (no time set)' in flowchart(typed(data), {})


def test_excluded_matters_point_to_where_they_go_instead() -> None:
    data = two_stage_policy()
    data["exclusions"] = {"court": {"title": "Court reports", "goes_to": "other-procedure",
                                    "reason": "x", "citation": CITE}}
    chart = flowchart(typed(data), {"other-procedure": "The other procedure"})
    assert 'excluded0[/"<b>The other procedure</b><br/>1 excluded matter"/]' in chart
    assert 'received -.-|"excluded matter"| excluded0' in chart


def test_mermaid_labels_escape_quotes_and_angle_brackets() -> None:
    data = two_stage_policy()
    data["stages"]["stage2"]["title"] = 'The "panel" <review>'
    chart = flowchart(typed(data), {})
    assert "Stage 2: The #34;panel#34; #60;review#62;" in chart


# -- what changed ----------------------------------------------------------------------------------


def test_a_shorter_period_is_one_sentence_with_the_shared_anchor() -> None:
    old = two_stage_policy()
    old["stages"]["stage1"]["deadlines"]["respond"]["period"] = {"working_days": 15}
    assert describe_changes(old, two_stage_policy()) == [
        "Stage 1 response: 15 working days → 10 working days after the stage 1 acknowledgement."]


def test_a_new_anchor_event_is_described_in_full() -> None:
    old = two_stage_policy()
    old["stages"]["stage1"]["deadlines"]["respond"]["from"] = "received"
    assert describe_changes(old, two_stage_policy()) == [
        "Stage 1 response: 10 working days after receipt of the complaint → 10 working days "
        "after the stage 1 acknowledgement."]


def test_citation_changes_read_as_short_citations() -> None:
    new = two_stage_policy()
    new["stages"]["stage2"]["deadlines"]["respond"]["citation"] = {"source": "code",
                                                                   "provision": "7.1"}
    assert describe_changes(two_stage_policy(), new) == [
        "Stage 2 response: citation Code 6.3 → Code 7.1."]


def test_added_deadlines_lists_and_values_are_all_reported() -> None:
    new = two_stage_policy()
    new["stages"]["stage2"]["deadlines"]["acknowledge"] = {
        "title": "Acknowledge stage 2", "period": {"working_days": 5},
        "from": "escalation_requested", "citation": CITE}
    new["closures"] = [{"date": "2025-12-24", "name": "Christmas Eve"}]
    new["calendar"] = "scotland"
    assert describe_changes(two_stage_policy(), new) == [
        "Working-day calendar: England and Wales → Scotland.",
        "Acknowledge stage 2: added.",
        "Local closure days: added 2025-12-24 (Christmas Eve).",
    ]


def test_a_key_no_unit_knows_is_still_reported() -> None:
    new = copy.deepcopy(two_stage_policy())
    new["future_key"] = "something"
    assert describe_changes(two_stage_policy(), new) == ["Future key: added (something)."]


def test_identical_policies_have_no_changes() -> None:
    assert describe_changes(two_stage_policy(), two_stage_policy()) == []


# -- rule conditions -------------------------------------------------------------------------------


ADVOCACY = {"all": [{"fact": "procedure.family", "equals": "children-act-1989"},
                    {"fact": "complainant.role", "in": ["child", "care_leaver"]}]}


def test_a_rule_condition_reads_as_words_without_the_procedure_test(
        context: DocsContext) -> None:
    catalog = context.library.catalog
    assert condition_text(ADVOCACY, catalog) == "the complainant is a child or a care leaver"
    assert condition_text({"fact": "joint.entwined", "equals": True}, catalog) \
        == ("the health and social care issues are so entwined that they can only be investigated "
            "together")
    assert condition_text({"fact": "stage.requested", "gte": 2}, catalog) \
        == "the complainant has asked for stage 2"


def test_a_negated_condition_is_said_with_each_tests_opposite_wording(
        context: DocsContext) -> None:
    """De Morgan: "not (a and b)" reads "not a or not b", each test in its own negative words."""
    catalog = context.library.catalog
    when = {"not": {"all": [{"fact": "stage.requested", "gte": 3},
                            {"fact": "organisations.kinds", "contains": "local_authority"}]}}
    assert condition_text(when, catalog) == ("the complainant has not asked for stage 3 or the "
                                             "organisations involved do not include a council")
    nested = {"all": [{"fact": "nation", "equals": "england"},
                      {"any": [{"fact": "withdrawn", "equals": True},
                               {"fact": "resolved", "equals": True}]}]}
    assert condition_text(nested, catalog) == (
        "the case is in England and either the complainant withdrew the complaint or the "
        "complaint was resolved to the complainant's satisfaction")


def test_a_fact_without_reviewer_words_is_said_from_its_description(
        context: DocsContext) -> None:
    from dataclasses import replace

    from redress.policy.facts_catalog import FactCatalog

    catalog = context.library.catalog
    bare = FactCatalog({**catalog.facts, "stage.requested": replace(
        catalog.facts["stage.requested"], reviewer={})})
    assert condition_text({"fact": "stage.requested", "gte": 2}, bare) == (
        "the highest local stage the complainant has asked for (1 for a new complaint) is at "
        "least 2")


def test_every_fact_has_reviewer_words_for_every_kind_of_test_it_can_take(
        context: DocsContext) -> None:
    kinds = {"text": {"is", "is_not"}, "set": {"includes", "excludes"},
             "boolean": {"when_true", "when_false"},
             "number": {"is", "is_not", "at_least", "more_than", "at_most", "less_than"},
             "date": {"is", "is_not", "at_least", "more_than", "at_most", "less_than"}}
    missing = {name: sorted(kinds[spec.type] - set(spec.reviewer))
               for name, spec in context.library.catalog.facts.items()
               if kinds[spec.type] - set(spec.reviewer)}
    assert missing == {}
    unknown = {name: sorted(set(spec.value_words) - set(spec.values))
               for name, spec in context.library.catalog.facts.items()
               if set(spec.value_words) - set(spec.values)}
    assert unknown == {}


def test_a_rule_applies_only_to_the_procedures_it_names() -> None:
    assert applies_to(ADVOCACY, "children-act-1989", "children-act-1989")
    assert not applies_to(ADVOCACY, "council-corporate", "council-corporate")
    assert applies_to({"fact": "service", "equals": "nhs"}, "anything", "anything")


# -- pages -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def context() -> DocsContext:
    return load_context((), REPO / "tests" / "scenarios")


@pytest.fixture(scope="module")
def pages(context: DocsContext) -> dict[str, str]:
    return render_pages(context, None, build_parser(_available_commands()))


def test_every_bundled_policy_gets_a_page(context: DocsContext, pages: dict[str, str]) -> None:
    assert set(context.procedures) <= {p.removeprefix("procedures/").removesuffix(".md")
                                       for p in pages}
    for procedure in context.procedures.values():
        assert pages[procedure.page].startswith(f"# {md.escape(procedure.policy.title)}\n")
        assert "```mermaid\nflowchart TD\n" in pages[procedure.page]


def test_the_stage_table_gives_clock_anchor_counting_calendar_and_cited_link(
        pages: dict[str, str]) -> None:
    page = pages["procedures/children-act-1989.md"]
    assert ("| Stage 1 response | 10 working days | counting starts the day after receipt of "
            "the complaint | England and Wales working days | response sent | [SI 2006/1738 reg "
            "14(2)](https://www.legislation.gov.uk/uksi/2006/1738/made) |") in page
    assert ("| Stage | Handled by | Acknowledgement | Response and other clocks | Extension | Next step "
            "| Citation |") \
        in page


def test_worked_examples_show_computed_and_hand_worked_dates(pages: dict[str, str]) -> None:
    page = pages["procedures/children-act-1989.md"]
    assert "## Worked examples" in page
    assert "| Computed due date | Worked by hand |" in page
    assert "**Thu 22 May 2025** | Thu 22 May 2025 ✓ |" in page


def test_a_policys_notes_are_shown_under_the_units_they_belong_to(pages: dict[str, str]) -> None:
    page = pages["procedures/council-corporate.md"]
    stage1 = page[page.index("### Stage 1 response"):page.index("### Stage 2 response")]
    assert '!!! note "Notes"' in stage1
    assert "- **Stage 1 response:** Counted from the day the acknowledgement was actually sent" \
        in stage1
    assert "- **Ask for stage 2:** The Code sets no time for asking for stage 2." in stage1
    assert "**Note:** The Code's own stage 2 text has not yet been checked" in page
    children = pages["procedures/children-act-1989.md"]
    brief = children[children.index("## In brief"):children.index("## What it does not cover")]
    assert "<br>**Note:** Reg 9 has not yet been checked" in brief


def test_worked_examples_show_the_scenarios_hand_working(pages: dict[str, str]) -> None:
    page = pages["procedures/council-corporate.md"]
    assert ("    **Worked by hand:**  \n"
            "    Acknowledgement: day 0 Mon 2 Nov; 5 working days → Mon 9 Nov; sent late, Fri 13 "
            "Nov.  \n") in page


def test_without_scenario_tests_the_worked_examples_are_left_out(context: DocsContext) -> None:
    bare = DocsContext(context.library, context.procedures, context.conditions, None)
    page = procedure_page(bare, context.procedures["children-act-1989"])
    assert "## Worked examples" not in page
    assert "## Versions" in page


def test_the_index_compares_every_procedure(context: DocsContext, pages: dict[str, str]) -> None:
    index = pages["procedures/index.md"]
    for procedure in context.procedures.values():
        assert f"]({procedure.id}.md)" in index or f"](../{procedure.page})" in index


def test_the_reference_pages_come_from_the_schemas_parsers_and_docstrings(
        pages: dict[str, str]) -> None:
    assert "| `received` | date (and time) | yes |" in pages["guide/case-format.md"]
    assert "| `deadlines` | list of [deadline](#deadline) | yes |" in pages["guide/result-format.md"]
    assert "### `redress docs build`" in pages["guide/cli.md"]
    assert "| `--out DIR` | where to write the site (default: site/) | `site` |" in pages["guide/cli.md"]
    assert "### `Engine.evaluate` {#engine-evaluate}" in pages["guide/api.md"]


def test_procedure_pages_go_after_the_index_in_the_nav() -> None:
    nav = [{"Home": "index.md"}, {"Procedures": [{"Side by side": "procedures/index.md"},
                                                 {"Partnerships": "procedures/partnerships.md"}]}]
    assert _insert(nav, [{"A": "procedures/a.md"}]) == [
        {"Home": "index.md"},
        {"Procedures": [{"Side by side": "procedures/index.md"}, {"A": "procedures/a.md"},
                        {"Partnerships": "procedures/partnerships.md"}]}]
