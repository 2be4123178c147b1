"""A search hit on the verification page reads as a sentence (issue 23): each row of its tables
is its own search entry, and the tables are kept out of the theme's section entries, which ran
every cell of a section together into one block."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from redress.docs.search_entries import exclude_tables, row_entries

PAGE = """<article><h2 id="s1">1. Children</h2><p>Intro.</p>
<table><thead><tr><th>#</th><th>Fact as encoded</th><th>Status</th><th>Notes</th></tr></thead>
<tbody><tr><td><span id="v1-11"></span>1.11</td><td>Stage 1: 10 WD from receipt; the authority
decides</td><td><strong>NOT VERIFIED</strong></td><td>FRG cites <em>reg 14</em> &amp; more</td></tr>
</tbody></table></article>"""


def test_each_table_row_becomes_an_entry_of_sentences() -> None:
    assert row_entries(PAGE, "legal/verification.html") == [{
        "location": "legal/verification.html#v1-11",
        "title": "1.11 Stage 1: 10 WD from receipt",
        "text": "<p>Fact as encoded: Stage 1: 10 WD from receipt; the authority decides. Status: "
                "NOT VERIFIED. Notes: FRG cites reg 14 &amp; more.</p>"}]


def test_tables_are_wrapped_in_a_block_the_theme_does_not_index() -> None:
    text = "Intro.\n\n| a | b |\n| --- | --- |\n| 1 | 2 |\n\nAfter."
    assert exclude_tables(text) == ('Intro.\n\n<div markdown="1" data-search-exclude>\n\n'
                                    "| a | b |\n| --- | --- |\n| 1 | 2 |\n\n</div>\n\nAfter.")


@pytest.mark.slow
def test_the_built_index_has_an_entry_per_verification_row(built_site: Path) -> None:
    index_file = built_site / "search" / "search_index.json"
    docs = json.loads(index_file.read_text(encoding="utf-8"))["docs"]
    verification = [d for d in docs if d["location"].startswith("legal/verification.html")]
    row = next(d for d in verification if d["location"] == "legal/verification.html#v1-11")
    assert row["title"].startswith("1.11 Stage 1: 10 WD from receipt")
    assert row["text"].startswith("<p>Fact as encoded (fact sheet): Stage 1:")
    assert "Status: NOT VERIFIED." in row["text"]
    # The row's words are in its own entry only, not run into its section's block.
    holders = [d["location"] for d in verification if "FRG cites reg 14 for the 10 WD" in d["text"]]
    assert holders == ["legal/verification.html#v1-11"]
    section = next(d for d in verification if d["location"].endswith(
        "#1-children-act-1989-representations-procedure-england-regulations-2006-si-20061738"))
    assert section["text"].startswith("<p>Primary URL:")
    script = (built_site / "search" / "search_index.js").read_text(encoding="utf-8")
    assert script == "var __index = " + index_file.read_text(encoding="utf-8")
