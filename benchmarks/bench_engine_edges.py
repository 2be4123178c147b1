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
        f"{proc.returncode} (1: about 1 % of the generated records are broken on purpose)")


# The HTTP stack alone, for the floor under any service: the same server (uvicorn[standard]),
# a Starlette route that reads the body as JSON and answers a fixed result-sized JSON body.
BARE_APP = """
import orjson
from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route

ANSWER = orjson.dumps({"result": "x" * 13000})


async def evaluate(request):
    orjson.loads(await request.body())
    return Response(ANSWER, media_type="application/json")


async def health(request):
    return Response(b"{}", media_type="application/json")

app = Starlette(routes=[Route("/v1/evaluate", evaluate, methods=["POST"]),
                        Route("/v1/health", health)])
"""


def server_command(folder: Path, port: int, bare: bool) -> list[str]:
    """`redress serve` on one worker, or (bare) the same HTTP stack with no Redress behind it."""
    if not bare:
        return [*REDRESS, "serve", "--port", str(port), "--workers", "1"]
    (folder / "bare_app.py").write_text(BARE_APP, encoding="utf-8")
    return [sys.executable, "-m", "uvicorn", "bare_app:app", "--app-dir", str(folder),
            "--port", str(port), "--workers", "1", "--no-access-log"]


def wait_until_healthy(proc: subprocess.Popen[bytes], port: int, seconds: float) -> None:
    """Poll `/v1/health` until it answers 200; stop the server and fail if it never does."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            connection.request("GET", "/v1/health")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise RuntimeError("the server did not start")


def _start_server(folder: Path, bare: bool = False) -> tuple[subprocess.Popen[bytes], int]:
    port = _free_port()
    env = {**os.environ, "REDRESS_CACHE_DIR": str(folder / "cache")}
    log = (folder / "serve.log").open("ab")
    proc = subprocess.Popen(server_command(folder, port, bare), stdout=log, stderr=log, env=env)
    wait_until_healthy(proc, port, 120)
    return proc, port


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


def _served(folder: Path, bodies: list[tuple[str, bytes]],
            bare: bool = False) -> tuple[float, float, list[tuple[int, Any]]]:
    """Server CPU s and wall s of answering every body (after 30 to warm up), and the answers."""
    proc, port = _start_server(folder, bare)
    try:
        _post_all(port, bodies[:30])
        cpu0, t0 = _cpu(proc.pid), time.perf_counter()
        answers = _post_all(port, bodies)
        return _cpu(proc.pid) - cpu0, time.perf_counter() - t0, answers
    finally:
        proc.terminate()
        proc.wait(timeout=60)


def serve_against_in_process(report: Report, folder: Path, target: float) -> None:
    """The service's CPU per request (one worker, keep-alive) against in-process evaluation,
    and the floor: the same HTTP stack answering without evaluating."""
    distinct = random_cases(SERVE_CASES, seed=17)
    cases = [distinct[i % len(distinct)] for i in range(SERVE_REQUESTS)]
    bodies = [(str(as_of_for(c)), json.dumps(c).encode()) for c in cases]
    cpu_in, expected = _in_process(cases)
    cpu, wall, answers = _served(folder, bodies)
    bare, _wall, _answers = _served(folder, bodies, bare=True)
    n = len(cases)
    report.rows.append(Row("in-process evaluate + to_dict + encode: CPU s", cpu_in, n))
    report.rows.append(Row("redress serve, 1 worker, POST /v1/evaluate: server CPU s", cpu, n))
    report.rows.append(Row("bare uvicorn + Starlette, same bodies: server CPU s", bare, n))
    ratio = cpu_in / cpu if cpu else 0.0
    report.notes.append(
        f"serve (1 worker): {n / cpu:,.0f} requests per server-CPU second, {n / wall:,.0f} "
        f"requests/s wall with one keep-alive client; in process {n / cpu_in:,.0f}/s: the "
        f"service runs at {ratio:.2f}× the in-process rate (target ≥ {target}: "
        f"{'met' if ratio >= target else 'MISSED'}); the HTTP stack alone costs "
        f"{bare / n * 1e6:,.0f} µs of server CPU a request, so no service on it could pass "
        f"{cpu_in / (cpu_in + bare):.2f}×; the service spends {(cpu - cpu_in - bare) / n * 1e6:,.0f}"
        f" µs a request beyond evaluation and that floor")
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
