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

import httpx
import pytest
from serve_harness import LAUNCH, RunningServer, example_case, free_port, start_server

from redress.cli import main
from redress.serve.auth import hash_token

ROOT = Path(__file__).parents[2]
EXAMPLE = ROOT / "examples" / "EX-2025-0042.yaml"
LOCAL_POLICY = ROOT / "examples" / "local-policies" / "exampleshire-corporate.yaml"
BAD_POLICY = ROOT / "tests" / "lint" / "schema" / "bad.yaml"


@pytest.fixture(scope="module")
def local_policies(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("local-policies")
    shutil.copy(LOCAL_POLICY, folder / LOCAL_POLICY.name)
    return folder


ADMIN_TOKEN = "admin-token-for-the-tests-0123456789"
CLIENT_TOKEN = "client-token-for-the-tests-0123456789"


@pytest.fixture(scope="module")
def token_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tokens") / "tokens"
    path.write_text(f"# hashes only\n{hash_token(ADMIN_TOKEN)} admin ops\n"
                    f"{hash_token(CLIENT_TOKEN)} client crm\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def strict_server(tmp_path_factory: pytest.TempPathFactory, local_policies: Path,
                  token_file: Path) -> Iterator[RunningServer]:
    running = start_server(tmp_path_factory.mktemp("strict") / "server.log",
                           ("--admin-reload", "--time-limit", "0.0005", "--token-file",
                            str(token_file), "--policies", str(local_policies)))
    try:
        yield running
    finally:
        running.stop()


ADMIN = {"authorization": f"Bearer {ADMIN_TOKEN}", "content-type": "application/json"}


def test_work_over_the_time_limit_is_a_503(strict_server: RunningServer) -> None:
    with strict_server.client() as client:
        client.headers["authorization"] = f"Bearer {CLIENT_TOKEN}"
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
        client.headers["authorization"] = f"Bearer {CLIENT_TOKEN}"
        before = client.get("/v1/version").json()["policy_set_hash"]
        assert before in document and "westshire-corporate" not in document
        text = policy.read_text(encoding="utf-8")
        policy.write_text(text + "# reviewed again\n", encoding="utf-8")
        (local_policies / "westshire-corporate.yaml").write_text(
            text.replace("exampleshire", "westshire").replace("Exampleshire", "Westshire"),
            encoding="utf-8")
        reloaded = client.post("/v1/admin/reload", headers=ADMIN)
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
        broken = client.post("/v1/admin/reload", headers=ADMIN)
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


def test_a_cross_site_form_post_cannot_reload(strict_server: RunningServer) -> None:
    """What a hostile page can send without a CORS preflight: a form post, no token."""
    form = {"content-type": "application/x-www-form-urlencoded", "origin": "https://evil.example"}
    with strict_server.client() as client:
        no_token = client.post("/v1/admin/reload", content=b"a=1", headers=form)
        assert no_token.status_code == 401
        assert no_token.headers["www-authenticate"].startswith("Bearer")
        as_form = client.post("/v1/admin/reload", content=b"a=1",
                              headers={**form, "authorization": f"Bearer {ADMIN_TOKEN}"})
        assert as_form.status_code == 415
        assert as_form.json()["error"]["kind"] == "unsupported_media_type"
        client_role = client.post("/v1/admin/reload",
                                  headers={**ADMIN, "authorization": f"Bearer {CLIENT_TOKEN}"})
        assert client_role.status_code == 403 and client_role.json()["error"]["kind"] == \
            "forbidden"
        assert "access-control-allow-origin" not in no_token.headers


def test_admin_reload_needs_an_admin_token_file(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--port", str(free_port()), "--admin-reload"]) == 2
    assert "--admin-reload needs --token-file" in capsys.readouterr().err
    clients = tmp_path / "tokens"
    clients.write_text(f"{hash_token('x' * 40)} client crm\n", encoding="utf-8")
    assert main(["serve", "--port", str(free_port()), "--admin-reload",
                 "--token-file", str(clients)]) == 2


@pytest.mark.parametrize("line", ["plain-token-not-a-hash client", "sha256:00 client",
                                  f"{hash_token('x')} root"])
def test_a_token_file_holding_anything_but_hashes_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], line: str) -> None:
    tokens = tmp_path / "tokens"
    tokens.write_text(line + "\n", encoding="utf-8")
    assert main(["serve", "--port", str(free_port()), "--token-file", str(tokens)]) == 2
    assert f"{tokens}:1:" in capsys.readouterr().err
