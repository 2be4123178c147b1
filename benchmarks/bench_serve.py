"""``redress serve`` under load: single evaluations over HTTP with 1 and 2 worker processes.

A real server (uvicorn, ``redress serve``) on a free loopback port; 8 client threads with
keep-alive connections post 400 single-case evaluations (100 synthetic cases from
``redress.testing.generate``, fixed seed, each sent four times; some are invalid and answer 422,
as real traffic would).  Bounded: at most 400 requests and 60 seconds per configuration, loopback
only.  Reports requests per second and the median and 99th-percentile latency, with in-process
``Engine.evaluate`` on the same cases as the baseline measured in the same run.  The client
shares the machine's cores with the server, so the figures are a floor, not a capacity.
Every HTTP answer must equal the in-process result for its case.
"""

from __future__ import annotations

import itertools
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from harness import Report, Row
from redress import CaseError, Engine
from redress.testing.generate import as_of_for, random_cases

TITLE = "redress serve: single evaluations over HTTP, 1 and 2 workers (requests/s, p99)"
DISTINCT_CASES = 100
REQUESTS = 400
CONCURRENCY = 8
TIME_CAP_SECONDS = 60.0
WARM_UP = 16
LAUNCH = "import sys; from redress.cli import main; sys.exit(main(sys.argv[1:]))"


@dataclass(frozen=True)
class Load:
    wall: float
    latencies: tuple[float, ...]
    answers: dict[int, tuple[int, Any]]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _start(workers: int, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    with log.open("wb") as out:
        process = subprocess.Popen([sys.executable, "-c", LAUNCH, "serve", "--port", str(port),
                                    "--workers", str(workers)], stdout=out, stderr=out)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(log.read_text(errors="replace"))
        try:
            if httpx.get(f"{url}/v1/health", timeout=2).status_code == 200:
                return process, url
        except httpx.HTTPError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError("redress serve did not start")


def _requests(cases: list[dict[str, Any]]) -> list[tuple[str, bytes]]:
    one_round = [(str(as_of_for(c)), json.dumps(c).encode()) for c in cases]
    return (one_round * (REQUESTS // len(one_round) + 1))[:REQUESTS]


def _drive(url: str, requests: list[tuple[str, bytes]]) -> Load:
    counter = itertools.count()
    latencies: list[float] = []
    answers: dict[int, tuple[int, Any]] = {}
    lock = threading.Lock()
    stop_at = time.perf_counter() + TIME_CAP_SECONDS

    def client() -> None:
        with httpx.Client(base_url=url, timeout=30) as http:
            while True:
                i = next(counter)
                if i >= len(requests) or time.perf_counter() > stop_at:
                    return
                as_of, body = requests[i]
                t0 = time.perf_counter()
                response = http.post("/v1/evaluate", params={"as_of": as_of}, content=body,
                                     headers={"content-type": "application/json"})
                elapsed = time.perf_counter() - t0
                with lock:
                    latencies.append(elapsed)
                    answers[i] = (response.status_code, response.json())

    threads = [threading.Thread(target=client) for _ in range(CONCURRENCY)]
    t0 = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Load(time.perf_counter() - t0, tuple(latencies), answers)


def _expected(engine: Engine, cases: list[dict[str, Any]]) -> list[tuple[int, Any]]:
    out: list[tuple[int, Any]] = []
    for case in cases:
        try:
            out.append((200, engine.evaluate(case, as_of=as_of_for(case)).to_dict()))
        except CaseError:
            out.append((422, None))
    return out


def _p(latencies: tuple[float, ...], q: int) -> float:
    return statistics.quantiles(latencies, n=100, method="inclusive")[q - 1] * 1000


def run() -> Report:
    cases = random_cases(DISTINCT_CASES, seed=17)
    requests = _requests(cases)
    report = Report(TITLE)
    engine = Engine.load()
    _expected(engine, cases[:10])  # warm caches
    t0 = time.perf_counter()
    expected = _expected(engine, [cases[i % len(cases)] for i in range(REQUESTS)])
    baseline = time.perf_counter() - t0
    engine.close()
    report.rows.append(Row("in-process Engine.evaluate, 1 thread (baseline)", baseline, REQUESTS))
    report.notes.append(f"baseline: {REQUESTS / baseline:,.0f} evaluations/s in process")
    with tempfile.TemporaryDirectory(prefix="redress-bench-serve-") as folder:
        for workers in (1, 2):
            process, url = _start(workers, Path(folder) / f"serve-{workers}.log")
            try:
                _drive(url, requests[:WARM_UP])
                load = _drive(url, requests)
            finally:
                process.terminate()
                process.wait(timeout=60)
            done = len(load.latencies)
            report.rows.append(Row(f"HTTP POST /v1/evaluate, {workers} worker(s)", load.wall, done))
            report.notes.append(
                f"{workers} worker(s): {done / load.wall:,.0f} requests/s, "
                f"p50 {_p(load.latencies, 50):.1f} ms, p99 {_p(load.latencies, 99):.1f} ms "
                f"({done} requests, {CONCURRENCY} client threads, "
                f"{done / load.wall / (REQUESTS / baseline):.2f}× the in-process rate)")
            for i, (status, body) in load.answers.items():
                want_status, want = expected[i]
                if status != want_status or (status == 200 and body != want):
                    report.ok = False
    one, two = report.rows[1], report.rows[2]
    report.notes.append(f"2 workers / 1 worker throughput: "
                        f"{(two.calls / two.seconds) / (one.calls / one.seconds):.2f}× "
                        f"on {os.cpu_count()} CPU(s) shared with the client")
    return report
