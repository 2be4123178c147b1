"""``redress serve`` against clients that misbehave (issue 19 items 2, 3, 8 and 10).

A real uvicorn server with short timeouts, spoken to over raw sockets where an HTTP library
would be too polite: idle and slow connections, a body that never comes, a declared length far
over the limit, a batch whose client does not read, hostile Host and X-Request-Id headers.
"""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator

import httpx
import pytest
from serve_harness import RunningServer, example_case, start_server

OPTIONS = ("--header-timeout", "1", "--body-timeout", "1.5", "--keep-alive", "1",
           "--limit-concurrency", "40", "--max-body", "65536", "--max-batch", "262144",
           "--max-batches", "1", "--allow-host", "redress.example")


@pytest.fixture(scope="module")
def tight(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    running = start_server(tmp_path_factory.mktemp("tight") / "server.log", OPTIONS)
    try:
        yield running
    finally:
        running.stop()


def _connect(server: RunningServer) -> socket.socket:
    host, port = server.base_url.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=10)
    return sock


def _read_all(sock: socket.socket, seconds: float = 10) -> bytes:
    """Everything the server sends until it closes the connection (or ``seconds`` pass)."""
    sock.settimeout(seconds)
    data = b""
    try:
        while chunk := sock.recv(65536):
            data += chunk
    except (TimeoutError, ConnectionResetError):
        pass
    return data


def _request(path: str, body: bytes = b"", extra: str = "", method: str = "POST") -> bytes:
    return (f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\ncontent-length: {len(body)}\r\n"
            f"{extra}\r\n").encode() + body


# -- item 2: one client cannot take the service down ------------------------------------------


def test_a_declared_length_over_the_limit_is_a_413_before_the_body_is_read(
        tight: RunningServer) -> None:
    with _connect(tight) as sock:
        sock.sendall(b"POST /v1/evaluate HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     b"content-type: application/json\r\ncontent-length: 104857600\r\n\r\n"
                     + b" " * 1024)
        started = time.monotonic()
        answer = _read_all(sock, 10)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert b'"kind":"too_large"' in answer and b"x-request-id:" in answer.lower()
    assert time.monotonic() - started < 5


def test_a_connection_that_sends_nothing_is_closed_after_the_header_timeout(
        tight: RunningServer) -> None:
    with _connect(tight) as sock:
        started = time.monotonic()
        assert _read_all(sock, 10) == b""  # closed without a word
        assert 0.8 < time.monotonic() - started < 6


def test_headers_sent_a_byte_at_a_time_get_a_408(tight: RunningServer) -> None:
    with _connect(tight) as sock:
        started = time.monotonic()
        for byte in b"GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: 1":
            try:
                sock.sendall(bytes([byte]))
            except OSError:
                break  # closed: the timer fired
            time.sleep(0.1)
            if time.monotonic() - started > 8:
                break
        answer = _read_all(sock, 5)
    assert answer.startswith(b"HTTP/1.1 408"), answer[:200]
    assert time.monotonic() - started < 9


def test_a_body_that_stops_arriving_is_a_408(tight: RunningServer) -> None:
    with _connect(tight) as sock:
        sock.sendall(b"POST /v1/evaluate HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     b"content-type: application/json\r\ncontent-length: 1000\r\n\r\n{\"id\":")
        answer = _read_all(sock, 10)
    assert answer.startswith(b"HTTP/1.1 408"), answer[:200]
    assert b'"kind":"timeout"' in answer


def test_connections_over_the_limit_are_refused_and_the_service_recovers(
        tight: RunningServer) -> None:
    idle = [_connect(tight) for _ in range(60)]  # the limit is 40
    try:
        refused = 0
        for sock in idle:
            sock.settimeout(0.5)
            try:
                if sock.recv(200).startswith(b"HTTP/1.1 503"):
                    refused += 1
            except TimeoutError:
                pass
        assert refused >= 20
    finally:
        for sock in idle:
            sock.close()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{tight.base_url}/v1/health", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    else:
        pytest.fail("the service did not recover")


def test_misbehaving_clients_are_logged_as_json_lines_without_tracebacks(
        tight: RunningServer) -> None:
    with _connect(tight) as sock:
        sock.sendall(b"NOT HTTP AT ALL\r\n\r\n")
        _read_all(sock, 5)
    lines = tight.log_lines()
    assert lines and all(line.startswith("{") for line in lines)
    assert not any("Traceback" in line for line in lines)
    events = {json.loads(line).get("event") for line in lines}
    assert {"header_timeout", "connection_refused", "body_refused"} <= events


# -- item 3: batches are bounded --------------------------------------------------------------


def test_a_batch_record_over_the_case_limit_is_an_error_record_and_the_rest_go_on(
        tight: RunningServer) -> None:
    good = json.dumps(example_case())
    big = json.dumps(example_case() | {"id": "BIG", "padding": "x" * 70_000})
    body = f"{good}\n{big}\n{good}\n".encode()
    response = httpx.post(f"{tight.base_url}/v1/evaluate/batch?as_of=2025-05-01",
                          content=body, timeout=60)
    records = [json.loads(line) for line in response.text.splitlines()]
    assert [r["input"]["line"] for r in records] == [1, 2, 3]
    assert "error" not in records[0] and "error" not in records[2]
    assert records[1]["error"]["kind"] == "too_large"
    assert "65536" in records[1]["error"]["message"]


def _until(sock: socket.socket, marker: bytes, seconds: float) -> bytes:
    """What the server sends until ``marker`` appears, it closes, or ``seconds`` pass."""
    sock.settimeout(seconds)
    data = b""
    try:
        while marker not in data:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    except TimeoutError:
        pass
    return data


def _start_batch(server: RunningServer, line: bytes) -> tuple[socket.socket, bytes]:
    """A chunked batch with one line sent and its first record read; the body stays open.

    Retried while an earlier test's batch still holds the only slot (503 busy).
    """
    deadline = time.monotonic() + 30
    while True:
        sock = _connect(server)
        sock.sendall(_request("/v1/evaluate/batch?as_of=2025-05-01", b"",
                              "transfer-encoding: chunked\r\n")
                     .replace(b"content-length: 0\r\n", b""))
        sock.sendall(f"{len(line):x}\r\n".encode() + line + b"\r\n")
        first = _until(sock, b'"input"', 20)
        if first.startswith(b"HTTP/1.1 200"):
            return sock, first
        sock.close()
        assert b'"busy"' in first and time.monotonic() < deadline, first[:300]
        time.sleep(0.5)


def test_a_batch_is_answered_while_it_is_still_being_sent(tight: RunningServer) -> None:
    line = json.dumps(example_case()).encode() + b"\n"
    sock, first = _start_batch(tight, line)  # the first record, before the body has ended
    with sock:
        assert b'"input"' in first
        sock.sendall(b"0\r\n\r\n")
        _read_all(sock, 5)


def test_a_second_concurrent_batch_gets_a_503_and_the_first_carries_on(
        tight: RunningServer) -> None:
    line = json.dumps(example_case()).encode() + b"\n"
    sock, _ = _start_batch(tight, line)  # a batch still being sent holds the only slot
    with sock:
        second = httpx.post(f"{tight.base_url}/v1/evaluate/batch", content=line, timeout=30)
        assert second.status_code == 503 and second.json()["error"]["kind"] == "busy"
        assert second.headers["retry-after"]
        sock.sendall(b"0\r\n\r\n")
        _read_all(sock, 3)
    assert httpx.post(f"{tight.base_url}/v1/evaluate/batch", content=line,
                      timeout=30).status_code == 200


def test_a_batch_body_that_stalls_ends_with_a_record_naming_the_line(
        tight: RunningServer) -> None:
    line = json.dumps(example_case()).encode() + b"\n"
    sock, first = _start_batch(tight, line)
    with sock:
        sock.sendall(b'5\r\n{"id"\r\n')  # the start of a second line, then nothing
        answer = first + _read_all(sock, 10)
    records = [json.loads(x) for x in answer.split(b"\r\n\r\n", 1)[1].splitlines()
               if x.startswith(b"{")]
    assert "error" not in records[0]
    assert records[-1]["input"]["line"] == 2 and records[-1]["error"]["kind"] == "time_limit"
    assert "not read" in records[-1]["error"]["message"]


# -- item 10: hosts, request ids, numbers and names -------------------------------------------


@pytest.mark.parametrize(("host", "status"), [("evil.example", 400), ("127.0.0.1.evil", 400),
                                              ("localhost:8080", 200), ("redress.example", 200),
                                              ("[::1]:8080", 200)])
def test_only_allowed_host_names_are_answered(tight: RunningServer, host: str,
                                              status: int) -> None:
    response = httpx.get(f"{tight.base_url}/v1/health", headers={"host": host}, timeout=10)
    assert response.status_code == status
    if status == 400:
        assert response.json()["error"]["kind"] == "invalid_host"


def test_the_callers_request_id_is_echoed_and_logged(tight: RunningServer) -> None:
    mine = "crm-7f3a.42:retry/1"
    response = httpx.get(f"{tight.base_url}/v1/procedures", headers={"x-request-id": mine},
                         timeout=10)
    assert response.headers["x-request-id"] == mine
    deadline = time.monotonic() + 5
    while mine not in tight.log_path.read_text() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert any(json.loads(line).get("request_id") == mine for line in tight.log_lines())


@pytest.mark.parametrize("bad", ["x" * 129, "a b", "id\u00e9", "<script>"])
def test_an_unsafe_request_id_is_refused(tight: RunningServer, bad: str) -> None:
    response = httpx.get(f"{tight.base_url}/v1/procedures",
                         headers={"x-request-id": bad.encode("utf-8")}, timeout=10)
    assert response.status_code == 422
    assert response.headers["x-request-id"] != bad


@pytest.mark.parametrize("n", ["\u0661_0", "1_0", "\u0661", " 5", "0x10"])
def test_numbers_are_ascii_digits_only(tight: RunningServer, n: str) -> None:
    response = httpx.get(f"{tight.base_url}/v1/calendars/scotland/add",
                         params={"date": "2025-01-06", "n": n}, timeout=10)
    assert response.status_code == 422
    assert response.json()["error"]["problems"][0]["path"] == "n"


@pytest.mark.parametrize("name", ["x.yaml\n", "x.yaml%0A", "x.yaml\r", "../x.yaml", ".yaml"])
def test_the_lint_name_is_a_plain_file_name(tight: RunningServer, name: str) -> None:
    response = httpx.post(f"{tight.base_url}/v1/lint", params={"name": name},
                          content=b"id: x\n", timeout=30)
    assert response.status_code == 422


def test_a_flood_of_garbage_requests_is_logged_once_a_second(tight: RunningServer) -> None:
    before = len(tight.log_lines())
    started = time.monotonic()
    for _ in range(40):
        with _connect(tight) as sock:
            sock.sendall(b"\x16\x03\x01 not http\r\n\r\n")
            _read_all(sock, 2)
    seconds = time.monotonic() - started
    invalid = [line for line in tight.log_lines()[before:] if "Invalid HTTP request" in line]
    assert 1 <= len(invalid) <= seconds + 2, (len(invalid), seconds)
