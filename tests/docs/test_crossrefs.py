"""References such as "(verification 1.11)" become links to that entry of the verification page."""

from __future__ import annotations

import pytest

from redress.docs.crossrefs import anchor_entries, link_references

REGISTER = """# Verification

## 1. Children Act 1989

| # | Fact | Status |
| --- | --- | --- |
| 1.11 | Stage 1 is 10 working days | NOT VERIFIED |

### 0.2 Working-day counting
"""


def test_rows_and_numbered_headings_get_ids() -> None:
    text, ids = anchor_entries(REGISTER)
    assert ids == {"v1-11", "s1", "s0-2"}
    assert '| <span id="v1-11"></span>1.11 | Stage 1 is 10 working days |' in text
    assert '<span id="s1"></span>\n\n## 1. Children Act 1989' in text


@pytest.mark.parametrize(("page", "linked"), [
    ("Not yet checked (verification 1.11, 9.9 and §0.2). ```not code```",
     "Not yet checked (verification [1.11](../legal/verification.md#v1-11), 9.9 and "
     "[§0.2](../legal/verification.md#s0-2)). ```not code```"),
    # A citation's provision may cite the register ("timelines (verification 7.5)"); a link
    # inside the citation's link text would break both, and showed the Markdown raw.
    ("[SPSO timelines (not verified; verification 1.11)](https://example.org/x) and "
     "verification 1.11",
     "[SPSO timelines (not verified; verification 1.11)](https://example.org/x) and "
     "verification [1.11](../legal/verification.md#v1-11)"),
], ids=["existing entries only", "not inside a link's text"])
def test_references_link_to_existing_entries_outside_links(page: str, linked: str) -> None:
    _, ids = anchor_entries(REGISTER)
    assert link_references(page, "procedures/children-act-1989.md", ids) == linked


def test_code_fences_are_left_alone() -> None:
    _, ids = anchor_entries(REGISTER)
    page = "```mermaid\nA -->|verification 1.11| B\n```\n"
    assert link_references(page, "index.md", ids) == page


def test_an_ambiguity_named_by_its_id_links_to_its_question_by_title() -> None:
    from redress.docs.crossrefs import link_ambiguities

    text = "(ambiguity day-counting; verification 7.5), ambiguity unknown, `ambiguity day-counting`"
    assert link_ambiguities(text, {"day-counting": "Whether the day of receipt is day 1"}) == (
        "(the question “[Whether the day of receipt is day 1](#ambiguity-day-counting)”; "
        "verification 7.5), ambiguity unknown, `ambiguity day-counting`")
