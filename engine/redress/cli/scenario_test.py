"""``redress test [PATH...] [--coverage] [--fail-under PCT] [--policies PATH]``.

Runs YAML scenario files (``*.scenarios.yaml``; default: the bundled ``tests/scenarios`` when
run from a checkout) through the engine and reports every mismatch with its file and line.
``--coverage`` also lists every stage, deadline, entitlement, exclusion and rule that no scenario
exercises, and fails when deadlines and entitlements are covered below ``--fail-under``
(default 100).  Exit 0 all passed, 1 any failure, 2 usage or I/O error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from redress.cli import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE
from redress.cli.arguments import backend_option
from redress.cli.output import printable
from redress.errors import PolicyError
from redress.findings import did_you_mean


def add_parser(sub: Any) -> None:
    parser = sub.add_parser("test", help="run YAML scenario tests (and provision coverage)",
                            description="Run YAML scenario files (*.scenarios.yaml) through the "
                                        "engine and report every mismatch with its file and "
                                        "line; with --coverage, list the provisions no "
                                        "scenario exercises.")
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="scenario files or folders (default: tests/scenarios)")
    parser.add_argument("--policies", action="append", default=[], metavar="PATH",
                        help="local policy/rule files or folders to add to the bundled ones")
    parser.add_argument("--coverage", action="store_true",
                        help="report provisions no scenario exercises")
    parser.add_argument("--fail-under", type=float, default=100.0, metavar="PCT",
                        help="with --coverage: minimum %% of deadlines and entitlements covered")
    parser.add_argument("--procedure", action="append", default=None, metavar="ID",
                        help="with --coverage: measure only these procedures (a bundled "
                             "procedure, its family, or a local policy's id); default all")
    backend_option(parser)
    parser.add_argument("-q", "--quiet", action="store_true", help="print failures only")


def run(args: argparse.Namespace) -> int:
    from redress.evaluation.evaluate import Engine
    from redress.testing import load_scenario_file, measure_coverage, run_scenario, scenario_files
    from redress.testing.coverage import GATED, KINDS, procedure_ids

    paths = args.paths or ["tests/scenarios"]
    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        print(printable(f"redress test: no such file or folder: {', '.join(missing)}"),
              file=sys.stderr)
        return EXIT_USAGE
    engines: dict[tuple[Path, ...], Engine] = {}

    def engine_for(local: tuple[Path, ...]) -> Engine:
        if local not in engines:
            engines[local] = Engine.load([*args.policies, *local], backend=args.backend)
        return engines[local]

    try:
        engine_for(())
    except PolicyError as exc:
        print(printable(str(exc)), file=sys.stderr)
        return EXIT_FINDINGS
    outcomes = []
    failed = 0
    for path in scenario_files(paths):
        scenarios, findings = load_scenario_file(path)
        for finding in findings:
            failed += 1
            print(printable(f"ERROR {finding.render()}"))
        for scenario in scenarios:
            try:
                outcome = run_scenario(engine_for(scenario.policies), scenario)
            except PolicyError as exc:
                failed += 1
                print(printable(f"ERROR {scenario.where}: local policies are invalid:\n{exc}"))
                continue
            outcomes.append(outcome)
            if outcome.passed:
                if not args.quiet:
                    print(printable(f"ok    {scenario.where}: {scenario.name}"))
                continue
            failed += 1
            print(printable(f"FAIL  {scenario.where}: {scenario.name}"))
            for line in ([outcome.error] if outcome.error else [str(m) for m in outcome.mismatches]):
                print(printable(f"        {line}"))
    passed = len(outcomes) - sum(1 for o in outcomes if not o.passed)
    print(f"{passed} passed, {failed} failed")
    status = EXIT_OK if failed == 0 else EXIT_FINDINGS
    if args.coverage:
        engine = engine_for(_all_local(outcomes))
        unknown = sorted(set(args.procedure or ()) - procedure_ids(engine))
        if unknown:
            known = sorted(procedure_ids(engine))
            for name in unknown:
                hint = did_you_mean(name, known)
                print(f"redress test: --procedure {name}: no such procedure"
                      + (f" ({hint})" if hint else "")
                      + f"; the procedures are: {', '.join(known)}", file=sys.stderr)
            return EXIT_USAGE
        coverage = measure_coverage(engine, outcomes, args.procedure)
        print("\nCoverage:")
        for kind in KINDS:
            done, total = coverage.of(kind)
            print(f"  {kind + 's':<13} {done}/{total}")
        for item in coverage.missing():
            print(printable(f"  not exercised: {item}"))
        gated = coverage.percent(GATED)
        print(f"  deadlines and entitlements: {gated:.1f}% (fail under {args.fail_under:g}%)")
        if gated < args.fail_under:
            status = EXIT_FINDINGS
    return status


def _all_local(outcomes: Any) -> tuple[Path, ...]:
    """Every local policy path any scenario loaded, so coverage counts their provisions too."""
    return tuple(dict.fromkeys(p for o in outcomes for p in o.scenario.policies))
