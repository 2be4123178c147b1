"""``redress serve`` options: the time limit, the admin reload, several workers, start-up errors."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from serve_harness import LAUNCH, RunningServer, free_port, start_server

from redress.cli import main
from redress.policy.loader import read_document

ROOT = Path(__file__).parents[2]
EXAMPLE = ROOT / "examples" / "EX-2025-0042.yaml"
LOCAL_POLICY = ROOT / "examples" / "local-policies" / "exampleshire-corporate.yaml"
BAD_POLICY = ROOT / "tests" / "lint" / "schema" / "bad.yaml"


def example_case() -> dict[str, Any]:
    doc, _ = read_document(EXAMPLE)
    assert doc is not None
    data: dict[str, Any] = doc.data
    return data


@pytest.fixture(scope="module")
def local_policies(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("local-policies")
    shutil.copy(LOCAL_POLICY, folder / LOCAL_POLICY.name)
    return folder


@pytest.fixture(scope="module")
def strict_server(tmp_path_factory: pytest.TempPathFactory,
                  local_policies: Path) -> Iterator[RunningServer]:
    running = start_server(tmp_path_factory.mktemp("strict") / "server.log",
                           ("--admin-reload", "--time-limit", "0.0005",
                            "--policies", str(local_policies)))
    try:
        yield running
    finally:
        running.stop()


def test_work_over_the_time_limit_is_a_503(strict_server: RunningServer) -> None:
    with strict_server.client() as client:
        response = client.post("/v1/evaluate?as_of=2025-05-01", json=example_case())
        assert response.status_code == 503
        assert response.json()["error"]["kind"] == "time_limit"
        # The service is still answering after abandoning the work.
        assert client.get("/v1/health").status_code == 200


def test_admin_reload_picks_up_changed_policies_and_keeps_them_when_broken(
        strict_server: RunningServer, local_policies: Path) -> None:
    policy = local_policies / LOCAL_POLICY.name
    with strict_server.client() as client:
        document = client.get("/openapi.json").text
        assert "/v1/admin/reload" in json.loads(document)["paths"]
        before = client.get("/v1/version").json()["policy_set_hash"]
        assert before in document and "westshire-corporate" not in document
        text = policy.read_text(encoding="utf-8")
        policy.write_text(text + "# reviewed again\n", encoding="utf-8")
        (local_policies / "westshire-corporate.yaml").write_text(
            text.replace("exampleshire", "westshire").replace("Exampleshire", "Westshire"),
            encoding="utf-8")
        reloaded = client.post("/v1/admin/reload")
        assert reloaded.status_code == 200, reloaded.text
        after = reloaded.json()["policy_set_hash"]
        assert after != before and client.get("/v1/version").json()["policy_set_hash"] == after
        # The OpenAPI document and its page follow: the new procedure is one of the ids a
        # client may ask for, and the examples come from the new policy set.
        document = client.get("/openapi.json").text
        procedure_ids = json.loads(document)["paths"]["/v1/procedures/{id}"]["get"][
            "parameters"][0]["schema"]["enum"]
        assert "westshire-corporate" in procedure_ids
        assert after in document and before not in document
        assert "westshire-corporate" in client.get("/docs").text

        policy.write_text("id: [unclosed\n", encoding="utf-8")
        broken = client.post("/v1/admin/reload")
        assert broken.status_code == 422
        error = broken.json()["error"]
        assert error["kind"] == "invalid_policy" and error["problems"]
        assert client.get("/v1/version").json()["policy_set_hash"] == after


def test_two_workers_answer_concurrent_requests_alike(tmp_path: Path) -> None:
    running = start_server(tmp_path / "server.log", ("--workers", "2"))
    try:
        body = json.dumps(example_case()).encode()

        def call(_: int) -> tuple[int, str]:
            response = httpx.post(f"{running.base_url}/v1/evaluate?as_of=2025-05-01",
                                  content=body, timeout=60)
            data = response.json()
            assert data["audit"].pop("decision_id") == response.headers["redress-decision-id"]
            return response.status_code, json.dumps(data)

        with ThreadPoolExecutor(max_workers=8) as pool:
            answers = list(pool.map(call, range(24)))
        assert {status for status, _ in answers} == {200}
        # Alike, although each worker process has its own string-hash seed; only the
        # decision id differs.
        assert len({text for _, text in answers}) == 1
    finally:
        assert running.stop() in (0, -15)


def test_invalid_policies_stop_the_service_before_it_starts(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy(BAD_POLICY, tmp_path / "bad.yaml")
    assert main(["serve", "--port", str(free_port()), "--policies", str(tmp_path)]) == 1
    assert "unknown key 'respnd'" in capsys.readouterr().err


def test_a_port_in_use_exits_2(tmp_path: Path) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run([sys.executable, "-c", LAUNCH, "serve", "--port", str(port)],
                              capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "could not start" in done.stderr


@pytest.mark.parametrize("option", [["--workers", "0"], ["--port", "70000"], ["--port", "x"]])
def test_usage_errors_exit_2(option: list[str]) -> None:
    assert main(["serve", *option]) == 2
