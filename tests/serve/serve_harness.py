"""Start and stop a real ``redress serve`` (uvicorn) on a free loopback port, for the tests."""

from __future__ import annotations

import resource
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from redress.policy.loader import read_document

ROOT = Path(__file__).parents[2]
EXAMPLE = ROOT / "examples" / "EX-2025-0042.yaml"
START_TIMEOUT = 90.0  # loading and checking the policies takes a few seconds on a busy machine
LAUNCH = "import sys; from redress.cli import main; sys.exit(main(sys.argv[1:]))"


def example_case() -> dict[str, Any]:
    """The bundled example case (examples/EX-2025-0042.yaml) as parsed data."""
    doc, problems = read_document(EXAMPLE)
    assert doc is not None, problems
    data: dict[str, Any] = doc.data
    return data


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class RunningServer:
    process: subprocess.Popen[bytes]
    base_url: str
    log_path: Path

    def client(self, timeout: float = 60.0) -> httpx.Client:
        return httpx.Client(base_url=self.base_url, timeout=timeout)

    def log_lines(self) -> list[str]:
        return self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()

    def stop(self) -> int:
        self.process.terminate()
        try:
            return self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait(timeout=30)


def start_server(log_path: Path, options: Sequence[str] = (),
                 open_files: int | None = None, ca_file: Path | None = None) -> RunningServer:
    """``redress serve --port <free> OPTIONS``, waiting until ``/v1/health`` answers.

    ``open_files`` caps the server's open-file limit (soft and hard), as ``ulimit -n`` would;
    ``ca_file`` means the server speaks HTTPS with a certificate from that authority.
    """
    port = free_port()
    scheme = "https" if ca_file is not None else "http"
    verify: ssl.SSLContext | bool = True
    if ca_file is not None:
        verify = ssl.create_default_context(cafile=str(ca_file))
    log = log_path.open("wb")

    def limit() -> None:
        if open_files is not None:
            resource.setrlimit(resource.RLIMIT_NOFILE, (open_files, open_files))

    process = subprocess.Popen(
        [sys.executable, "-c", LAUNCH, "serve", "--host", "127.0.0.1", "--port", str(port),
         *options], stdout=log, stderr=subprocess.STDOUT, preexec_fn=limit)
    log.close()
    server = RunningServer(process, f"{scheme}://127.0.0.1:{port}", log_path)
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"redress serve exited {process.returncode}:\n"
                               + log_path.read_text(errors="replace"))
        try:
            if httpx.get(f"{server.base_url}/v1/health", timeout=2,
                         verify=verify).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    server.stop()
    raise RuntimeError("redress serve did not start in time:\n" + log_path.read_text(errors="replace"))


def call(app: Any, method: str, url: str, **kwargs: Any) -> httpx.Response:
    """One request to the ASGI app in process (no server, no socket)."""
    import anyio

    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            return await client.request(method, url, **kwargs)

    return anyio.run(go)
