"""A bounded soak: ``redress serve`` stays healthy under idle, slow and oversized clients, batch
clients that never read, and a lint burn, all at once (issue 19, "done when").

Loopback only; every loop is bounded in time (:data:`SECONDS`) and stops by itself.  The server
runs with an open-file limit of 256, below the 300 idle sockets one attacker opens, as in the
report that found the fault.  Each attacker speaks from its own loopback address (127.0.0.2…),
as separate clients would; the prober checks health and evaluates a case from 127.0.0.1 four
times a second.  The memory of the server (and of its lint worker) is printed at the end.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from serve_harness import RunningServer, example_case, start_server

ROOT = Path(__file__).parents[2]
SECONDS = 12.0
OPTIONS = ("--header-timeout", "2", "--body-timeout", "2", "--keep-alive", "2",
           "--max-body", "131072", "--max-batch", "1048576", "--limit-per-client", "64",
           "--max-batches", "4")


def _lint_burn_document() -> bytes:
    """A routing file of 160 rules at one priority: lint pairs and solves them (CPU work)."""
    head = (ROOT / "rules" / "routing.yaml").read_text(encoding="utf-8").split("\nrules:\n")[0]
    procedures = ("children-act-1989", "council-corporate", "adult-social-care-nhs-2009")
    rules = "".join(
        f"  - id: route-burn-{i}\n    description: burn\n    priority: 20\n"
        f"    citation: {{source: ca1989, provision: \"s26(3)\"}}\n    when:\n      all:\n"
        f"        - {{fact: nation, equals: england}}\n"
        f"        - {{fact: complainant.age, gte: {i}}}\n"
        f"        - any:\n          - {{fact: organisations.kinds, contains: local_authority}}\n"
        f"          - {{fact: service, in: [adult_social_care, nhs]}}\n"
        f"    then:\n      procedure: {procedures[i % 3]}\n" for i in range(160))
    return f"{head}\nrules:\n{rules}".encode()


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        found += [int(x) for x in task.read_text().split()]
    return found


@pytest.fixture(scope="module")
def soaked(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    running = start_server(tmp_path_factory.mktemp("soak") / "server.log", OPTIONS,
                           open_files=256)
    try:
        yield running
    finally:
        running.stop()


class Attack:
    """Attackers, each a thread looping until ``stop`` is set."""

    def __init__(self, server: RunningServer) -> None:
        host, port = server.base_url.removeprefix("http://").split(":")
        self.address = (host, int(port))
        self.base_url = server.base_url
        self.stop = threading.Event()
        self.counts: dict[str, int] = {}
        self.lock = threading.Lock()

    def count(self, what: str) -> None:
        with self.lock:
            self.counts[what] = self.counts.get(what, 0) + 1

    def connect(self, source: str) -> socket.socket:
        sock = socket.create_connection(self.address, timeout=5, source_address=(source, 0))
        return sock

    def idle(self) -> None:
        """300 sockets that send nothing, reopened as the server closes them."""
        held: list[socket.socket] = []
        while not self.stop.is_set():
            held = [s for s in held if not _closed(s)]
            while len(held) < 300 and not self.stop.is_set():
                try:
                    held.append(self.connect("127.0.0.2"))
                    self.count("idle_opened")
                except OSError:
                    break
            self.stop.wait(0.2)
        for sock in held:
            sock.close()

    def slow(self) -> None:
        """Ten connections sending their headers a byte every 0.3 s."""
        request = b"GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + b"a" * 200
        socks: dict[socket.socket, int] = {}
        while not self.stop.is_set():
            while len(socks) < 10:
                try:
                    socks[self.connect("127.0.0.3")] = 0
                except OSError:
                    break
            for sock in list(socks):
                try:
                    sock.sendall(request[socks[sock]:socks[sock] + 1])
                    socks[sock] += 1
                except OSError:
                    sock.close()
                    del socks[sock]
                    self.count("slow_closed")
            self.stop.wait(0.3)
        for sock in socks:
            sock.close()

    def oversized(self) -> None:
        """A declared 100 MB body with 1 KB sent, again and again."""
        while not self.stop.is_set():
            try:
                with self.connect("127.0.0.4") as sock:
                    sock.sendall(b"POST /v1/evaluate HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                 b"content-length: 104857600\r\n\r\n" + b"x" * 1024)
                    sock.settimeout(5)
                    if sock.recv(64).startswith(b"HTTP/1.1 413"):
                        self.count("oversized_413")
            except OSError:
                self.count("oversized_error")
            self.stop.wait(0.1)

    def batch_without_reading(self) -> None:
        """Two batches of about 1 MB whose clients never read the answer."""
        line = json.dumps(example_case()).encode() + b"\n"
        body = line * (1_000_000 // len(line))
        held = []
        for _ in range(2):
            sock = self.connect("127.0.0.5")
            sock.sendall(f"POST /v1/evaluate/batch?as_of=2025-05-01 HTTP/1.1\r\nHost: 127.0.0.1"
                         f"\r\ncontent-length: {len(body)}\r\n\r\n".encode() + body)
            held.append(sock)
        self.stop.wait()
        for sock in held:
            sock.close()

    def lint_burn(self) -> None:
        """Lint a document that keeps the checks busy, back to back."""
        document = _lint_burn_document()
        transport = httpx.HTTPTransport(local_address="127.0.0.6")
        with httpx.Client(base_url=self.base_url, transport=transport, timeout=30) as client:
            while not self.stop.is_set():
                response = client.post("/v1/lint", params={"name": "routing.yaml"},
                                       content=document)
                self.count(f"lint_{response.status_code}")


def _closed(sock: socket.socket) -> bool:
    sock.setblocking(False)
    try:
        return sock.recv(1024) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True
    finally:
        sock.setblocking(True)


def test_the_service_stays_healthy_under_hostile_clients(
        soaked: RunningServer, capsys: pytest.CaptureFixture[str]) -> None:
    attack = Attack(soaked)
    workers: list[Callable[[], None]] = [attack.idle, attack.slow, attack.oversized,
                                         attack.batch_without_reading, attack.lint_burn]
    threads = [threading.Thread(target=w, daemon=True) for w in workers]
    pid = soaked.process.pid
    rss = {"start": _rss_mb(pid), "peak": 0.0, "lint_peak": 0.0}
    case = json.dumps(example_case()).encode()
    latencies: list[float] = []
    failures: list[str] = []
    for thread in threads:
        thread.start()
    ends = time.monotonic() + SECONDS
    with httpx.Client(base_url=soaked.base_url, timeout=5) as client:
        while time.monotonic() < ends:
            started = time.monotonic()
            try:
                health = client.get("/v1/health")
                evaluated = client.post("/v1/evaluate?as_of=2025-05-01", content=case)
                if health.status_code != 200 or evaluated.status_code != 200:
                    failures.append(f"{health.status_code}/{evaluated.status_code}")
            except httpx.HTTPError as exc:
                failures.append(type(exc).__name__)
            latencies.append(time.monotonic() - started)
            rss["peak"] = max(rss["peak"], _rss_mb(pid))
            rss["lint_peak"] = max([rss["lint_peak"], *(_rss_mb(c) for c in _children(pid))])
            time.sleep(max(0.0, 0.25 - (time.monotonic() - started)))
    attack.stop.set()
    for thread in threads:
        thread.join(30)
    rss["end"] = _rss_mb(pid)
    log_bytes = os.path.getsize(soaked.log_path)
    latencies.sort()
    report = (f"soak {SECONDS:g}s: {len(latencies)} probes, {len(failures)} failed, "
              f"p50 {latencies[len(latencies) // 2] * 1000:.0f} ms, p95 "
              f"{latencies[int(len(latencies) * 0.95)] * 1000:.0f} ms; server RSS start "
              f"{rss['start']:.0f} MB, peak {rss['peak']:.0f} MB, end {rss['end']:.0f} MB; "
              f"lint worker RSS peak {rss['lint_peak']:.0f} MB; log {log_bytes} bytes; "
              f"{dict(sorted(attack.counts.items()))}")
    with capsys.disabled():
        print(f"\n{report}")
    assert len(failures) <= max(1, len(latencies) // 50), f"{report} {failures}"
    assert attack.counts.get("idle_opened", 0) > 300, report        # more than the fd limit
    assert attack.counts.get("oversized_413", 0) >= 10, report
    assert attack.counts.get("lint_200", 0) >= 1, report
    assert rss["peak"] - rss["start"] < 200, report
    assert log_bytes < 2_000_000, report
    lines = soaked.log_lines()
    assert all(line.startswith("{") for line in lines) and "Traceback" not in "".join(lines)
    assert httpx.get(f"{soaked.base_url}/v1/health", timeout=5).status_code == 200
