"""``redress lint`` for a scenario file: its shape and the shape of every case in it.

A case a scenario expects to be refused (``expect: {error: …}``) is not reported: it is meant
to be invalid.  The cases are not evaluated; ``redress test`` does that.
"""

from __future__ import annotations

from pathlib import Path

from redress.evaluation.case_errors import date_findings, schema_findings
from redress.findings import Finding
from redress.testing.scenarios import load_scenario_file


def lint_scenario_file(path: str | Path) -> list[Finding]:
    """Every problem with the file's structure and its cases, located in the file."""
    scenarios, findings = load_scenario_file(path)
    for scenario in scenarios:
        if "error" in scenario.expect:
            continue
        document = scenario.case_document()
        problems = [*schema_findings(scenario.case), *date_findings(scenario.case)]
        findings.extend(document.locate(p) for p in problems)
    return findings
