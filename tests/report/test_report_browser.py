"""The HTML report of the generated year in headless Chromium, opened from disk (file://), on
screen and printed to PDF.

As the reviewer site is tested (tests/docs/test_site_browser.py): Debian's Chromium driven by
Playwright, failing (not skipping) when Chromium is missing.  The page must load with no console
error and no request to anything but the file itself; every chart must be an inline SVG with its
table; hostile text in a record and in the narrative must show as text and never run.  The
publication is printed to A4 PDF: every section starts on a new page, every chart fits the page,
and each page is rendered to PNG for people to look at.  Screenshots are written to
``tests/artifacts/`` on every run (``complaints-report-2025-26.png``, the published copy
``complaints-report-2025-26-published.png``, its PDF and ``…-page-NN.png`` for each page).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from planned_year import AS_OF, HOMES, NARRATIVE, UNMATCHED, YEAR_END, YEAR_START, Truth

from redress import Engine
from redress.report.build import render

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
SCREENSHOT = ARTIFACTS / "complaints-report-2025-26.png"
PUBLISHED = ARTIFACTS / "complaints-report-2025-26-published.png"
PDF = ARTIFACTS / "complaints-report-2025-26-published.pdf"
HOSTILE = '<img src=x onerror="window.__pwned=1">'
A4_POINTS = (595.3, 841.9)
A4_CONTENT_PX = 688  # 210 mm less the 14 mm margins, at 96 px an inch


@pytest.fixture(scope="module")
def report(year_results: list[dict[str, Any]], last_year_results: list[dict[str, Any]],
           generated_year: tuple[list[Any], Truth]) -> dict[str, Any]:
    truth = generated_year[1]
    hostile = {"id": HOSTILE, "received": "2025-06-02", "nation": "england",
               "service": "housing", "record": "compliment",
               "organisations": [{"id": "exampleshire", "kind": "local_authority"}],
               "events": []}
    engine = Engine.load()
    try:
        extra = engine.evaluate(hostile, as_of=AS_OF).to_dict()
        return engine.report([*year_results, extra], start=YEAR_START, end=YEAR_END,
                             homes=HOMES,
                             ombudsman_references=[*truth.references, *UNMATCHED, HOSTILE],
                             title="Exampleshire Council: complaints 2025-26",
                             narrative=NARRATIVE + f"\n\n{HOSTILE}\n",
                             compare_to=last_year_results)
    finally:
        engine.close()


def _page(browser: Any, path: Path, problems: list[str]) -> Any:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.on("request", lambda r: problems.append(r.url) if r.url != path.as_uri() else None)
    page.goto(path.as_uri(), wait_until="load")
    return page


def test_the_report_opens_from_disk_with_its_charts(browser: Any, report: dict[str, Any],
                                                    tmp_path: Path) -> None:
    path = tmp_path / "report.html"
    path.write_text(render(report, "html"), encoding="utf-8")
    problems: list[str] = []
    page = _page(browser, path, problems)
    try:
        charts = page.locator("section.charts figure")
        assert charts.count() == 7
        for i in range(charts.count()):
            box = charts.nth(i).locator("svg").bounding_box()
            assert box is not None and box["width"] > 200 and box["height"] > 80
            described = charts.nth(i).locator("svg").get_attribute("aria-describedby")
            assert page.locator(f"table#{described}").count() == 1
        assert page.get_by_role("heading", name="Ombudsman", exact=True).count() == 1
        assert page.get_by_role("heading", name="You said, we did").count() == 1
        assert page.get_by_text("RSH TSM CH01").count() >= 1
        assert page.evaluate("() => window.__pwned") is None
        assert HOSTILE in page.locator("body").inner_text()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOT), full_page=True)
        assert problems == []
    finally:
        page.context.close()


def test_the_publication_prints_as_clean_a4(browser: Any, report: dict[str, Any],
                                            tmp_path: Path) -> None:
    import pypdfium2 as pdfium

    path = tmp_path / "published.html"
    path.write_text(render(report, "html", publish=True), encoding="utf-8")
    problems: list[str] = []
    page = _page(browser, path, problems)
    try:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(PUBLISHED), full_page=True)
        page.emulate_media(media="print")
        page.set_viewport_size({"width": A4_CONTENT_PX, "height": 1000})
        titles = page.locator("section.report-section > h2").all_inner_texts()
        widest = page.evaluate("() => Math.max(...[...document.querySelectorAll('figure svg')]"
                               ".map(s => s.getBoundingClientRect().width))")
        page.pdf(path=str(PDF), format="A4", print_background=True)
        assert problems == []
    finally:
        page.context.close()
    for old in ARTIFACTS.glob("complaints-report-2025-26-published-page-*.png"):
        old.unlink()
    pdf = pdfium.PdfDocument(str(PDF))
    try:
        starts = _check_pages(pdf, titles)
    finally:
        pdf.close()
    assert 300 < widest <= A4_CONTENT_PX  # every chart fits between the margins
    # Each section after the summary (which follows the title on page 1) opens a new page.
    assert titles[0] == "Summary" and starts == titles[1:]


def _check_pages(pdf: Any, titles: list[str]) -> list[str]:
    """The headings that open a page, in order; every page A4 and written out as PNG."""
    assert 6 <= len(pdf) <= 60
    starts = []
    for i in range(len(pdf)):
        page = pdf[i]
        width, height = page.get_size()
        assert abs(width - A4_POINTS[0]) < 2 and abs(height - A4_POINTS[1]) < 2
        text = " ".join(page.get_textpage().get_text_range().split())
        starts += [t for t in titles if text.startswith(t)][-1:]
        image = page.render(scale=1.2).to_pil()
        image.save(ARTIFACTS / f"complaints-report-2025-26-published-page-{i + 1:02d}.png")
    return starts
