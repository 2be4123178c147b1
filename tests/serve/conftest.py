"""Fixtures for the service tests.

``server`` is one service with the default settings (small body limits so the limits can be
hit cheaply), shared by a module's tests; other tests start their own with other options.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from serve_harness import RunningServer, start_server

SMALL_LIMITS = ("--max-body", "65536", "--max-batch", "262144")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    running = start_server(tmp_path_factory.mktemp("serve") / "server.log", SMALL_LIMITS)
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="module")
def client(server: RunningServer) -> Iterator[httpx.Client]:
    with server.client() as http:
        yield http
