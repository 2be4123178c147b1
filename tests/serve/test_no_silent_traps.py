"""Issue 22, "No silent traps": what the service used to accept or answer silently.

In process (httpx's ASGI transport against ``create_app``): these are about what the
application decides, not about sockets.  Expected dates are worked by hand in the comments.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from serve_harness import call, example_case

from redress.evaluation.evaluate import Engine
from redress.serve.app import create_app
from redress.serve.config import ServiceConfig
from redress.serve.params import UK_TIME

ROOT = Path(__file__).parents[2]
EXAMPLE = ROOT / "examples" / "EX-2025-0042.yaml"
LOCAL = ROOT / "examples" / "local-policies"
BOM = b"\xef\xbb\xbf"


@pytest.fixture(scope="module")
def app() -> Any:
    config = ServiceConfig(policies=(str(LOCAL),), log_requests=False, time_limit_seconds=60)
    return create_app(config, Engine.load([LOCAL]))


def problems(response: httpx.Response) -> list[dict[str, Any]]:
    assert response.status_code == 422, response.text
    found: list[dict[str, Any]] = response.json()["error"]["problems"]
    return found


# -- query parameters -------------------------------------------------------------------------


@pytest.mark.parametrize(("query", "name"), [("asof=2025-05-01", "asof"),
                                              ("as_of=", "as_of"), ("date=2025-05-01", "date"),
                                              ("as_of=2025-05-01&as_of=2025-06-01", "as_of"),
                                              ("format=ics", "format")])
def test_unknown_empty_and_repeated_query_parameters_are_422(app: Any, query: str,
                                                            name: str) -> None:
    response = call(app, "POST", f"/v1/evaluate?{query}", json=example_case())
    (problem,) = problems(response)
    assert problem["path"] == name


def test_every_bad_parameter_is_named_once(app: Any) -> None:
    response = call(app, "GET", "/v1/procedures?dat=2025-01-01&x=&x=1")
    assert [p["path"] for p in problems(response)] == ["dat", "x"]
    assert "did you mean" not in response.json()["error"]["problems"][1]["message"]


def test_an_invalid_date_in_a_case_is_one_problem(app: Any) -> None:
    case = example_case() | {"received": "2025-2-3"}
    response = call(app, "POST", "/v1/evaluate?as_of=2025-05-01", json=case)
    assert [p["path"] for p in problems(response)] == ["received"]


# -- today in the UK --------------------------------------------------------------------------


@pytest.fixture()
def far_time_zone() -> Iterator[None]:
    before = os.environ.get("TZ")
    yield
    if before is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = before
    time.tzset()


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Pacific/Pago_Pago"])
def test_today_is_the_date_in_london_whatever_the_server_zone(app: Any, far_time_zone: None,
                                                             zone: str) -> None:
    # UTC+14 and UTC-11: at any moment one of them is on another date than London.
    os.environ["TZ"] = zone
    time.tzset()
    response = call(app, "POST", "/v1/evaluate", json=example_case())
    london = dt.datetime.now(UK_TIME).date().isoformat()
    assert response.json()["audit"]["evaluated_as_of"] == london
    batch = call(app, "POST", "/v1/evaluate/batch", content=json.dumps(example_case()))
    assert json.loads(batch.text)["audit"]["evaluated_as_of"] == london


# -- the time limit covers each batch record ---------------------------------------------------


def test_the_time_limit_covers_each_batch_record(monkeypatch: pytest.MonkeyPatch) -> None:
    engine = Engine.load()
    evaluate = engine.evaluate

    def slow_for_some(case: Any, as_of: Any = None) -> Any:
        if str(case.data.get("id", "")).startswith("SLOW"):
            time.sleep(1.0)
        return evaluate(case, as_of=as_of)

    monkeypatch.setattr(engine, "evaluate", slow_for_some)
    app = create_app(ServiceConfig(log_requests=False, time_limit_seconds=0.3), engine)
    lines = [json.dumps(example_case() | {"id": name}) for name in ("SLOW-1", "QUICK", "SLOW-2")]
    response = call(app, "POST", "/v1/evaluate/batch?as_of=2025-05-01",
                    content="\n".join(lines).encode())
    records = [json.loads(line) for line in response.text.splitlines()]
    assert [r["case_id"] for r in records] == ["SLOW-1", "QUICK", "SLOW-2"]
    assert [r.get("error", {}).get("kind") for r in records] == ["time_limit", None, "time_limit"]
    assert "'SLOW-2'" in records[2]["error"]["message"]


# -- bodies -----------------------------------------------------------------------------------


@pytest.mark.parametrize("content_type", ["application/json", "application/yaml"])
def test_a_byte_order_mark_is_accepted(app: Any, content_type: str) -> None:
    body = EXAMPLE.read_bytes() if "yaml" in content_type else json.dumps(example_case()).encode()
    response = call(app, "POST", "/v1/evaluate?as_of=2025-05-01", content=BOM + body,
                    headers={"content-type": content_type})
    assert response.status_code == 200, response.text
    assert response.json()["case_id"] == "EX-2025-0042"


def test_a_byte_order_mark_starting_a_batch_is_accepted(app: Any) -> None:
    line = json.dumps(example_case()).encode()
    response = call(app, "POST", "/v1/evaluate/batch?as_of=2025-05-01",
                    content=BOM + line + b"\n" + line + b"\n")
    assert [("error" in json.loads(x)) for x in response.text.splitlines()] == [False, False]


@pytest.mark.parametrize(("path", "content_type"), [
    ("/v1/evaluate", "application/x-www-form-urlencoded"), ("/v1/evaluate", "text/csv"),
    ("/v1/evaluate/batch", "application/xml"), ("/v1/lint", "multipart/form-data")])
def test_an_unsupported_content_type_is_415(app: Any, path: str, content_type: str) -> None:
    response = call(app, "POST", path, content=b"{}", headers={"content-type": content_type})
    assert response.status_code == 415
    assert response.json()["error"]["kind"] == "unsupported_media_type"


@pytest.mark.parametrize(("method", "path", "accept"), [
    ("POST", "/v1/evaluate", "text/html"), ("POST", "/v1/evaluate/ics", "application/json"),
    ("GET", "/v1/procedures", "application/xml"), ("GET", "/v1/health", "application/json;q=0"),
    ("POST", "/v1/evaluate/batch", "application/json")])
def test_an_accept_header_that_cannot_be_met_is_406(app: Any, method: str, path: str,
                                                    accept: str) -> None:
    response = call(app, method, path, json=example_case(), headers={"accept": accept})
    assert response.status_code == 406
    assert response.json()["error"]["kind"] == "not_acceptable"


@pytest.mark.parametrize("accept", ["application/json", "*/*", "application/*;q=0.5",
                                    "text/html, application/json;q=0.1"])
def test_an_accept_header_that_can_be_met_is_answered(app: Any, accept: str) -> None:
    response = call(app, "POST", "/v1/evaluate?as_of=2025-05-01", json=example_case(),
                    headers={"accept": accept})
    assert response.status_code == 200


# -- calendars --------------------------------------------------------------------------------


def test_add_can_count_in_a_procedures_own_calendar(app: Any) -> None:
    url = "/v1/calendars/england-and-wales/add?date=2025-12-22&n=5"
    # Mon 22 Dec 2025 is day 0; Christmas Day and Boxing Day (Thu 25, Fri 26) are bank
    # holidays: Tue 23, Wed 24, Mon 29, Tue 30, Wed 31 December.
    assert call(app, "GET", url).json()["due"] == "2025-12-31"
    # Exampleshire also closes on 24, 29, 30 and 31 December, and 1 January 2026 is a bank
    # holiday: Tue 23 December, Fri 2, Mon 5, Tue 6, Wed 7 January 2026.
    local = call(app, "GET", url + "&procedure=exampleshire-corporate").json()
    assert local["due"] == "2026-01-07"
    assert "exampleshire" in local["calendar"]
    assert {"2025-12-24", "2025-12-29", "2026-01-01"} <= {s["date"] for s in local["skipped"]}


def test_between_counts_working_days_as_the_calendar_cli_does(app: Any) -> None:
    url = "/v1/calendars/england-and-wales/between?from=2025-12-22&to=2026-01-07"
    plain = call(app, "GET", url).json()
    # After Mon 22 Dec up to and including Wed 7 Jan: 23, 24, 29, 30, 31 Dec, 2, 5, 6, 7 Jan.
    assert plain["working_days"] == 9
    local = call(app, "GET", url + "&procedure=exampleshire-corporate").json()
    assert local["working_days"] == 5  # 23 Dec, 2, 5, 6, 7 Jan
    back = call(app, "GET", "/v1/calendars/england-and-wales/between?from=2026-01-07"
                            "&to=2025-12-22").json()
    assert back["working_days"] == -9


@pytest.mark.parametrize("query", ["procedure=exampleshire-corporat",
                                   "procedure=children-act-1989&x=1"])
def test_a_wrong_procedure_for_a_calendar_is_422(app: Any, query: str) -> None:
    response = call(app, "GET", f"/v1/calendars/scotland/add?date=2025-12-22&n=5&{query}")
    assert response.status_code == 422


# -- lint -------------------------------------------------------------------------------------


def test_lint_answers_never_reveal_server_paths(app: Any) -> None:
    body = (ROOT / "policies" / "council-corporate.yaml").read_bytes()
    response = call(app, "POST", "/v1/lint", content=body,
                    headers={"content-type": "application/yaml"})
    assert response.status_code == 200
    assert str(ROOT) not in response.text and "/tmp" not in response.text
    assert "policies/council-corporate.yaml" in response.text
