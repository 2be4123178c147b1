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


@pytest.mark.parametrize("words", INTERNAL)
def test_no_procedure_page_uses_internal_words(pages: dict[str, str], words: str) -> None:
    offending = [p for p, text in pages.items() if p.startswith("procedures/") and words in text]
    assert offending == []


def test_rule_conditions_name_facts_in_words(pages: dict[str, str]) -> None:
    index = pages["procedures/index.md"]
    assert not re.search(r"`[a-z_]+\.[a-z_.]+` (is|includes)", index)
    assert "the kinds of organisation involved includes" in index


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
