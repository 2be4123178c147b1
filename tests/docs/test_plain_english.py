"""The built procedure pages speak to a reviewer in plain English (issue 23).

The site is built as a reviewer gets it and every procedure page's prose is read back from the
HTML — everything in the article except the collapsed blocks (technical details for policy
officers, worked examples), the flowchart's source (it becomes an SVG) and heading permalinks.
That prose must hold no code (rule ids, field names and YAML keys were shown as code), no
identifier from the policies and rules (policy, rule, ambiguity, reading and version ids, fact
names, snake_case values) and none of the engine's own words ("the anchor day is day 0", "is at
least", "not applicable", "(1 for a new complaint)").
"""

from __future__ import annotations

import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import pytest

from redress.docs.rule_text import rule_conditions
from redress.policy.library import load_library

pytestmark = pytest.mark.slow

ENGINE_WORDS = ("not applicable", "anchor", "day 0", "deadline:", "(1 for a new complaint)",
                "is at least", "is at most", "is more than", "is less than", "it is not so that",
                "counting convention", "Rule ")
_SNAKE = re.compile(r"\b[a-z][a-z0-9]*_[a-z0-9_]+\b")
_VOID = {"br", "img", "hr", "input", "meta", "link", "wbr", "col", "source"}


class Prose(HTMLParser):
    """The text a reviewer reads in a page's article, and its code elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.code: list[str] = []
        self._open: list[tuple[str, bool]] = []

    @property
    def _hidden(self) -> bool:
        return any(hidden for _, hidden in self._open)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            return
        classes = dict(attrs).get("class") or ""
        hidden = tag in ("details", "script", "style", "svg") or "headerlink" in classes \
            or (tag == "pre" and "redress-flowchart" in classes)
        if tag == "code" and not self._hidden:
            self.code.append("")
        self._open.append((tag, hidden))

    def handle_endtag(self, tag: str) -> None:
        if any(t == tag for t, _ in self._open):
            while self._open and self._open.pop()[0] != tag:
                pass

    def handle_data(self, data: str) -> None:
        if self._hidden:
            return
        self.text.append(data)
        if self._open and self._open[-1][0] == "code":
            self.code[-1] += data


def prose(page: Path) -> Prose:
    html = page.read_text(encoding="utf-8")
    parser = Prose()
    parser.feed(html[html.index("<article"):html.index("</article>")])
    return parser


@cache
def identifiers() -> frozenset[str]:
    """Every id a policy officer writes in the YAML that a reviewer should never meet."""
    library = load_library()
    found = set(library.policies) | {r.id for r in library.rules} | set(rule_conditions())
    found |= set(library.catalog.facts)
    for entry in library.policies.values():
        for version, merged in entry.versions:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(version.get("id"))):
                found.add(str(version.get("id")))
            for amb_id, amb in (merged.get("ambiguities") or {}).items():
                found |= {amb_id, *(amb.get("readings") or {})}
    # A one-word id ("stage", "resolved", "after") is also an English word: only compound ids.
    return frozenset(i for i in found if re.search(r"[-_.]", i))


def problems(page: Path) -> list[str]:
    read = prose(page)
    text = " ".join("".join(read.text).split())
    out = [f"code: {c}" for c in read.code]
    out += [f"name: {m}" for m in sorted(set(_SNAKE.findall(text)))]
    out += [f"id: {i}" for i in sorted(identifiers())
            if re.search(rf"(?<![\w/.-]){re.escape(i)}(?![\w-])", text)]
    out += [f"engine words: {w!r}" for w in ENGINE_WORDS if w in text]
    return out


def _procedure_ids() -> list[str]:
    return sorted(load_library().policies)


@pytest.mark.parametrize("policy_id", _procedure_ids())
def test_a_procedure_page_reads_without_ids_field_names_or_engine_words(
        built_site: Path, policy_id: str) -> None:
    assert problems(built_site / "procedures" / f"{policy_id}.html") == []


def test_the_scan_finds_what_the_pages_used_to_say(tmp_path: Path) -> None:
    """The scan is not vacuous: the wording the pages had before issue 23 is caught."""
    page = tmp_path / "old.html"
    page.write_text(
        "<article><p>When: the highest local stage the complainant has asked for (1 for a new "
        "complaint) is at least 2. (Rule <code>ca1989-independent-person</code>)</p>"
        "<table><tr><td>the anchor day is day 0</td><td>not applicable</td></tr></table>"
        "<p>counted from receipt (the responded event's received date, stage.requested)</p>"
        "<details><summary>Technical details</summary><code>ca1989-review-panel</code></details>"
        "</article>", encoding="utf-8")
    found = problems(page)
    assert "code: ca1989-independent-person" in found
    assert "id: ca1989-independent-person" in found and "id: stage.requested" in found
    assert {"engine words: 'anchor'", "engine words: 'not applicable'",
            "engine words: '(1 for a new complaint)'", "engine words: 'is at least'"} <= set(found)
    assert not any("ca1989-review-panel" in p for p in found)  # collapsed details are skipped


def test_the_technical_details_keep_the_ids(built_site: Path) -> None:
    """What left the prose is still there for the policy officer, collapsed."""
    html = (built_site / "procedures" / "children-act-1989.html").read_text(encoding="utf-8")
    details = re.findall(r"(?s)<details class=\"info\">.*?</details>", html)
    joined = " ".join(details)
    assert "<code>ca1989-independent-person</code>" in joined
    assert "<code>stage.requested</code> gte 2" in joined
    assert "<code>children-act-1989</code>" in joined and "<code>2006-09-01</code>" in joined


def test_worked_examples_say_why_a_deadline_no_longer_runs(built_markdown: Path) -> None:
    page = (built_markdown / "procedures" / "children-act-1989.md").read_text(encoding="utf-8")
    examples = page[page.index("## Worked examples"):]
    assert "not applicable" not in examples and "deadline:" not in examples
    assert "not needed: no extension was used" in examples
    assert ("no longer runs: the time was extended before it ran out, so the extended limit "
            "applies instead") in examples
    corporate = (built_markdown / "procedures" / "council-corporate.md").read_text(encoding="utf-8")
    assert "| the Stage 1 response due date, " in corporate
