"""The report a manager publishes (issue 21): words not ids, no case ids or Ombudsman references,
small numbers suppressed, the narrative rendered safely, legends clear of the bars, and periods
that span a new version of the rules split by version."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape
from typing import Any

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from planned_year import AS_OF, HOMES, NARRATIVE, SERVICES, UNMATCHED, YEAR_END, YEAR_START, Truth

from redress import Engine
from redress.report.build import render, report_problems
from redress.report.charts import figure
from redress.report.document import Chart, Table
from redress.report.layout import layout
from redress.report.present import Presenter

Year = tuple[list[dict[str, Any]], Truth]
IDS = ("children-act-1989", "adult-social-care-nhs-2009", "council-corporate",
       "housing-ombudsman-code-2024", "children_social_care", "adult_social_care",
       "council_corporate", "partly_upheld", "not_upheld", "within_extension",
       "anti_social_behaviour", "care_planning", "service_user", "review_others_affected",
       "completed_on_time", "request_next_stage", "upheld_remedy_provided", "stage1")


@pytest.fixture(scope="module")
def report(year_results: list[dict[str, Any]], last_year_results: list[dict[str, Any]],
           generated_year: Year) -> dict[str, Any]:
    truth = generated_year[1]
    engine = Engine.load()
    try:
        return engine.report(year_results, start=YEAR_START, end=YEAR_END, homes=HOMES,
                             ombudsman_references=[*truth.references, *UNMATCHED],
                             title="Exampleshire Council: complaints 2025-26",
                             narrative=NARRATIVE, compare_to=last_year_results)
    finally:
        engine.close()


def visible_text(html: str) -> str:
    """What a reader sees: tags, the style sheet and the charts' drawn paths left out."""
    html = re.sub(r"<style>.*?</style>|<svg.*?</svg>", " ", html, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", html))


def test_a_publication_shows_no_id_reference_or_raw_value(report: dict[str, Any],
                                                          generated_year: Year) -> None:
    cases, truth = generated_year
    html = render(report, "html", publish=True, threshold=5)
    text = visible_text(html)
    case_ids = {c["id"] for c in cases} | {"P-0001", "P-0002"}
    found_ids = sorted(i for i in case_ids if re.search(rf"\b{re.escape(i)}\b", html))
    assert found_ids == []
    assert [r for r in [*truth.references, *UNMATCHED] if r in html] == []
    assert [i for i in IDS if i in text] == []
    assert "Stage 1" in text and "Partly upheld" in text and "Children's social care" in text
    assert "<5" in text  # some counts are small enough to be suppressed
    # The manager's narrative is there, rendered, and harmless.
    assert "Learning and service improvements" in text and "You said, we did" in text
    assert "Two more officers in the contact centre" in text
    assert "<script" not in html and 'href="javascript' not in html
    assert "tracker.example/p.png" not in re.findall(r'src="([^"]*)"', html)
    assert "<img" not in html


def test_the_managers_copy_keeps_the_cross_reference(report: dict[str, Any],
                                                     generated_year: Year) -> None:
    html = render(report, "html")
    assert "P-0001" in html and "LGSCO 24 000 001" in html
    assert "not for publication" in html


def test_small_numbers_are_suppressed_at_the_managers_threshold(report: dict[str, Any]) -> None:
    doc5 = layout(report, Presenter(publish=True, threshold=5))
    doc10 = layout(report, Presenter(publish=True, threshold=10))
    text5, text10 = render(report, "md", True, 5), render(report, "md", True, 10)
    assert "\\<10" in text10 and "\\<10" not in text5
    assert doc5.sections and doc10.sections
    charts = [b for s in doc10.sections for b in s.blocks if isinstance(b, Chart)]
    assert charts and all(v == 0 or v >= 10 for c in charts for _, vs in c.series for v in vs)


def test_every_chart_has_its_table_and_a_legend_clear_of_the_bars(report: dict[str, Any]) -> None:
    doc = layout(report, Presenter())
    charts = [b for s in doc.sections for b in s.blocks if isinstance(b, Chart)]
    assert len(charts) >= 6
    for chart in charts:
        assert len(chart.table.rows) == len(chart.labels)
        fig = figure(chart)
        FigureCanvasAgg(fig)
        renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
        fig.draw(renderer)
        assert len(fig.legends) == (len(chart.series) > 1)
        for legend in fig.legends:
            box = legend.get_window_extent(renderer)
            ax = fig.axes[0]
            assert not box.overlaps(ax.get_window_extent(renderer)), chart.name
    html = render(report, "html")
    assert html.count('aria-describedby="chart-') == len(charts)
    assert html.count('<details class="chart-data">') == len(charts)


def test_the_json_report_keeps_ids_and_matches_its_schema(report: dict[str, Any]) -> None:
    assert report_problems(report) == []
    assert report["narrative"][1]["title"] == "Learning and service improvements"
    assert report["comparison"]["headlines"][0]["id"] == "received"
    assert set(report["breakdowns"]["service"]) <= set(SERVICES) | {"unstated"}


def _corporate(case_id: str, received: str, answered: str) -> dict[str, Any]:
    return {"id": case_id, "received": received, "nation": "england",
            "service": "council_corporate", "complainant": {"role": "service_user"},
            "organisations": [{"id": "c", "kind": "local_authority"}],
            "events": [{"date": received, "type": "acknowledged"},
                       {"date": answered, "type": "responded", "outcome": "upheld"}]}


def test_a_period_spanning_a_new_version_is_split_by_version() -> None:
    engine = Engine.load(backend="plain")
    try:
        results = [engine.evaluate(_corporate("A", "2026-03-16", "2026-03-19"),
                                   as_of=dt.date(2026, 6, 30)),
                   engine.evaluate(_corporate("B", "2026-04-13", "2026-04-16"),
                                   as_of=dt.date(2026, 6, 30))]
        report = engine.report(results, start=dt.date(2026, 3, 1), end=dt.date(2026, 5, 31))
    finally:
        engine.close()
    (proc,) = report["procedures"]
    (stage1,) = proc["stages"]
    assert [v["version"] for v in stage1["versions"]] == ["pre-code", "2026-04-01"]
    assert [v["responded"] for v in stage1["versions"]] == [1, 1]
    figure_ = next(f for f in proc["statutory"]["figures"] if f["id"] == "on-time-stage1")
    assert [v["denominator"] for v in figure_["detail"]["by_version"]] == [1, 1]
    text = render(report, "md")
    assert "1 April 2026" in text and "31 March 2026" in text


def test_an_agreed_longer_period_is_an_extension() -> None:
    """SI 2009/309: a longer period agreed before the six months end replaces the deadline; it
    is an extension in the count as well as in 'within an extension'."""
    case = {"id": "A", "received": "2025-06-02", "nation": "england",
            "service": "adult_social_care", "complainant": {"role": "service_user"},
            "organisations": [{"id": "c", "kind": "local_authority"}],
            "events": [{"date": "2025-06-02", "type": "acknowledged"},
                       {"date": "2025-11-20", "type": "period_agreed", "until": "2026-02-27"},
                       {"date": "2026-01-15", "type": "responded", "outcome": "upheld"}]}
    engine = Engine.load(backend="plain")
    try:
        report = engine.report([engine.evaluate(case, as_of=AS_OF)])
    finally:
        engine.close()
    (stage1,) = report["procedures"][0]["stages"]
    assert stage1["timeliness"]["respond"]["within_extension"] == 1
    assert stage1["extensions"] == 1
    assert report["procedures"][0]["stage_count"] == 1
    assert "Resolved at stage 1:" not in render(report, "md")


@pytest.mark.parametrize("horizontal", [True, False])
def test_a_chart_whose_every_count_is_suppressed_starts_at_zero_and_says_so(
        horizontal: bool) -> None:
    """In a publication every bar of a chart can be suppressed; the axis must not run from
    -0.04 to 0.04 as if the chart were broken."""
    table = Table(("Decision", "Decisions"), (("Upheld", "<5"), ("Not upheld", "<5")), "t")
    chart = Chart("ombudsman", "Ombudsman decisions", ("Upheld", "Not upheld"),
                  (("Decisions", (0.0, 0.0)),), table, horizontal=horizontal)
    ax = figure(chart).axes[0]
    assert (ax.get_xlim() if horizontal else ax.get_ylim()) == (0.0, 1.0)
    assert any("large enough to draw" in t.get_text() for t in ax.texts)
