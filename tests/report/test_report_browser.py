"""The HTML report of the generated year in headless Chromium, opened from disk (file://).

As the reviewer site is tested (tests/docs/test_site_browser.py): Debian's Chromium driven by
Playwright, failing (not skipping) when Chromium is missing.  The page must load with no console
error and no request to anything but the file itself; every chart (five) must be an inline SVG; hostile
text in a record must show as text and never run.  A full-page screenshot is kept at
``tests/artifacts/complaints-report-2025-26.png``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from conftest import AS_OF, HOMES, UNMATCHED, YEAR_END, YEAR_START, Truth
from redress import Engine
from redress.report.build import render

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
SCREENSHOT = ARTIFACTS / "complaints-report-2025-26.png"
HOSTILE = '<img src=x onerror="window.__pwned=1">'


@pytest.fixture(scope="module")
def report_file(year_results: list[dict[str, Any]], generated_year: tuple[list[Any], Truth],
                tmp_path_factory: pytest.TempPathFactory) -> Path:
    truth = generated_year[1]
    hostile = {"id": HOSTILE, "received": "2025-06-02", "nation": "england",
               "service": "housing", "record": "compliment",
               "organisations": [{"id": "exampleshire", "kind": "local_authority"}],
               "events": []}
    engine = Engine.load()
    try:
        extra = engine.evaluate(hostile, as_of=AS_OF).to_dict()
        report = engine.report([*year_results, extra], start=YEAR_START, end=YEAR_END,
                               homes=HOMES,
                               ombudsman_references=[*truth.references, *UNMATCHED, HOSTILE],
                               title="Exampleshire Council: complaints 2025-26")
    finally:
        engine.close()
    path = tmp_path_factory.mktemp("report") / "report.html"
    path.write_text(render(report, "html"), encoding="utf-8")
    return path


def test_the_report_opens_from_disk_with_its_charts(browser: Any, report_file: Path) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.on("request", lambda r: problems.append(r.url)
            if r.url != report_file.as_uri() else None)
    try:
        page.goto(report_file.as_uri(), wait_until="load")
        charts = page.locator("section.charts figure")
        assert charts.count() == 5
        for i in range(charts.count()):
            box = charts.nth(i).locator("svg").bounding_box()
            assert box is not None and box["width"] > 200 and box["height"] > 80
        assert page.get_by_role("heading", name="Ombudsman", exact=True).count() == 1
        assert page.get_by_text("RSH TSM CH01").count() >= 1
        assert page.evaluate("() => window.__pwned") is None
        assert HOSTILE in page.locator("body").inner_text()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOT), full_page=True)
        assert problems == []
    finally:
        context.close()
