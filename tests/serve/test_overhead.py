"""What the service does around an evaluation, kept cheap without losing a rule (issue 24):
small cases evaluated on the event loop (still answered 503 past the time limit), larger ones
in a worker thread abandoned at it; access lines written straight to standard error; metric
series looked up once; uvicorn's C HTTP parser under the connection guard.

Speed itself is measured in ``benchmarks/`` (``python benchmarks/run.py engine``); these
tests check the behaviour each saving must keep.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import anyio
import httpx
import pytest
from serve_harness import RunningServer, example_case
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from redress.evaluation.evaluate import Engine
from redress.serve.access_log import AccessLog
from redress.serve.app import create_app
from redress.serve.config import ServiceConfig
from redress.serve.inputs import DuplicateKeyError, loads_strict
from redress.serve.limits import INLINE_MAX_CHARS, run_timed, runs_inline
from redress.serve.metrics import Metrics
from redress.serve.problems import ServiceError
from redress.serve.protocol import (
    MAX_HEADER_BYTES,
    ConnectionRules,
    GuardedHttpToolsProtocol,
    protocol_factory,
)

AS_OF = "2025-05-01"


@pytest.fixture(scope="module")
def engine() -> Iterator[Engine]:
    loaded = Engine.load()
    yield loaded
    loaded.close()


def post(app: Any, body: bytes) -> tuple[httpx.Response, int]:
    """POST one case; the answer and the id of the thread that ran the event loop."""
    async def go() -> tuple[httpx.Response, int]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            answer = await client.post(f"/v1/evaluate?as_of={AS_OF}", content=body,
                                       headers={"content-type": "application/json"})
            return answer, threading.get_ident()

    return anyio.run(go)


def padded(size: int) -> bytes:
    """The example case as JSON of at least ``size`` characters (trailing spaces are JSON)."""
    text = json.dumps(example_case(), default=str)
    return (text + " " * max(0, size - len(text))).encode()


@pytest.mark.parametrize(("size", "on_loop"), [(0, True), (INLINE_MAX_CHARS + 1, False)])
def test_a_small_case_is_evaluated_on_the_loop_and_a_large_one_in_a_thread(
        engine: Engine, monkeypatch: pytest.MonkeyPatch, size: int, on_loop: bool) -> None:
    threads: list[int] = []
    evaluate = engine.evaluate

    def recording(case: Any, as_of: dt.date | None = None) -> Any:
        threads.append(threading.get_ident())
        return evaluate(case, as_of=as_of)

    monkeypatch.setattr(engine, "evaluate", recording)
    app = create_app(ServiceConfig(log_requests=False), engine)
    answer, loop_thread = post(app, padded(size))
    assert answer.status_code == 200, answer.text
    assert (threads == [loop_thread]) is on_loop and len(threads) == 1


def post_batch(app: Any, lines: list[bytes]) -> tuple[list[dict[str, Any]], int]:
    """POST a JSON Lines batch; its records and the id of the thread that ran the event loop."""
    async def go() -> tuple[list[dict[str, Any]], int]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            answer = await client.post(f"/v1/evaluate/batch?as_of={AS_OF}",
                                       content=b"\n".join(lines),
                                       headers={"content-type": "application/x-ndjson"})
            assert answer.status_code == 200, answer.text
            return [json.loads(x) for x in answer.text.splitlines()], threading.get_ident()

    return anyio.run(go)


def recording_threads(engine: Engine, monkeypatch: pytest.MonkeyPatch,
                      pause: float = 0.0) -> list[tuple[str, int]]:
    """Each evaluation's case id and thread, from now on; a case whose id starts ``SLOW``
    takes ``pause`` seconds longer."""
    seen: list[tuple[str, int]] = []
    evaluate = engine.evaluate

    def recording(case: Any, as_of: dt.date | None = None) -> Any:
        case_id = str(case.data.get("id", ""))
        seen.append((case_id, threading.get_ident()))
        if case_id.startswith("SLOW"):
            time.sleep(pause)
        return evaluate(case, as_of=as_of)

    monkeypatch.setattr(engine, "evaluate", recording)
    return seen


def case_line(case_id: str, size: int = 0) -> bytes:
    text = json.dumps(example_case() | {"id": case_id}, default=str)
    return (text + " " * max(0, size - len(text))).encode()


def test_small_batch_records_are_evaluated_on_the_loop_and_a_large_one_in_a_thread(
        engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = recording_threads(engine, monkeypatch)
    app = create_app(ServiceConfig(log_requests=False), engine)
    records, loop_thread = post_batch(app, [case_line("A"), case_line("B", INLINE_MAX_CHARS + 1),
                                            case_line("C")])
    assert [(r["case_id"], "error" in r) for r in records] == [
        ("A", False), ("B", False), ("C", False)]
    assert [case_id for case_id, _ in seen] == ["A", "B", "C"]
    threads = dict(seen)
    assert threads["A"] == threads["C"] == loop_thread != threads["B"]


def test_a_batch_record_on_the_loop_past_the_time_limit_is_a_time_limit_record(
        engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = recording_threads(engine, monkeypatch, pause=1.2)
    app = create_app(ServiceConfig(log_requests=False, time_limit_seconds=1.0), engine)
    records, loop_thread = post_batch(app, [case_line("SLOW-1"), case_line("QUICK")])
    assert [r.get("error", {}).get("kind") for r in records] == ["time_limit", None]
    assert "'SLOW-1'" in records[0]["error"]["message"]
    assert {thread for _, thread in seen} == {loop_thread}  # both ran on the loop


@pytest.mark.parametrize(("chars", "seconds", "inline"), [
    (100, 10.0, True), (INLINE_MAX_CHARS, 1.0, True), (INLINE_MAX_CHARS + 1, 10.0, False),
    (100, 0.5, False), (100, 0.0005, False)])
def test_only_small_cases_under_a_roomy_time_limit_run_on_the_loop(
        chars: int, seconds: float, inline: bool) -> None:
    assert runs_inline(chars, seconds) is inline


def test_work_on_the_loop_past_the_time_limit_is_a_503() -> None:
    ticks = iter([100.0, 111.5])  # started, finished: 11.5 s for a 10 s limit
    with pytest.raises(ServiceError) as raised:
        run_timed(lambda: "answer", 10.0, clock=lambda: next(ticks))
    assert (raised.value.status, raised.value.kind) == (503, "time_limit")
    ticks = iter([100.0, 109.0])
    assert run_timed(lambda: "answer", 10.0, clock=lambda: next(ticks)) == "answer"


def test_an_access_line_is_one_json_line_written_at_once() -> None:
    read, write = os.pipe()
    log = AccessLog(write)
    log.write({"request_id": "r-1", "route": "/v1/evaluate", "status": 200, "name": "Zoë"})
    log.write({"request_id": "r-2", "status": 404})
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        lines = pipe.read().split(b"\n")
    assert [json.loads(x) for x in lines[:2]] == [
        {"request_id": "r-1", "route": "/v1/evaluate", "status": 200, "name": "Zoë"},
        {"request_id": "r-2", "status": 404}]
    assert lines[2] == b""


def test_an_access_line_that_cannot_be_written_is_dropped() -> None:
    read, write = os.pipe()
    os.close(read)
    os.close(write)
    AccessLog(write).write({"request_id": "r-1"})  # a closed descriptor: no exception


def test_metric_series_are_counted_once_per_request_and_kind() -> None:
    metrics = Metrics()
    route = type("Route", (), {"path": "/v1/evaluate"})()
    ok = {"method": "POST", "route": route}
    for _ in range(3):
        metrics.observe(ok, 200, 0.002)
    metrics.observe({**ok, "redress.error_kind": "invalid_case"}, 422, 0.001)
    metrics.observe({"method": "GET"}, 404, 0.001)
    metrics.evaluated("ok")
    metrics.evaluated("invalid_case")
    text = metrics.exposition().decode()
    assert 'redress_http_requests_total{method="POST",route="/v1/evaluate",status="200"} 3.0' \
        in text
    assert 'redress_http_requests_total{method="GET",route="unmatched",status="404"} 1.0' in text
    assert 'redress_errors_total{kind="invalid_case"} 2.0' in text  # the answer and the case
    assert 'redress_errors_total{kind="http_404"} 1.0' in text
    assert 'redress_evaluations_total{outcome="ok"} 1.0' in text
    assert 'redress_http_request_duration_seconds_count{route="/v1/evaluate"} 4.0' in text


def test_the_service_runs_uvicorns_c_parser_under_the_connection_guard() -> None:
    factory = protocol_factory(ConnectionRules(10, 5.0))
    assert issubclass(factory.func, HttpToolsProtocol)
    assert factory.func is GuardedHttpToolsProtocol


def head_answer(server: RunningServer, head: bytes, body: bytes = b"") -> bytes:
    """What the service sends back first for a raw request."""
    port = int(server.base_url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        # Refused and closed while still sending: read what was answered all the same.
        with contextlib.suppress(OSError):
            sock.sendall(head + body)
        return sock.recv(4096)


@pytest.mark.parametrize("size", [MAX_HEADER_BYTES + 1, 2_000_000])
def test_a_request_head_over_16_kib_is_a_431(server: RunningServer, size: int) -> None:
    head = b"GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + b"a" * size + b"\r\n\r\n"
    answer = head_answer(server, head)
    assert answer.startswith(b"HTTP/1.1 431 "), answer[:80]
    assert b'"kind": "too_large"' in answer
    many = b"".join(b"X-H%d: v\r\n" % i for i in range(3000))  # many small headers count too
    answer = head_answer(server, b"GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n" + many
                         + b"\r\n")
    assert answer.startswith(b"HTTP/1.1 431 "), answer[:80]


def test_a_head_within_the_limit_with_a_large_body_in_the_same_packet_is_read(
        server: RunningServer) -> None:
    body = json.dumps(example_case(), default=str).encode() + b" " * 60_000  # one big write
    head = (b"POST /v1/evaluate?as_of=2025-05-01 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/json\r\nX-Fill: " + b"f" * (MAX_HEADER_BYTES - 200)
            + b"\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n")
    assert head_answer(server, head, body).startswith(b"HTTP/1.1 200 ")


def batch_messages(app: Any, body: bytes) -> list[dict[str, Any]]:
    """The ASGI messages the service sends for a batch given whole in one message."""
    sent: list[dict[str, Any]] = []

    async def go() -> None:
        done = anyio.Event()
        given = False

        async def receive() -> dict[str, Any]:
            nonlocal given
            if not given:
                given = True
                return {"type": "http.request", "body": body, "more_body": False}
            await done.wait()
            return {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)
            if message["type"] == "http.response.body" and not message.get("more_body"):
                done.set()

        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
                 "method": "POST", "scheme": "http", "path": "/v1/evaluate/batch",
                 "raw_path": b"/v1/evaluate/batch", "query_string": f"as_of={AS_OF}".encode(),
                 "root_path": "", "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80),
                 "headers": [(b"host", b"127.0.0.1"), (b"content-type", b"application/x-ndjson")]}
        await app(scope, receive, send)

    anyio.run(go)
    return sent


def test_batch_records_waiting_together_go_out_in_a_few_writes_in_order(engine: Engine) -> None:
    app = create_app(ServiceConfig(log_requests=False), engine)
    names = [f"C-{i}" for i in range(12)]
    sent = batch_messages(app, b"\n".join(case_line(name) for name in names))
    bodies = [m["body"] for m in sent if m["type"] == "http.response.body" and m["body"]]
    records = [json.loads(x) for x in b"".join(bodies).splitlines()]
    assert [r["case_id"] for r in records] == names
    assert all(body.endswith(b"\n") for body in bodies)  # whole records in every write
    assert 1 < len(bodies) < len(names)  # a few at a time (64 KiB), not one write each


@pytest.mark.parametrize("text", [
    '{"a": 1, "b": {"c": 2, "c": 3}}', '{"a": 1, "a": 1}', '{"x": [{"k": 1}, {"k": 2, "j": 1, "k": 3}]}',
    '\ufeff{"a": 1}', '{"a": 1,}', '[1, 2', '{"a": NaN, "b": 123456789012345678901234567890}',
    '{"b": 1, "a": 2, "c": {"d": []}}'])
def test_strict_json_reads_and_refuses_exactly_as_json_loads_with_a_checking_hook(
        text: str) -> None:
    def reference(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in pairs:
            if key in out:
                raise DuplicateKeyError(f"duplicate key {key!r}")
            out[key] = value
        return out

    def outcome(read: Any) -> tuple[str, str]:
        try:
            return "ok", repr(read(text))
        except ValueError as exc:  # JSONDecodeError and DuplicateKeyError both
            return type(exc).__name__, str(exc)

    assert outcome(loads_strict) == outcome(lambda t: json.loads(t, object_pairs_hook=reference))
