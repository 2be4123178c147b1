"""Make, check and render a report: the entry points the CLI and the library use."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from redress.errors import PolicyError
from redress.policy.report_definitions import ReportDefinition, load_definitions
from redress.policy.schema import schema_findings
from redress.report.compute import ReportOptions, compute_report
from redress.report.html import render_html
from redress.report.markdown import render_markdown

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
                definition_files: Sequence[Path] | None = None) -> dict[str, Any]:
    """The report (``schemas/report.schema.json``) over result and error records."""
    return compute_report(records, definitions(definition_files), options)


def report_problems(report: Any) -> list[str]:
    """Where a report does not match ``schemas/report.schema.json`` (empty when it does)."""
    return [f.message for f in schema_findings(report, "report")]


def render(report: Mapping[str, Any], fmt: str) -> str:
    if fmt == "html":
        return render_html(report)
    if fmt == "md":
        return render_markdown(report)
    import json

    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"


__all__ = ["FORMATS", "definitions", "make_report", "render", "report_problems"]
