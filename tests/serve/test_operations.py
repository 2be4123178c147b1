"""Issue 22, "Authentication, TLS, operations": tokens, HTTPS, readiness and metrics.

A real server with a certificate made for the test (trustme: a throw-away certificate
authority) and a token file made with ``redress token new``, answering the README's curl
example with the real ``curl`` when the machine has it.
"""

from __future__ import annotations

import re
import shutil
import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import trustme
from serve_harness import RunningServer, start_server

from redress.cli import main
from redress.serve.auth import TokenSet, hash_token

ROOT = Path(__file__).parents[2]
EXAMPLE = ROOT / "examples" / "EX-2025-0042.yaml"


@pytest.fixture(scope="module")
def secured(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[RunningServer, Path]]:
    folder = tmp_path_factory.mktemp("tls")
    authority = trustme.CA()
    certificate = authority.issue_cert("localhost", "127.0.0.1")
    certificate.private_key_and_cert_chain_pem.write_to_path(str(folder / "cert.pem"))
    certificate.private_key_pem.write_to_path(str(folder / "key.pem"))
    authority.cert_pem.write_to_path(str(folder / "ca.pem"))
    tokens = folder / "tokens.txt"
    for name in ("crm", "ops"):
        with (folder / f"{name}.token").open("w") as out:
            code = subprocess.run(
                ["redress" if shutil.which("redress") else str(Path(ROOT, ".venv/bin/redress")),
                 "token", "new", "--token-file", str(tokens), "--name", name,
                 *(["--role", "admin"] if name == "ops" else [])],
                stdout=out, timeout=60).returncode
        assert code == 0
    running = start_server(folder / "server.log",
                           ("--token-file", str(tokens), "--ssl-certfile",
                            str(folder / "cert.pem"), "--ssl-keyfile", str(folder / "key.pem"),
                            "--admin-reload"),
                           ca_file=folder / "ca.pem")
    try:
        yield running, folder
    finally:
        running.stop()


def _client(server: RunningServer, folder: Path, token: str | None = None) -> httpx.Client:
    headers = {"authorization": f"Bearer {token}"} if token else {}
    return httpx.Client(base_url=server.base_url, timeout=60, headers=headers,
                        verify=ssl.create_default_context(cafile=str(folder / "ca.pem")))


def _token(folder: Path, name: str) -> str:
    return (folder / f"{name}.token").read_text().strip()


def test_the_token_file_keeps_only_hashes(secured: tuple[RunningServer, Path]) -> None:
    _, folder = secured
    stored = (folder / "tokens.txt").read_text()
    for name in ("crm", "ops"):
        token = _token(folder, name)
        assert len(token) >= 40 and token not in stored and hash_token(token) in stored
    assert [t.role for t in TokenSet.load(folder / "tokens.txt").tokens] == ["client", "admin"]


def test_the_readme_curl_example_over_tls_with_a_token(
        secured: tuple[RunningServer, Path]) -> None:
    server, folder = secured
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"(curl -s --cacert ca\.pem -X POST 'https://localhost:8443(\S+)' \\\n"
                      r"\s+-H \"Authorization: Bearer \$\(cat crm\.token\)\" \\\n"
                      r"\s+-H '([^:]+): ([^']+)' --data-binary @(\S+))", readme)
    assert match, "the README's TLS curl example has changed shape; update this test"
    command, path, header, value, file = match.groups()
    port = server.base_url.rsplit(":", 1)[1]
    token = _token(folder, "crm")
    if shutil.which("curl"):
        ran = subprocess.run(
            ["curl", "-s", "--fail-with-body", "--cacert", str(folder / "ca.pem"), "-X", "POST",
             f"https://localhost:{port}{path}", "-H", f"Authorization: Bearer {token}",
             "-H", f"{header}: {value}", "--data-binary", f"@{ROOT / file}"],
            capture_output=True, timeout=60)
        assert ran.returncode == 0, ran.stdout + ran.stderr
        body = ran.stdout
    else:
        with _client(server, folder, token) as client:
            body = client.post(path, headers={header: value},
                               content=(ROOT / file).read_bytes()).content
    assert b'"case_id":"EX-2025-0042"' in body
    assert command.count("'") == 4


@pytest.mark.parametrize("authorization", [None, "Bearer wrong", "Basic dXNlcjpwYXNz",
                                           "Bearer"])
def test_a_missing_or_wrong_token_is_a_json_401(secured: tuple[RunningServer, Path],
                                                authorization: str | None) -> None:
    server, folder = secured
    with _client(server, folder) as client:
        headers = {"authorization": authorization} if authorization else {}
        response = client.get("/v1/procedures", headers=headers)
    assert response.status_code == 401
    assert response.json()["error"] == {"status": 401, "kind": "unauthorized", "message":
                                        response.json()["error"]["message"], "problems": []}
    assert response.headers["www-authenticate"].startswith('Bearer realm="redress"')


def test_a_client_token_may_not_reload(secured: tuple[RunningServer, Path]) -> None:
    server, folder = secured
    json_body = {"content-type": "application/json"}
    with _client(server, folder, _token(folder, "crm")) as client:
        assert client.get("/v1/procedures").status_code == 200
        forbidden = client.post("/v1/admin/reload", headers=json_body)
        assert forbidden.status_code == 403 and forbidden.json()["error"]["kind"] == "forbidden"
    with _client(server, folder, _token(folder, "ops")) as admin:
        assert admin.post("/v1/admin/reload", headers=json_body).status_code == 200


def test_probes_and_the_description_need_no_token(secured: tuple[RunningServer, Path]) -> None:
    server, folder = secured
    with _client(server, folder) as client:
        health = client.get("/v1/health")
        document = client.get("/openapi.json").json()
        docs = client.get("/docs").text
    assert health.status_code == 200 and health.json()["status"] == "ready"
    assert re.fullmatch(r"[0-9a-f]{64}", health.json()["policy_set_hash"])
    assert document["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http", "scheme": "bearer",
        "description": document["components"]["securitySchemes"]["bearerAuth"]["description"]}
    assert document["security"] == [{"bearerAuth": []}]
    assert document["paths"]["/v1/health"]["get"]["security"] == []
    assert "401" in document["paths"]["/v1/evaluate"]["post"]["responses"]
    assert "bearerAuth" in docs and "Authorization: Bearer" in docs


def test_plain_http_is_not_answered_on_a_tls_port(secured: tuple[RunningServer, Path]) -> None:
    server, _ = secured
    with pytest.raises(httpx.HTTPError):
        httpx.get(server.base_url.replace("https://", "http://") + "/v1/health", timeout=5)


def test_metrics_count_requests_evaluations_and_errors(
        secured: tuple[RunningServer, Path]) -> None:
    server, folder = secured
    with _client(server, folder, _token(folder, "crm")) as client:
        evaluated = client.post("/v1/evaluate?as_of=2025-05-01", content=EXAMPLE.read_bytes(),
                                headers={"content-type": "application/yaml"})
        assert evaluated.status_code == 200
        assert client.post("/v1/evaluate?asof=x", content=b"{}").status_code == 422
        text = client.get("/metrics").text
    assert _sample(text, "redress_evaluations_total", outcome="ok") >= 1
    assert _sample(text, "redress_errors_total", kind="invalid_parameter") >= 1
    assert _sample(text, "redress_http_requests_total", method="POST", route="/v1/evaluate",
                   status="200") >= 1
    assert _sample(text, "redress_http_request_duration_seconds_count",
                   route="/v1/evaluate") >= 2
    with _client(server, folder) as anonymous:
        assert anonymous.get("/metrics").status_code == 401


def _sample(text: str, name: str, **labels: str) -> float:
    """The value of one Prometheus sample with at least these labels (0 if absent)."""
    for line in text.splitlines():
        if not line.startswith(name + "{"):
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', line.split("}")[0]))
        if all(found.get(k) == v for k, v in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_metrics_add_up_across_workers(tmp_path: Path) -> None:
    import tempfile

    folders = set(Path(tempfile.gettempdir()).glob("redress-metrics-*"))
    running = start_server(tmp_path / "server.log", ("--workers", "2"))
    try:
        for _ in range(12):
            httpx.get(f"{running.base_url}/v1/procedures", timeout=30)
        text = httpx.get(f"{running.base_url}/metrics", timeout=30).text
        assert _sample(text, "redress_http_requests_total", route="/v1/procedures",
                       status="200") == 12
    finally:
        assert running.stop() in (0, -15)
    # The private folder of the workers' counts is removed when the service stops.
    assert set(Path(tempfile.gettempdir()).glob("redress-metrics-*")) <= folders


def test_redress_token_hash_prints_the_line(capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("my-own-token\n"))
    assert main(["token", "hash", "--role", "admin", "--name", "ci"]) == 0
    assert capsys.readouterr().out == f"{hash_token('my-own-token')} admin ci\n"
