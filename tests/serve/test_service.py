"""``redress serve`` end to end: a real uvicorn server on a loopback port, called over HTTP.

Every JSON answer is checked against the OpenAPI document the server itself publishes, and
results and records also against ``schemas/result.schema.json`` and ``record.schema.json``.
Expected dates are worked by hand (see the comments), never copied from Redress's output.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
import time
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import pytest
from icalendar import Calendar
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema_path import SchemaPath
from openapi_spec_validator.validation import OpenAPIV31SpecValidator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from serve_harness import LAUNCH

from redress.__about__ import __version__
from redress.evaluation.evaluate import Engine
from redress.evaluation.records import evaluate_record, to_json_line
from redress.policy.loader import read_document
from redress.policy.schema import validator as file_validator
from redress.resources import schema_path
from redress.serve.inputs import batch_inputs

ROOT = Path(__file__).parents[2]
EXAMPLE = ROOT / "examples" / "EX-2025-0042.yaml"
BAD_POLICY = ROOT / "tests" / "lint" / "schema" / "bad.yaml"
OPENAPI_URI = "urn:redress:openapi"


def example_case() -> dict[str, Any]:
    doc, problems = read_document(EXAMPLE)
    assert doc is not None, problems
    data: dict[str, Any] = doc.data
    return data


@pytest.fixture(scope="module")
def openapi(client: httpx.Client) -> dict[str, Any]:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    data: dict[str, Any] = response.json()
    return data


def _escape(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")


@cache
def _validator(document_text: str, pointer: str) -> Draft202012Validator:
    document = json.loads(document_text)
    registry: Registry[Any] = Registry().with_resource(
        OPENAPI_URI, Resource.from_contents(document, default_specification=DRAFT202012))
    return Draft202012Validator({"$ref": f"{OPENAPI_URI}#{pointer}"}, registry=registry,
                                format_checker=FormatChecker())


def check_against_openapi(openapi: dict[str, Any], path: str, method: str,
                          response: httpx.Response, data: Any = None,
                          media: str = "application/json") -> None:
    """The body matches the schema the document gives for this path, method and status."""
    content = openapi["paths"][path][method]["responses"][str(response.status_code)]["content"]
    assert media in content, f"{path} {method} {response.status_code} does not declare {media}"
    # A JSON Lines body's schema is the array of the values on its lines: check one line.
    keys = ("schema", "items") if media == "application/x-ndjson" else ("schema",)
    pointer = "/" + "/".join(_escape(p) for p in ("paths", path, method, "responses",
                                                    str(response.status_code), "content", media,
                                                    *keys))
    validator = _validator(json.dumps(openapi), pointer)
    body = response.json() if data is None else data
    errors = list(validator.iter_errors(body))
    assert not errors, f"{errors[0].message} at {list(errors[0].absolute_path)}"


def check_error(openapi: dict[str, Any], path: str, method: str, response: httpx.Response,
                status: int, kind: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    check_against_openapi(openapi, path, method, response)
    error: dict[str, Any] = response.json()["error"]
    assert error["kind"] == kind and error["status"] == status
    return error


# -- the document and the docs page ------------------------------------------------------------


def test_the_openapi_document_is_valid_openapi_3_1(openapi: dict[str, Any]) -> None:
    assert openapi["openapi"].startswith("3.1")
    OpenAPIV31SpecValidator(SchemaPath.from_dict(openapi)).validate()


def test_the_document_uses_the_schema_files_themselves(openapi: dict[str, Any],
                                                       client: httpx.Client) -> None:
    schemas = openapi["components"]["schemas"]
    for name, component in (("case", "ComplaintCase"), ("result", "EvaluationResult")):
        on_disk = json.loads(schema_path(name).read_text(encoding="utf-8"))
        assert schemas[component]["properties"].keys() == on_disk["properties"].keys()
        assert schemas[component]["required"] == on_disk["required"]
    for name in ("case", "result", "record", "service"):
        served = client.get(f"/schemas/{name}.schema.json")
        on_disk = json.loads(schema_path(name).read_text(encoding="utf-8"))
        assert served.status_code == 200 and served.json() == on_disk
    assert schemas["EvaluationResult"]["properties"]["deadlines"]["items"] == {
        "$ref": "#/components/schemas/Deadline"}


def test_every_operation_of_the_issue_is_documented(openapi: dict[str, Any]) -> None:
    assert {(p, m) for p, item in openapi["paths"].items() for m in item} == {
        ("/v1/evaluate", "post"), ("/v1/evaluate/explanation", "post"),
        ("/v1/evaluate/ics", "post"), ("/v1/evaluate/batch", "post"), ("/v1/lint", "post"),
        ("/v1/procedures", "get"), ("/v1/procedures/{id}", "get"),
        ("/v1/policy-sets/{hash}", "get"),
        ("/v1/calendars/{id}/add", "get"), ("/v1/calendars/{id}/between", "get"),
        ("/v1/health", "get"), ("/v1/version", "get"), ("/metrics", "get")}


def without_stamps(result: dict[str, Any]) -> dict[str, Any]:
    """A result without what the service adds to each one (its decision id, API version)."""
    audit = {k: v for k, v in result["audit"].items() if k not in ("decision_id", "api_version")}
    return {**result, "audit": audit}


def test_the_docs_page_renders_offline(client: httpx.Client, openapi: dict[str, Any]) -> None:
    response = client.get("/docs")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert "<script" not in page and "src=" not in page and "@import" not in page  # no CDN
    for path in openapi["paths"]:
        assert f"<code>{path}</code>" in page
    assert "<code>received</code> (required)" in page      # the case schema's fields
    assert "<code>deadlines</code> (required)" in page     # the result schema's fields


# -- health and version -----------------------------------------------------------------------


def test_health(client: httpx.Client, openapi: dict[str, Any]) -> None:
    response = client.get("/v1/health")
    assert response.json() == {"status": "ready", "engine_version": __version__,
                               "api_version": "1.0", "schema_version": "1.0",
                               "policy_set_hash": client.get("/v1/version").json()[
                                   "policy_set_hash"]}
    check_against_openapi(openapi, "/v1/health", "get", response)


def test_version_is_the_audit_stamp_of_the_results(client: httpx.Client,
                                                   openapi: dict[str, Any]) -> None:
    version = client.get("/v1/version")
    check_against_openapi(openapi, "/v1/version", "get", version)
    result = client.post("/v1/evaluate", params={"as_of": "2025-05-01"}, json=example_case())
    audit = result.json()["audit"]
    stamp = version.json()
    assert stamp["engine_version"] == audit["engine_version"]
    assert stamp["policy_set_hash"] == audit["policy_set_hash"]
    assert stamp["calendar_data_version"] == audit["calendar_data_version"]
    assert stamp["backend"] == audit["backend"]


# -- evaluate ---------------------------------------------------------------------------------


def test_evaluate_the_bundled_example(client: httpx.Client, openapi: dict[str, Any]) -> None:
    response = client.post("/v1/evaluate", params={"as_of": "2025-05-01"}, json=example_case())
    assert response.status_code == 200, response.text
    check_against_openapi(openapi, "/v1/evaluate", "post", response)
    data = response.json()
    assert not list(file_validator("result").iter_errors(data))
    assert data["case_id"] == "EX-2025-0042" and data["stage"] == "stage2"
    stage2 = next(d for d in data["deadlines"] if (d["stage"], d["kind"]) == ("stage2", "respond"))
    # 25 working days after Mon 14 April 2025, skipping Good Friday 18 April, Easter Monday
    # 21 April and the Early May bank holiday 5 May: Thursday 22 May 2025 (worked by hand).
    assert stage2["due"] == "2025-05-22" and stage2["state"] == "pending"


def test_a_yaml_body_gives_the_same_result_as_json(client: httpx.Client) -> None:
    as_json = client.post("/v1/evaluate?as_of=2025-05-01", json=example_case()).json()
    as_yaml = client.post("/v1/evaluate?as_of=2025-05-01", content=EXAMPLE.read_bytes(),
                          headers={"content-type": "application/yaml"})
    assert as_yaml.status_code == 200
    assert without_stamps(as_yaml.json()) == without_stamps(as_json)


def test_explain_adds_the_plain_english_account(client: httpx.Client,
                                                openapi: dict[str, Any]) -> None:
    response = client.post("/v1/evaluate/explanation", params={"as_of": "2025-05-01"},
                           json=example_case())
    assert response.status_code == 200
    check_against_openapi(openapi, "/v1/evaluate/explanation", "post", response)
    body = response.json()
    assert set(body) == {"result", "explanation", "engine_version", "api_version",
                         "schema_version"}
    assert body["result"]["audit"]["decision_id"] == response.headers["redress-decision-id"]
    expected = Engine.load().evaluate(EXAMPLE, as_of=dt.date(2025, 5, 1)).explain()
    assert body["explanation"] == expected


def test_format_ics_gives_a_calendar_of_the_open_deadlines(client: httpx.Client) -> None:
    response = client.post("/v1/evaluate/ics", params={"as_of": "2025-05-01"},
                           json=example_case())
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    assert response.headers["redress-decision-id"]
    events = list(Calendar.from_ical(response.content).walk("VEVENT"))
    assert dt.date(2025, 5, 22) in {e.decoded("dtstart") for e in events}
    assert all("Case: EX-2025-0042" in str(e["description"]) for e in events)


# -- bad input of every kind ------------------------------------------------------------------


def test_malformed_json_is_a_422_with_line_and_column(client: httpx.Client,
                                                      openapi: dict[str, Any]) -> None:
    response = client.post("/v1/evaluate", content=b'{"id": "X",\n  "received": }',
                           headers={"content-type": "application/json"})
    error = check_error(openapi, "/v1/evaluate", "post", response, 422, "unreadable")
    assert error["problems"][0]["line"] == 2 and error["problems"][0]["column"] == 15


def test_wrong_types_are_a_422_listing_every_problem_with_its_path(
        client: httpx.Client, openapi: dict[str, Any]) -> None:
    case = example_case() | {"id": 42, "events": "none", "nation": "atlantis"}
    response = client.post("/v1/evaluate", content=json.dumps(case, indent=1).encode(),
                           headers={"content-type": "application/json"})
    error = check_error(openapi, "/v1/evaluate", "post", response, 422, "invalid_case")
    paths = {p["path"] for p in error["problems"]}
    assert {"id", "events", "nation"} <= paths
    assert all(p["line"] is not None and p["column"] is not None for p in error["problems"])


def test_a_case_failing_validation_names_the_event(client: httpx.Client,
                                                   openapi: dict[str, Any]) -> None:
    case = example_case()
    case["events"][1]["date"] = "2025-02-30"
    response = client.post("/v1/evaluate", content=json.dumps(case, indent=2).encode(),
                           headers={"content-type": "application/json"})
    error = check_error(openapi, "/v1/evaluate", "post", response, 422, "invalid_case")
    problem = next(p for p in error["problems"] if p["path"] == "events[1].date")
    assert "2025-02-30" in problem["message"] and problem["line"] is not None


@pytest.mark.parametrize("body", [b"[" * 20_000 + b"]" * 20_000,
                                  b'{"id": ' + b"9" * 5000 + b"}"],
                         ids=["nested-too-deeply", "integer-too-long"])
def test_json_python_cannot_hold_is_a_422_not_a_crash(client: httpx.Client,
                                                      openapi: dict[str, Any],
                                                      body: bytes) -> None:
    response = client.post("/v1/evaluate", content=body,
                           headers={"content-type": "application/json"})
    check_error(openapi, "/v1/evaluate", "post", response, 422, "unreadable")


def test_a_repeated_key_is_refused(client: httpx.Client, openapi: dict[str, Any]) -> None:
    response = client.post("/v1/evaluate", content=b'{"id": "A", "id": "B"}',
                           headers={"content-type": "application/json"})
    error = check_error(openapi, "/v1/evaluate", "post", response, 422, "unreadable")
    assert "duplicate key 'id'" in error["message"]


def test_a_body_that_is_not_utf8_is_a_422(client: httpx.Client, openapi: dict[str, Any]) -> None:
    response = client.post("/v1/evaluate", content=b'{"id": "\xff"}')
    check_error(openapi, "/v1/evaluate", "post", response, 422, "unreadable")


@pytest.mark.parametrize("params", [{"as_of": "2025-13-01"}, {"as_of": "yesterday"}])
def test_bad_query_parameters_are_a_422_naming_them(client: httpx.Client, openapi: dict[str, Any],
                                                    params: dict[str, str]) -> None:
    response = client.post("/v1/evaluate", params=params, json=example_case())
    error = check_error(openapi, "/v1/evaluate", "post", response, 422, "invalid_parameter")
    assert error["problems"][0]["path"] == next(iter(params))


def test_an_oversized_body_is_a_413(client: httpx.Client, openapi: dict[str, Any]) -> None:
    big = example_case() | {"padding": "x" * 70_000}  # the test server's limit is 64 KiB
    response = client.post("/v1/evaluate", json=big)
    check_error(openapi, "/v1/evaluate", "post", response, 413, "too_large")


def test_an_oversized_body_without_a_length_is_a_413(client: httpx.Client,
                                                     openapi: dict[str, Any]) -> None:
    def chunks() -> Any:
        for _ in range(20):
            yield b" " * 8192  # 160 KiB sent chunked, with no Content-Length

    response = client.post("/v1/evaluate", content=chunks())
    check_error(openapi, "/v1/evaluate", "post", response, 413, "too_large")


def test_an_unknown_route_is_a_404_json(client: httpx.Client) -> None:
    response = client.get("/v2/evaluate")
    assert response.status_code == 404
    assert response.json()["error"]["kind"] == "not_found"


def test_a_wrong_method_is_a_405_json(client: httpx.Client) -> None:
    response = client.get("/v1/evaluate")
    assert response.status_code == 405
    assert response.json()["error"]["kind"] == "method_not_allowed"
    assert "POST" in response.headers["allow"]


def test_admin_reload_is_off_by_default(client: httpx.Client) -> None:
    assert client.post("/v1/admin/reload").status_code == 404


# -- batch ------------------------------------------------------------------------------------


def _batch_body() -> bytes:
    good = example_case()
    second = example_case() | {"id": "EX-2"}
    invalid = example_case() | {"id": "EX-BAD", "nation": "atlantis"}
    lines = [json.dumps(good), "", json.dumps(invalid), '{"id": "EX-BROKEN", ',
             json.dumps(second), "   ", json.dumps(["not", "a", "case"])]
    return ("\n".join(lines) + "\n").encode("utf-8")


def test_a_batch_answers_one_record_per_line_in_order(client: httpx.Client,
                                                      openapi: dict[str, Any]) -> None:
    body = _batch_body()
    with client.stream("POST", "/v1/evaluate/batch", params={"as_of": "2025-05-01"},
                       content=body, headers={"content-type": "application/x-ndjson"}) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("application/x-ndjson")
        lines = list(response.iter_lines())
    records = [json.loads(line) for line in lines if line]
    assert [r["input"]["line"] for r in records] == [1, 3, 4, 5, 7]   # blank lines skipped
    assert [r["input"]["index"] for r in records] == [0, 1, 2, 3, 4]
    assert [r.get("error", {}).get("kind") for r in records] == [
        None, "invalid_case", "unreadable", None, "invalid_case"]
    assert records[1]["case_id"] == "EX-BAD" and records[3]["case_id"] == "EX-2"
    assert records[2]["error"]["problems"][0]["line"] == 4
    for record in records:
        assert not list(file_validator("record").iter_errors(record))
        check_against_openapi(openapi, "/v1/evaluate/batch", "post", response, record,
                              media="application/x-ndjson")


def test_a_batch_gives_exactly_the_records_of_the_library(client: httpx.Client) -> None:
    body = _batch_body()
    served = client.post("/v1/evaluate/batch?as_of=2025-05-01", content=body).text
    engine = Engine.load()
    local = "".join(to_json_line(evaluate_record(engine, parsed, dt.date(2025, 5, 1)))
                    for parsed in batch_inputs(body))
    assert _unstamped_lines(served) == local


def _unstamped_lines(text: str) -> str:
    """JSON Lines without the service's stamps, written as redress batch writes them."""
    records = [json.loads(line) for line in text.splitlines()]
    return "".join(to_json_line(r if "error" in r else without_stamps(r)) for r in records)


def test_an_oversized_batch_is_a_413(client: httpx.Client, openapi: dict[str, Any]) -> None:
    line = json.dumps(example_case()) + "\n"
    body = (line * (300_000 // len(line) + 1)).encode()  # the test server's limit is 256 KiB
    response = client.post("/v1/evaluate/batch", content=body)
    check_error(openapi, "/v1/evaluate/batch", "post", response, 413, "too_large")


# -- lint -------------------------------------------------------------------------------------


def test_lint_reports_findings_with_line_and_column(client: httpx.Client,
                                                    openapi: dict[str, Any]) -> None:
    response = client.post("/v1/lint", params={"name": "my-council.yaml"},
                           content=BAD_POLICY.read_bytes(),
                           headers={"content-type": "application/yaml"})
    assert response.status_code == 200, response.text
    check_against_openapi(openapi, "/v1/lint", "post", response)
    report = response.json()
    # tests/lint/schema/expected.txt: the misspelt 'respnd' key is on line 16, column 7.
    assert report["findings"] == [{
        "file": "my-council.yaml", "line": 16, "column": 7, "severity": "error",
        "check_id": "schema", "message": "unknown key 'respnd' in stage 'stage1' deadlines",
        "hint": "did you mean 'respond'?"}]
    assert report["errors"] == 1 and report["warnings"] == 0


def test_lint_refuses_a_file_name_with_a_path(client: httpx.Client,
                                              openapi: dict[str, Any]) -> None:
    response = client.post("/v1/lint", params={"name": "../escape.yaml"}, content=b"id: x\n")
    check_error(openapi, "/v1/lint", "post", response, 422, "invalid_parameter")


# -- procedures and calendars -----------------------------------------------------------------


def test_procedures_list_every_bundled_policy(client: httpx.Client,
                                              openapi: dict[str, Any]) -> None:
    response = client.get("/v1/procedures")
    check_against_openapi(openapi, "/v1/procedures", "get", response)
    ids = {p["id"] for p in response.json()["procedures"]}
    assert set(Engine.load().library.policies) == ids
    assert "children-act-1989" in ids


def test_a_procedure_in_force_on_a_date_carries_citations(client: httpx.Client,
                                                          openapi: dict[str, Any]) -> None:
    response = client.get("/v1/procedures/children-act-1989", params={"date": "2025-05-01"})
    assert response.status_code == 200
    check_against_openapi(openapi, "/v1/procedures/{id}", "get", response)
    policy = response.json()
    stage2 = next(s for s in policy["stages"] if s["id"] == "stage2")
    respond = next(d for d in stage2["deadlines"] if d["kind"] == "respond")
    # Children Act 1989 representations: stage 2 response within 25 working days (reg 17(3)).
    assert respond["period"] == {"unit": "working_days", "amount": 25, "text": "25 working days"}
    assert respond["citation"]["text"] == "SI 2006/1738 reg 17(3)"


def test_procedure_errors(client: httpx.Client, openapi: dict[str, Any]) -> None:
    unknown = client.get("/v1/procedures/children-act-198")
    error = check_error(openapi, "/v1/procedures/{id}", "get", unknown, 404, "not_found")
    assert "children-act-1989" in error["message"]
    # The 2006 Regulations came into force on 1 September 2006: nothing is in force before.
    early = client.get("/v1/procedures/children-act-1989", params={"date": "2001-01-01"})
    check_error(openapi, "/v1/procedures/{id}", "get", early, 404, "not_found")
    bad = client.get("/v1/procedures/children-act-1989", params={"date": "1-1-2025"})
    check_error(openapi, "/v1/procedures/{id}", "get", bad, 422, "invalid_parameter")


def test_calendar_add(client: httpx.Client, openapi: dict[str, Any]) -> None:
    response = client.get("/v1/calendars/england-and-wales/add",
                          params={"date": "2025-04-14", "n": "25"})
    check_against_openapi(openapi, "/v1/calendars/{id}/add", "get", response)
    body = response.json()
    # Worked by hand: see test_evaluate_the_bundled_example.
    assert body["due"] == "2025-05-22"
    assert [s["date"] for s in body["skipped"]] == ["2025-04-18", "2025-04-21", "2025-05-05"]


def test_calendar_errors(client: httpx.Client, openapi: dict[str, Any]) -> None:
    path = "/v1/calendars/{id}/add"
    unknown = client.get("/v1/calendars/wales/add", params={"date": "2025-04-14", "n": "1"})
    check_error(openapi, path, "get", unknown, 404, "not_found")
    for params in ({"date": "2025-04-14"}, {"date": "2025-04-14", "n": "ten"},
                   {"n": "3"}, {"date": "2025-04-14", "n": "99999"}):
        response = client.get("/v1/calendars/scotland/add", params=params)
        check_error(openapi, path, "get", response, 422, "invalid_parameter")
    outside = client.get("/v1/calendars/scotland/add", params={"date": "1990-01-01", "n": "1"})
    check_error(openapi, path, "get", outside, 422, "out_of_calendar")


# -- request logs -----------------------------------------------------------------------------


def test_request_logs_are_json_lines_without_case_contents(server: Any,
                                                           client: httpx.Client) -> None:
    marker = "Ms Zebedee Quillfeather"
    case = example_case() | {"id": "CASE-SECRET-7781"}
    case["complainant"] = dict(case["complainant"], name=marker)
    assert client.post("/v1/evaluate?as_of=2025-05-01", json=case).status_code == 200
    bad = dict(case, nation="atlantis")
    assert client.post("/v1/evaluate?as_of=2025-05-01", json=bad).status_code == 422
    client.post("/v1/evaluate/batch?as_of=2025-05-01", content=json.dumps(case).encode())
    mistyped = client.get("/v1/complainants/Zebedee-Quillfeather")
    assert mistyped.status_code == 404
    # A request is logged just after its answer is sent: wait for this one's line.
    request_id = mistyped.headers["x-request-id"]
    deadline = time.monotonic() + 10
    while request_id not in server.log_path.read_text(encoding="utf-8") \
            and time.monotonic() < deadline:
        time.sleep(0.05)
    text = server.log_path.read_text(encoding="utf-8")
    assert "Quillfeather" not in text
    assert marker not in text and "CASE-SECRET-7781" not in text and "as_of" not in text
    entries = [json.loads(line) for line in server.log_lines()]  # every line is JSON
    evaluated = [e for e in entries if e.get("route") == "/v1/evaluate"]
    assert {e["status"] for e in evaluated} >= {200, 422}
    for entry in evaluated:
        assert set(entry) == {"time", "request_id", "method", "route", "path", "status",
                              "duration_ms", "bytes_in", "bytes_out", "pid"}
    (unmatched,) = [e for e in entries if e.get("request_id") == request_id]
    assert unmatched["route"] is None and unmatched["path"] is None


def test_the_readme_curl_example_evaluates_the_bundled_case(server: Any) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"curl -s -X POST '(http://127\.0\.0\.1:8080)(\S+)' \\\s*"
                      r"-H '([^:]+): ([^']+)' --data-binary @(\S+)", readme)
    assert match, "the README's curl example has changed shape; update this test"
    _, path, header, value, file = match.groups()
    response = httpx.post(server.base_url + path, headers={header: value},
                          content=(ROOT / file).read_bytes(), timeout=60)
    assert response.status_code == 200
    assert response.json()["case_id"] == "EX-2025-0042"


def test_a_batch_answers_as_redress_batch_does(client: httpx.Client) -> None:
    body = _batch_body() + b"[" * 5000 + b"]" * 5000 + b"\n"
    served = client.post("/v1/evaluate/batch?as_of=2025-05-01", content=body).text
    cli = subprocess.run([sys.executable, "-c", LAUNCH, "batch", "-", "--as-of", "2025-05-01"],
                         input=body, capture_output=True, timeout=300)
    assert cli.returncode == 1  # some records are in error
    # redress batch adds to each line's input what its --resume checks (sha256, options,
    # previous): a file's concern, not the service's; everything else is the same.
    resumable = ("sha256", "options", "previous")
    from_cli = [json.loads(line) for line in cli.stdout.decode("utf-8").splitlines()]
    for record in from_cli:
        assert all(key in record["input"] for key in resumable)
        record["input"] = {k: v for k, v in record["input"].items() if k not in resumable}
    assert [json.loads(line) for line in _unstamped_lines(served).splitlines()] == from_cli


def test_a_lone_surrogate_in_a_case_is_answered_not_a_crash(client: httpx.Client) -> None:
    body = json.dumps(example_case() | {"id": "EX-\ud800"}).encode("ascii")  # a valid JSON escape
    response = client.post("/v1/evaluate?as_of=2025-05-01", content=body,
                           headers={"content-type": "application/json"})
    assert response.status_code == 200
    assert response.json()["case_id"] == "EX-\ud800"
