"""The engine benchmark's measurements at the edges: a long ``redress batch`` stream and the
service with one worker (see ``bench_engine``).  Not a benchmark of its own (no ``TITLE``)."""

from __future__ import annotations

import contextlib
import datetime as dt
import http.client
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from bench_serve import _free_port
from harness import Report, Row
from redress import CaseError
from redress.evaluation.evaluate import Engine
from redress.evaluation.records import json_bytes
from redress.testing.generate import as_of_for, caseload_lines, random_cases

STREAM_AS_OF = dt.date(2026, 7, 1)
SERVE_CASES = 100
SERVE_REQUESTS = 600
REDRESS = [sys.executable, "-c", "from redress.cli import console_main; console_main()"]


def _cpu(pid: int) -> float:
    """User + system CPU seconds of a process and all its descendants so far."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pids = [pid]
    while pids:
        current = pids.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks
            for task in Path(f"/proc/{current}/task").iterdir():
                pids.extend(int(c) for c in (task / "children").read_text().split())
        except (OSError, ValueError, IndexError):
            continue
    return total


def _peak_rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return 0.0


def stream_peak(report: Report, folder: Path, target_mb: float) -> None:
    """Peak RSS of ``redress batch - --form lean`` over a long piped stream of records."""
    records = int(os.environ.get("REDRESS_BENCH_STREAM", "20000"))
    env = {**os.environ, "REDRESS_CACHE_DIR": str(folder / "cache")}
    proc = subprocess.Popen([*REDRESS, "batch", "-", "--as-of", STREAM_AS_OF.isoformat(),
                             "--form", "lean"], stdin=subprocess.PIPE,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    peak = [0.0]

    def sample() -> None:
        while proc.poll() is None:
            peak[0] = max(peak[0], _peak_rss_mb(proc.pid))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample)
    sampler.start()
    t0 = time.perf_counter()
    assert proc.stdin is not None
    for line in caseload_lines(records, seed=13):
        proc.stdin.write(line.encode("utf-8"))
    proc.stdin.close()
    proc.wait()
    elapsed = time.perf_counter() - t0
    sampler.join()
    report.rows.append(Row(f"redress batch - --form lean, {records:,} records: wall s",
                           elapsed, records))
    verdict = "met" if peak[0] < target_mb else "MISSED"
    report.notes.append(
        f"stream of {records:,} records (lean): peak RSS {peak[0]:.0f} MB (target < {target_mb:.0f}"
        f" MB for 1,000,000: {verdict} at this length; the long mode is "
        f"REDRESS_BENCH_STREAM=1000000), {records / elapsed:,.0f} records/s wall, exit "
        f"{proc.returncode}")


def _start_server(folder: Path) -> tuple[subprocess.Popen[bytes], int]:
    port = _free_port()
    env = {**os.environ, "REDRESS_CACHE_DIR": str(folder / "cache")}
    log = (folder / "serve.log").open("wb")
    proc = subprocess.Popen([*REDRESS, "serve", "--port", str(port), "--workers", "1"],
                            stdout=log, stderr=log, env=env)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/v1/health")
            if connection.getresponse().status == 200:
                return proc, port
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise RuntimeError("redress serve did not start")


def _post_all(port: int, bodies: list[tuple[str, bytes]]) -> list[tuple[int, Any]]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    answers = []
    for as_of, body in bodies:
        connection.request("POST", f"/v1/evaluate?as_of={as_of}", body=body,
                           headers={"content-type": "application/json"})
        response = connection.getresponse()
        answers.append((response.status, json.loads(response.read())))
    return answers


def _in_process(cases: list[dict[str, Any]]) -> tuple[float, list[tuple[int, Any]]]:
    """CPU seconds of evaluating and encoding every case in this process, and the answers."""
    engine = Engine.load()
    for case in cases[:20]:
        with contextlib.suppress(CaseError):
            engine.evaluate(case, as_of=as_of_for(case))
    out = []
    t0 = time.process_time()
    for case in cases:
        try:
            data = engine.evaluate(case, as_of=as_of_for(case)).to_dict()
            json_bytes(data)
            out.append((200, data))
        except CaseError:
            out.append((422, None))
    return time.process_time() - t0, out


def serve_against_in_process(report: Report, folder: Path, target: float) -> None:
    """The service's CPU per request (one worker, keep-alive) against in-process evaluation."""
    distinct = random_cases(SERVE_CASES, seed=17)
    cases = [distinct[i % len(distinct)] for i in range(SERVE_REQUESTS)]
    bodies = [(str(as_of_for(c)), json.dumps(c).encode()) for c in cases]
    cpu_in, expected = _in_process(cases)
    proc, port = _start_server(folder)
    try:
        _post_all(port, bodies[:30])  # warm
        cpu0, t0 = _cpu(proc.pid), time.perf_counter()
        answers = _post_all(port, bodies)
        wall, cpu = time.perf_counter() - t0, _cpu(proc.pid) - cpu0
    finally:
        proc.terminate()
        proc.wait(timeout=60)
    report.rows.append(Row("in-process evaluate + to_dict + encode: CPU s", cpu_in, len(cases)))
    report.rows.append(Row("redress serve, 1 worker, POST /v1/evaluate: server CPU s", cpu,
                           len(cases)))
    ratio = cpu_in / cpu if cpu else 0.0
    report.notes.append(
        f"serve (1 worker): {len(cases) / cpu:,.0f} requests per server-CPU second, "
        f"{len(cases) / wall:,.0f} requests/s wall with one keep-alive client; in process "
        f"{len(cases) / cpu_in:,.0f}/s: the service runs at {ratio:.2f}× the in-process rate "
        f"(target ≥ {target}: {'met' if ratio >= target else 'MISSED'})")
    for (status, body), (want_status, want) in zip(answers, expected, strict=True):
        if status != want_status or (status == 200 and _without_service(body) != want):
            report.ok = False
            report.notes.append("DIFFERENT ANSWER from the service")
            break


def _without_service(body: Any) -> Any:
    """The service's result without the members only the service adds (its decision id, API
    version)."""
    if isinstance(body, dict) and isinstance(body.get("audit"), dict):
        audit = {k: v for k, v in body["audit"].items() if k not in ("api_version", "decision_id")}
        return {**body, "audit": audit}
    return body


__all__ = ["serve_against_in_process", "stream_peak"]
