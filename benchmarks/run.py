"""Run Redress's benchmarks.

    python benchmarks/run.py            # every benchmarks/bench_*.py
    python benchmarks/run.py calendar   # only bench_calendar.py
    python benchmarks/run.py --list
    python benchmarks/run.py caseload --quick   # smaller sizes, for benchmarks that have them

Use the project's environment (``.venv/bin/python benchmarks/run.py``).  Exits 1 if any
benchmark's methods disagreed on an input, 2 on an unknown benchmark name; never on timings.
To add a benchmark, create ``benchmarks/bench_<name>.py`` with ``TITLE`` and
``run() -> harness.Report``.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import platform
import sys
from pathlib import Path

from harness import Report, render

HERE = Path(__file__).resolve().parent


def available() -> list[str]:
    """Benchmark names, from the ``bench_<name>.py`` files next to this script."""
    return sorted(p.stem.removeprefix("bench_") for p in HERE.glob("bench_*.py"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run Redress benchmarks (timings only).")
    parser.add_argument("names", nargs="*", metavar="NAME", help="benchmarks to run (default all)")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    parser.add_argument("--quick", action="store_true",
                        help="smaller sizes, for the benchmarks whose run() takes quick=")
    args = parser.parse_args(argv)
    names = available()
    if args.list:
        for name in names:
            module = importlib.import_module(f"bench_{name}")
            print(f"{name}: {module.TITLE}")
        return 0
    unknown = [n for n in args.names if n not in names]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; available: {', '.join(names)}",
              file=sys.stderr)
        return 2
    print(f"Python {platform.python_version()} on {platform.machine()}, "
          f"{platform.system()} {platform.release()}")
    ok = True
    for name in args.names or names:
        module = importlib.import_module(f"bench_{name}")
        quick = args.quick and "quick" in inspect.signature(module.run).parameters
        report: Report = module.run(quick=True) if quick else module.run()
        print()
        print(render(report))
        ok = ok and report.ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
