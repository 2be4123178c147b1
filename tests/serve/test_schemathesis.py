"""Schemathesis over every operation of a running service, batch included (issue 22).

Requests are generated from the served ``/openapi.json``, valid and invalid, and every answer is
checked against the document: no server error, a declared status, content type and headers, a
body that fits its schema, invalid input refused and valid input accepted.  JSON Lines bodies go
through the serialiser in ``schemathesis_hooks.py``; settings are in ``schemathesis.toml``.

CI runs a bounded, derandomised run (the same requests every time, about a minute of CPU).  A
longer hunt, with a seed of your choosing:

    REDRESS_SCHEMATHESIS_EXAMPLES=500 REDRESS_SCHEMATHESIS_SEED=7 \\
        .venv/bin/python -m pytest tests/serve/test_schemathesis.py

A failure known but being fixed elsewhere is reproduced by a test marked as an expected failure
and left out of the run's verdict for its exact inputs (``schemathesis_hooks.KNOWN_FAILURES``);
when the fix lands that test passes unexpectedly: delete its mark and its entry.  The two found
first (empty or unknown query parameters, a line feed in an ICS case id) are fixed, and their
tests below are ordinary tests now.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from serve_harness import RunningServer

HERE = Path(__file__).parent
ST = Path(sys.executable).parent / "st"
EXAMPLES = int(os.environ.get("REDRESS_SCHEMATHESIS_EXAMPLES", "100"))  # per operation
SEED = os.environ.get("REDRESS_SCHEMATHESIS_SEED")  # unset: derandomised

pytestmark = pytest.mark.slow


def schemathesis(server: RunningServer, *options: str) -> subprocess.CompletedProcess[str]:
    generation = ["--seed", SEED] if SEED else ["--generation-deterministic"]
    command = [str(ST), "--config-file", str(HERE / "schemathesis.toml"), "run",
               f"{server.base_url}/openapi.json", "--max-examples", str(EXAMPLES),
               *generation, "--workers", "1", "--no-color", "--request-timeout", "60",
               *options]
    env = {**os.environ, "PYTHONPATH": str(HERE), "SCHEMATHESIS_HOOKS": "schemathesis_hooks"}
    return subprocess.run(command, cwd=HERE, env=env, capture_output=True, text=True,
                          timeout=1800)


def test_schemathesis_finds_no_failure_in_any_operation(server: RunningServer,
                                                         client: httpx.Client) -> None:
    done = schemathesis(server)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-20000:]
    # Every operation was tried, the batch included.
    paths = client.get("/openapi.json").json()["paths"]
    operations = sum(len(item) for item in paths.values())
    assert f"Selected: {operations}/{operations}" in output, output[-3000:]
    assert f"Tested: {operations}" in output, output[-3000:]


def example_case(**changes: Any) -> dict[str, Any]:
    return {"id": "EX-1", "received": "2025-03-03", "nation": "england",
            "service": "council_corporate", "events": [],
            "organisations": [{"id": "exampleshire", "kind": "local_authority"}], **changes}


@pytest.mark.parametrize("path", ["/v1/evaluate?as_of=", "/v1/evaluate/batch?as_of=",
                                  "/v1/procedures/council-corporate?date=",
                                  "/v1/evaluate?asof=2025-05-01", "/v1/procedures?x=1"])
def test_an_empty_or_unknown_query_parameter_is_a_422(client: httpx.Client,
                                                                    path: str) -> None:
    if "batch" in path:
        response = client.post(path, content=json.dumps(example_case()) + "\n",
                               headers={"content-type": "application/x-ndjson"})
    elif "evaluate" in path:
        response = client.post(path, json=example_case())
    else:
        response = client.get(path)
    assert response.status_code == 422


@pytest.mark.parametrize("case_id", ["EX\r\n1", "EX\n1"])
def test_a_line_break_in_the_case_id_gives_a_calendar(
        client: httpx.Client, case_id: str) -> None:
    response = client.post("/v1/evaluate/ics?as_of=2025-05-01", json=example_case(id=case_id))
    assert response.status_code == 200 and response.text.startswith("BEGIN:VCALENDAR\r\n")
