"""``redress serve`` against in-process evaluation, in user-space instructions (callgrind).

The engine benchmark's service ratio is server CPU seconds, which a busy shared machine moves
by ±30 % between runs.  Instructions counted by valgrind's callgrind do not move with the load,
so this measures the same thing steadily: instructions per request of a real ``redress serve``
(one worker, keep-alive client, the engine benchmark's 100 generated cases, collection switched
on only around the measured requests), of in-process ``evaluate + to_dict + encode`` of the
same cases (two runs, with and without the cases, subtracted), and of bare uvicorn + Starlette
answering the same bodies.  Kernel work (socket calls, context switches) is not counted: it is
about the same for the service and the bare stack.  Needs ``valgrind``; about two minutes.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench_engine_edges import _post_all, server_command, wait_until_healthy
from bench_serve import _free_port
from harness import Report
from redress.testing.generate import as_of_for, random_cases

TITLE = "redress serve: user-space instructions per request against in-process (callgrind)"
CASES = 100
IN_PROCESS = """
import contextlib, sys
from redress import CaseError
from redress.evaluation.evaluate import Engine
from redress.evaluation.records import json_bytes
from redress.testing.generate import as_of_for, random_cases
cases = random_cases(100, seed=17)[:int(sys.argv[1])]
engine = Engine.load()
for case in random_cases(100, seed=17)[:20]:
    with contextlib.suppress(CaseError):
        engine.evaluate(case, as_of=as_of_for(case))
for case in cases:
    with contextlib.suppress(CaseError):
        json_bytes(engine.evaluate(case, as_of=as_of_for(case)).to_dict())
"""


def _total(out: Path) -> int:
    """The instruction total of a callgrind output (its parts added up)."""
    total = 0
    for part in out.parent.glob(out.name + "*"):
        for line in part.read_text(errors="replace").splitlines():
            if line.startswith(("summary:", "totals:")):
                total = max(total, int(line.split()[1]))
    return total


def _callgrind(out: Path, *command: str, at_start: bool = True) -> list[str]:
    return ["valgrind", "--tool=callgrind", f"--instr-atstart={'yes' if at_start else 'no'}",
            f"--callgrind-out-file={out}", *command]


def _in_process(folder: Path) -> float:
    script = folder / "in_process.py"
    script.write_text(IN_PROCESS, encoding="utf-8")
    totals = []
    for n in (0, CASES):
        out = folder / f"in_process_{n}.out"
        subprocess.run(_callgrind(out, sys.executable, str(script), str(n)), check=True,
                       capture_output=True, timeout=1800)
        totals.append(_total(out))
    return (totals[1] - totals[0]) / CASES


def _served(folder: Path, bodies: list[tuple[str, bytes]], bare: bool) -> tuple[float, bool]:
    port = _free_port()
    out = folder / ("bare.out" if bare else "serve.out")
    command = server_command(folder, port, bare)
    log = (folder / "serve.log").open("ab")
    proc = subprocess.Popen(_callgrind(out, *command, at_start=False), stdout=log, stderr=log)
    try:
        wait_until_healthy(proc, port, 600)   # under callgrind a start takes minutes
        _post_all(port, bodies[:20])
        subprocess.run(["callgrind_control", "-i", "on", str(proc.pid)], capture_output=True,
                       check=True, timeout=120)
        answers = _post_all(port, bodies)
        subprocess.run(["callgrind_control", "-i", "off", str(proc.pid)], capture_output=True,
                       check=True, timeout=120)
    finally:
        proc.terminate()
        proc.wait(timeout=600)
    return _total(out) / len(bodies), all(status in (200, 422) for status, _ in answers)


def run() -> Report:
    report = Report(TITLE)
    if shutil.which("valgrind") is None or shutil.which("callgrind_control") is None:
        report.notes.append("valgrind is not installed: nothing measured")
        return report
    cases = random_cases(CASES, seed=17)
    bodies = [(str(as_of_for(c)), json.dumps(c).encode()) for c in cases]
    with tempfile.TemporaryDirectory(prefix="redress-bench-instructions-") as name:
        folder = Path(name)
        in_process = _in_process(folder)
        served, served_ok = _served(folder, bodies, bare=False)
        bare, bare_ok = _served(folder, bodies, bare=True)
    report.ok = served_ok and bare_ok
    report.notes.append(f"in process (evaluate + to_dict + encode): {in_process / 1e6:.2f} M "
                        "instructions a case")
    report.notes.append(f"redress serve, 1 worker, POST /v1/evaluate: {served / 1e6:.2f} M a "
                        f"request: {in_process / served:.2f}× the in-process rate by "
                        f"instructions (the engine benchmark's target: ≥ 0.75× by CPU time)")
    report.notes.append(f"bare uvicorn + Starlette, same bodies: {bare / 1e6:.2f} M a request; "
                        f"the service adds {(served - in_process - bare) / 1e6:.2f} M a request "
                        "beyond evaluation and that floor")
    return report
