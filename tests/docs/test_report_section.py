"""Each procedure's page shows its report definition: figures, how computed, citations."""

from __future__ import annotations

from redress.docs.context import load_context
from redress.docs.procedure import procedure_page


def test_the_housing_page_shows_ch01_and_ch02_with_their_citations() -> None:
    ctx = load_context()
    page = procedure_page(ctx, ctx.procedures["housing-ombudsman-code-2024"])
    assert "## Annual complaints performance and service improvement report" in page
    assert ("| CH01 (1) stage 1 complaints received per 1,000 homes | complaints whose stage 1 "
            "opened in the period, per 1,000 homes (the landlord gives its number of homes) | "
            "RSH TSM CH01 |") in page


def test_the_2009_regulations_page_cites_regulation_18() -> None:
    ctx = load_context()
    page = procedure_page(ctx, ctx.procedures["adult-social-care-nhs-2009"])
    assert "[SI 2009/309 reg 18(2)(b)](https://www.legislation.gov.uk/uksi/2009/309/contents/made)" \
        in page


def test_a_procedure_without_a_definition_has_no_report_section() -> None:
    ctx = load_context()
    page = procedure_page(ctx, ctx.procedures["partnership-protocol"])
    assert "Required by:" not in page
