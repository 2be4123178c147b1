"""Links in the hand-written pages resolve in the repository too (issue 23).

Some pages exist only in the built site: the guide's case, result and report formats, the CLI
and API references and getting started are generated, and so is everything under
``procedures/``.  Each has a short page in ``docs/`` that says where its content comes from, so
that a link followed on GitHub lands on a page; the build writes the generated page over it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs"
_LINK = re.compile(r"\]\(([^)\s]+)\)")
_FENCE = re.compile(r"(?ms)^(```|~~~).*?^\1")
GENERATED = ("guide/case-format.md", "guide/result-format.md", "guide/report-format.md",
             "guide/getting-started.md", "guide/cli.md", "guide/api.md",
             "procedures/index.md", "procedures/partnerships.md")


def _links(page: Path) -> list[str]:
    text = _FENCE.sub("", page.read_text(encoding="utf-8"))
    return [url for url in _LINK.findall(text) if not re.match(r"[a-z]+:|#", url)]


@pytest.mark.parametrize("page", sorted(DOCS.rglob("*.md")), ids=lambda p: str(p.relative_to(DOCS)))
def test_every_relative_link_resolves_in_the_repository(page: Path) -> None:
    broken = [url for url in _links(page)
              if not (page.parent / url.split("#")[0]).resolve().exists()]
    assert broken == []


def test_the_guide_links_to_the_generated_format_pages() -> None:
    """The links this test exists for (caseloads, reports and scenarios link to the formats)."""
    linked = {url.split("#")[0] for page in (DOCS / "guide").glob("*.md") for url in _links(page)}
    assert {"case-format.md", "result-format.md", "report-format.md"} <= linked


@pytest.mark.slow
def test_the_built_site_has_the_generated_pages_not_the_stand_ins(built_site: Path) -> None:
    for page in GENERATED:
        html = (built_site / page.replace(".md", ".html")).read_text(encoding="utf-8")
        assert "This page is generated." not in html, page
    case = (built_site / "guide" / "case-format.html").read_text(encoding="utf-8")
    assert "<code>received</code>" in case
