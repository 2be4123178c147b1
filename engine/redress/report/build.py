"""Make, check and render a report: the entry points the CLI and the library use."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from redress.errors import PolicyError
from redress.policy.report_definitions import (
    ReportDefinition,
    is_definition_file,
    load_definitions,
)
from redress.policy.schema import schema_findings
from redress.report.compute import ReportOptions, compute_report
from redress.report.html import write_html
from redress.report.layout import layout
from redress.report.markdown import write_markdown
from redress.report.present import Presenter

FORMATS = ("md", "html", "json")


def definitions(files: Sequence[Path] | None = None) -> list[ReportDefinition]:
    """The report definitions (default: the bundled ones); raises ``PolicyError`` if any is
    invalid, as a policy would."""
    found, findings = load_definitions(files)
    errors = [f for f in findings if f.is_error]
    if errors:
        raise PolicyError(errors)
    return found


def make_report(records: Iterable[Mapping[str, Any]], options: ReportOptions | None = None,
                local_definitions: Sequence[Path] = (),
                previous: Iterable[Mapping[str, Any]] | None = None) -> dict[str, Any]:
    """The report (``schemas/report.schema.json``) over result and error records.

    ``local_definitions`` (report-definition files) come before the bundled ones, so a local
    definition for a procedure is used instead of the bundled one.  ``previous`` are the
    records to compare with (over ``options.compare_period``).
    """
    local = definitions(local_definitions) if local_definitions else []
    return compute_report(records, [*local, *definitions()], options, previous)


def definition_files(paths: Sequence[Path]) -> list[Path]:
    """Report-definition files among ``paths`` (files, or YAML files in folders)."""
    found: list[Path] = []
    for path in paths:
        found.extend(sorted(p for p in path.rglob("*.y*ml") if is_definition_file(p))
                     if path.is_dir() else [path])
    return found


def report_problems(report: Any) -> list[str]:
    """Where a report does not match ``schemas/report.schema.json`` (empty when it does)."""
    return [f.message for f in schema_findings(report, "report")]


def render(report: Mapping[str, Any], fmt: str, publish: bool = False,
           threshold: int = 5) -> str:
    """The report as Markdown, HTML or JSON.  ``publish`` leaves out case ids, Ombudsman
    references and error messages and suppresses counts below ``threshold`` (Markdown and HTML
    only: the JSON is the data behind them)."""
    if fmt in ("html", "md"):
        doc = layout(report, Presenter(publish, threshold))
        return write_html(doc) if fmt == "html" else write_markdown(doc)
    import json

    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"


__all__ = ["FORMATS", "definition_files", "definitions", "make_report", "render",
           "report_problems"]
