"""Shared by the caseload tests: a generated caseload with bad records mixed in, and helpers
to run ``redress batch`` and read its output."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from redress.testing.generate import random_cases

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "EX-2025-0042.yaml"
AS_OF = "2026-06-01"
REDRESS = [sys.executable, "-c", "from redress.cli import console_main; console_main()"]
# The 100,000-record check takes minutes at today's engine speed; CI uses a smaller
# caseload with the same mix, and REDRESS_CASELOAD_RECORDS=100000 runs the full one.
RECORDS = int(os.environ.get("REDRESS_CASELOAD_RECORDS", "1500"))


def write_caseload(path: Path, count: int, seed: int = 7) -> list[int]:
    """A generated JSON Lines caseload with bad records mixed in; returns the bad positions."""
    bad: list[int] = []
    with path.open("w", encoding="utf-8") as fh:
        for i, case in enumerate(random_cases(count, seed=seed)):
            if i % 97 == 13:
                fh.write('{"id": "torn", "received": \n')
                bad.append(i)
            elif i % 97 == 41:
                fh.write(json.dumps({**case, "service": "parking_tickets"}) + "\n")
                bad.append(i)
            elif i % 97 == 70:
                fh.write("\n")  # a blank line is not a record: keep the count by adding one
                fh.write(json.dumps(case) + "\n")
            else:
                fh.write(json.dumps(case) + "\n")
    return bad


def read_lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def comparable(record: dict[str, Any]) -> dict[str, Any]:
    """A record without what differs between runs over the same cases from other sources:
    the input's source name, the run's options and warnings that name the source."""
    member = {k: v for k, v in record["input"].items() if k in ("line", "index", "sha256")}
    return {**record, "input": member,
            "warnings": [w.split(": ", 1)[1] for w in record.get("warnings", [])]}


def child_processes(pid: int) -> list[int]:
    """The live (not zombie) child processes of ``pid``, from Linux's /proc."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return sorted(found)
