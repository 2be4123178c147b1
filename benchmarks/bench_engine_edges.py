"""The engine benchmark's measurements at the edges: a long ``redress batch`` stream and the
service with one worker (see ``bench_engine``).  Not a benchmark of its own (no ``TITLE``)."""

from __future__ import annotations

import contextlib
import datetime as dt
import http.client
import json
import os
import statistics
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
from redress.evaluation.records import InputRef, ParsedInput, json_bytes, to_json_bytes
from redress.policy.loader import Document
from redress.serve.inputs import BATCH_SOURCE
from redress.testing.generate import as_of_for, caseload_lines, random_cases

STREAM_AS_OF = dt.date(2026, 7, 1)
SERVE_CASES = 100
SERVE_REQUESTS = 600
SERVE_CLIENTS = 3
SERVE_ROUNDS = 3
BATCH_AS_OF = dt.date(2026, 8, 1)  # after every generated case's own date: all evaluate
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


def _waits(pid: int) -> int:
    """How many times the threads of a process have blocked so far (voluntary switches)."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(OSError, ValueError, IndexError):
            for line in (task / "status").read_text().splitlines():
                if line.startswith("voluntary_ctxt_switches:"):
                    total += int(line.split()[1])
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


def _post_at_once(port: int, bodies: list[tuple[str, bytes]],
                  clients: int) -> list[tuple[int, Any]]:
    """The bodies shared out over ``clients`` keep-alive connections posting at the same time,
    so the server always has the next request waiting; the answers in the bodies' order."""
    answers: list[list[tuple[int, Any]]] = [[] for _ in range(clients)]

    def client(k: int) -> None:
        answers[k] = _post_all(port, bodies[k::clients])

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    out: list[tuple[int, Any]] = [(0, None)] * len(bodies)
    for k in range(clients):
        out[k::clients] = answers[k]
    return out


def _post_batch(port: int, body: bytes) -> list[Any]:
    """One ``POST /v1/evaluate/batch`` of JSON Lines; its records, parsed."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    connection.request("POST", f"/v1/evaluate/batch?as_of={BATCH_AS_OF.isoformat()}",
                       body=body, headers={"content-type": "application/x-ndjson"})
    response = connection.getresponse()
    return [json.loads(line) for line in response.read().splitlines() if line.strip()]


def _in_process(cases: list[dict[str, Any]],
                pause: float = 0.0) -> tuple[float, list[tuple[int, Any]]]:
    """CPU seconds of evaluating and encoding every case in this process, and the answers;
    with ``pause`` seconds of sleep before each case, as a server waits for each request."""
    engine = Engine.load()
    for case in cases[:20]:
        with contextlib.suppress(CaseError):
            engine.evaluate(case, as_of=as_of_for(case))
    out = []
    t0 = time.process_time()
    for case in cases:
        if pause:
            time.sleep(pause)
        try:
            data = engine.evaluate(case, as_of=as_of_for(case)).to_dict()
            json_bytes(data)
            out.append((200, data))
        except CaseError:
            out.append((422, None))
    return time.process_time() - t0, out


def _in_process_batch(engine: Engine, cases: list[dict[str, Any]]) -> tuple[float, list[Any]]:
    """CPU seconds of ``Engine.evaluate_many`` over the cases and writing each record as a JSON
    line, as ``redress batch`` does, with the inputs numbered as the service numbers the lines
    of a batch body; and the records."""
    inputs = [ParsedInput(InputRef(BATCH_SOURCE, i + 1, i), Document(BATCH_SOURCE, case, {}))
              for i, case in enumerate(cases)]
    t0 = time.process_time()
    lines = [to_json_bytes(record) for record in engine.evaluate_many(inputs, BATCH_AS_OF)]
    cpu = time.process_time() - t0
    return cpu, [json.loads(line) for line in lines]


class _Server:
    """A server started once and measured several times (server CPU around each load)."""

    def __init__(self, folder: Path, bare: bool = False) -> None:
        self.proc, self.port = _start_server(folder, bare)
        self.waits = 0  # times the server blocked (voluntary context switches) in the last load

    def measure(self, load: Any, *args: Any) -> tuple[float, float, Any]:
        """Server CPU s and wall s of ``load(port, *args)``, and what it returned."""
        waits0, cpu0, t0 = _waits(self.proc.pid), _cpu(self.proc.pid), time.perf_counter()
        answers = load(self.port, *args)
        cpu, wall = _cpu(self.proc.pid) - cpu0, time.perf_counter() - t0
        self.waits = _waits(self.proc.pid) - waits0
        return cpu, wall, answers

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=60)


def serve_against_in_process(report: Report, folder: Path, target: float) -> None:
    """The service's CPU per case (one worker) against in-process evaluation, three ways:
    single requests from one keep-alive client (the server waits, idle, for each next request),
    single requests from several clients at once (the next request is always waiting), and one
    JSON Lines batch of the same cases; and the floor: the same HTTP stack answering without
    evaluating.  Medians of interleaved rounds: the machine is shared."""
    distinct = random_cases(SERVE_CASES, seed=17)
    cases = [distinct[i % len(distinct)] for i in range(SERVE_REQUESTS)]
    bodies = [(str(as_of_for(c)), json.dumps(c).encode()) for c in cases]
    batch_body = b"".join(json.dumps(c).encode() + b"\n" for c in cases)
    engine = Engine.load()
    _in_process_batch(engine, cases[:20])  # warm
    served, bare = _Server(folder), _Server(folder, bare=True)
    runs: dict[str, list[float]] = {}
    try:
        for server in (served, bare):
            _post_all(server.port, bodies[:30])
        _post_batch(served.port, batch_body[:20_000].rpartition(b"\n")[0])
        for _ in range(SERVE_ROUNDS):
            cpu_in, expected = _in_process(cases)
            cpu, wall, answers = served.measure(_post_all, bodies)
            waits_one = served.waits
            # The same evaluation in process, idle before each case as long as the server was
            # idle before each request just now: what starting after a wait costs by itself.
            pause = max(0.0, (wall - cpu) / len(cases))
            cpu_paused, _a = _in_process(cases, pause)
            cpu_many, _w, answers_many = served.measure(_post_at_once, bodies, SERVE_CLIENTS)
            waits_many = served.waits
            cpu_bare, _w, _a = bare.measure(_post_all, bodies)
            cpu_in_batch, expected_batch = _in_process_batch(engine, cases)
            cpu_batch, _w, records = served.measure(_post_batch, batch_body)
            for name, value in (("in", cpu_in), ("one", cpu), ("many", cpu_many),
                                ("paused", cpu_paused), ("pause", pause),
                                ("waits_one", waits_one), ("waits_many", waits_many),
                                ("bare", cpu_bare), ("in_batch", cpu_in_batch),
                                ("batch", cpu_batch), ("wall", wall)):
                runs.setdefault(name, []).append(value)
    finally:
        served.stop()
        bare.stop()
    m = {name: statistics.median(values) for name, values in runs.items()}
    n = len(cases)
    rounds = f"median of {SERVE_ROUNDS}"
    report.rows.append(Row(f"in-process evaluate + to_dict + encode: CPU s, {rounds}", m["in"], n))
    report.rows.append(Row(f"redress serve, 1 worker, POST /v1/evaluate, one client: server "
                           f"CPU s, {rounds}", m["one"], n))
    report.rows.append(Row(f"redress serve, 1 worker, POST /v1/evaluate, {SERVE_CLIENTS} "
                           f"clients: server CPU s, {rounds}", m["many"], n))
    report.rows.append(Row(f"in-process as above, idle {m['pause'] * 1e3:.1f} ms before each case:"
                           f" CPU s, {rounds}", m["paused"], n))
    report.rows.append(Row(f"bare uvicorn + Starlette, same bodies, one client: server CPU s, "
                           f"{rounds}", m["bare"], n))
    report.rows.append(Row(f"in-process evaluate_many + JSON lines: CPU s, {rounds}",
                           m["in_batch"], n))
    report.rows.append(Row(f"redress serve, 1 worker, POST /v1/evaluate/batch ({n} lines): "
                           f"server CPU s, {rounds}", m["batch"], n))

    def verdict(ratio: float) -> str:
        return f"{ratio:.2f}× the in-process rate (target ≥ {target}: " \
               f"{'met' if ratio >= target else 'MISSED'})"

    report.notes.append(
        f"serve (1 worker), single requests from one keep-alive client: {n / m['one']:,.0f} "
        f"requests per server-CPU second ({n / m['wall']:,.0f}/s wall); in process "
        f"{n / m['in']:,.0f}/s: {verdict(m['in'] / m['one'])}; the bare HTTP stack costs "
        f"{m['bare'] / n * 1e6:,.0f} µs of server CPU a request this way")
    report.notes.append(
        f"why one client costs more: the server blocks {m['waits_one'] / n:.2f} times a request "
        f"waiting for the next one, and work that starts after a wait runs slower on this "
        f"machine (cold caches or a clocked-down core; the VM has no cycle counters to tell "
        f"which): the same in-process evaluation, idle {m['pause'] * 1e3:.1f} ms "
        f"before each case, costs {m['paused'] / m['in']:.2f}× the CPU of running the cases back "
        f"to back; the one-client service is {m['paused'] / m['one']:.2f}× that idling "
        f"in-process rate (a diagnostic, not the target); with {SERVE_CLIENTS} clients the "
        f"server blocks {m['waits_many'] / n:.2f} times a request")
    report.notes.append(
        f"serve (1 worker), single requests from {SERVE_CLIENTS} clients at once (the next "
        f"request always waiting): {n / m['many']:,.0f} requests per server-CPU second: "
        f"{verdict(m['in'] / m['many'])}")
    report.notes.append(
        f"serve (1 worker), one batch of {n} JSON lines: {n / m['batch']:,.0f} records per "
        f"server-CPU second; in-process evaluate_many + JSON lines {n / m['in_batch']:,.0f}/s: "
        f"{verdict(m['in_batch'] / m['batch'])}")
    _check_answers(report, answers, expected)
    _check_answers(report, answers_many, expected)
    if [_without_service(r) for r in records] != expected_batch:
        report.ok = False
        report.notes.append("DIFFERENT BATCH RECORDS from the service")


def _check_answers(report: Report, answers: list[tuple[int, Any]],
                   expected: list[tuple[int, Any]]) -> None:
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
