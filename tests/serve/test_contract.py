"""The versioned contract of ``redress serve``: versions on every answer, decision ids and the
decision log, the policy set behind a hash, and a document whose examples are real answers."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import pytest
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from serve_harness import LAUNCH, RunningServer, start_server

from redress.__about__ import API_VERSION, SCHEMA_VERSION, __version__
from redress.policy.loader import read_document
from redress.serve.examples import LINT_DOCUMENT

ROOT = Path(__file__).parents[2]
EXAMPLE = ROOT / "examples" / "EX-2025-0042.yaml"
VERSIONS = {"engine_version": __version__, "api_version": API_VERSION,
            "schema_version": SCHEMA_VERSION}


def example_case() -> dict[str, Any]:
    doc, _ = read_document(EXAMPLE)
    assert doc is not None
    data: dict[str, Any] = json.loads(json.dumps(doc.data, default=str))
    return data


@pytest.fixture(scope="module")
def openapi(client: httpx.Client) -> dict[str, Any]:
    data: dict[str, Any] = client.get("/openapi.json").json()
    return data


# -- versions ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "path", "body"), [
    ("GET", "/v1/health", None), ("GET", "/v1/version", None), ("GET", "/v1/procedures", None),
    ("GET", "/openapi.json", None), ("GET", "/docs", None),
    ("GET", "/schemas/result.schema.json", None), ("GET", "/v1/no-such-route", None),
    ("POST", "/v1/evaluate?as_of=2025-05-01", "case"), ("POST", "/v1/evaluate", "{"),
    ("POST", "/v1/evaluate/ics?as_of=2025-05-01", "case"),
    ("POST", "/v1/evaluate/batch?as_of=2025-05-01", "case")])
def test_every_answer_states_the_three_versions_in_its_headers(
        client: httpx.Client, method: str, path: str, body: str | None) -> None:
    content = json.dumps(example_case()) if body == "case" else body
    response = client.request(method, path, content=content)
    assert response.headers["redress-version"] == __version__
    assert response.headers["redress-api-version"] == API_VERSION
    assert response.headers["redress-schema-version"] == SCHEMA_VERSION


@pytest.mark.parametrize("path", ["/v1/health", "/v1/version", "/v1/procedures",
                                  "/v1/procedures/council-corporate",
                                  "/v1/calendars/england-and-wales/add?date=2025-05-01&n=5",
                                  "/v1/procedures/no-such-procedure"])
def test_every_json_body_states_the_three_versions(client: httpx.Client, path: str) -> None:
    body = client.get(path).json()
    assert {key: body.get(key) for key in VERSIONS} == VERSIONS


def test_a_result_states_the_versions_and_its_decision_in_its_audit(client: httpx.Client) -> None:
    first = client.post("/v1/evaluate?as_of=2025-05-01", json=example_case())
    second = client.post("/v1/evaluate?as_of=2025-05-01", json=example_case())
    audits = [r.json()["audit"] for r in (first, second)]
    assert all(a["engine_version"] == __version__ and a["api_version"] == API_VERSION
               for a in audits)
    assert audits[0]["decision_id"] == first.headers["redress-decision-id"]
    assert audits[0]["decision_id"] != audits[1]["decision_id"]  # one per evaluation


def test_each_result_record_of_a_batch_has_its_own_decision(client: httpx.Client) -> None:
    line = json.dumps(example_case())
    body = f"{line}\n{{\"id\": \"EX-BAD\"}}\n{line}\n"
    records = [json.loads(x) for x in
               client.post("/v1/evaluate/batch?as_of=2025-05-01", content=body).text.split("\n")
               if x]
    ids = [r["audit"]["decision_id"] for r in records if "error" not in r]
    assert len(ids) == 2 and len(set(ids)) == 2
    assert "audit" not in records[1]  # an error record decided nothing


# -- the policy set behind a hash --------------------------------------------------------------


def test_the_policy_set_behind_a_result_can_be_fetched(client: httpx.Client,
                                                       openapi: dict[str, Any]) -> None:
    result = client.post("/v1/evaluate?as_of=2025-05-01", json=example_case()).json()
    digest = result["audit"]["policy_set_hash"]
    response = client.get(f"/v1/policy-sets/{digest}")
    assert response.status_code == 200
    body = response.json()
    assert body["policy_set_hash"] == digest
    validator(json.dumps(openapi), "PolicySet").validate(body)
    # The files are exactly those hashed: name and bytes, in the order given.
    sha = hashlib.sha256()
    for file in body["files"]:
        content = file["text"].encode("utf-8")
        assert hashlib.sha256(content).hexdigest() == file["sha256"]
        sha.update(file["name"].rsplit("/", 1)[-1].encode())
        sha.update(content)
    assert sha.hexdigest() == digest
    assert {"policies/children-act-1989.yaml", "rules/routing.yaml"} <= {
        f["name"] for f in body["files"]}
    # Every citation the result relies on is in the set's table.
    cited = {json.dumps(d["citation"], sort_keys=True) for d in result["deadlines"]}
    table = {json.dumps(c, sort_keys=True) for c in body["citations"].values()}
    assert cited <= table


@pytest.mark.parametrize("digest", ["0" * 64, "not-a-hash"])
def test_an_unknown_policy_set_is_a_404(client: httpx.Client, digest: str) -> None:
    response = client.get(f"/v1/policy-sets/{digest}")
    assert response.status_code == 404 and response.json()["error"]["kind"] == "not_found"


# -- the document -----------------------------------------------------------------------------


@cache
def validator(document: str, component: str) -> Draft202012Validator:
    registry: Registry[Any] = Registry().with_resource(
        "urn:openapi", Resource.from_contents(json.loads(document),
                                              default_specification=DRAFT202012))
    return Draft202012Validator({"$ref": f"urn:openapi#/components/schemas/{component}"},
                                registry=registry, format_checker=FormatChecker())


def media_examples(openapi: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any], Any]]:
    for path, item in openapi["paths"].items():
        for method, operation in item.items():
            places = [operation.get("requestBody", {}), *operation["responses"].values()]
            for place in places:
                for media, content in place.get("content", {}).items():
                    named = content.get("examples", {})  # one per result form, or one example
                    assert ("example" in content) != bool(named), f"{method} {path} {media}"
                    for name, example in named.items():
                        yield f"{method} {path} {media} ({name})", content["schema"], \
                            example["value"]
                    if "example" in content:
                        yield f"{method} {path} {media}", content["schema"], content["example"]


def test_every_request_and_answer_has_an_example_that_fits_its_schema(
        openapi: dict[str, Any]) -> None:
    text = json.dumps(openapi)
    registry: Registry[Any] = Registry().with_resource(
        "urn:openapi", Resource.from_contents(openapi, default_specification=DRAFT202012))
    seen = 0
    for where, schema, example in media_examples(openapi):
        rooted = json.loads(json.dumps(schema).replace('"#/components', '"urn:openapi#/components'))
        errors = list(Draft202012Validator(rooted, registry=registry,
                                           format_checker=FormatChecker()).iter_errors(example))
        assert not errors, f"{where}: {errors[0].message} at {list(errors[0].absolute_path)}"
        seen += 1
    assert seen >= 30 and text


def test_every_operation_has_a_tag_an_id_and_every_parameter_an_example(
        openapi: dict[str, Any]) -> None:
    ids = []
    for item in openapi["paths"].values():
        for operation in item.values():
            assert operation["tags"] and operation["operationId"]
            ids.append(operation["operationId"])
            assert all("example" in p for p in operation.get("parameters", ()))
            assert all({"Redress-Version", "Redress-API-Version", "Redress-Schema-Version"}
                       <= set(r["headers"]) for r in operation["responses"].values())
    assert len(ids) == len(set(ids))
    assert openapi["servers"]


def test_every_object_schema_is_a_named_component(openapi: dict[str, Any]) -> None:
    def inline_objects(node: Any, top: bool) -> int:
        if isinstance(node, list):
            return sum(inline_objects(x, False) for x in node)
        if not isinstance(node, dict):
            return 0
        here = 0 if top or "properties" not in node else 1
        # Conditions (if: {properties: {type: {const: ...}}}) constrain; they are no shape.
        return here + sum(inline_objects(v, False) for k, v in node.items()
                          if k not in ("example", "examples", "if"))

    assert inline_objects(openapi["paths"], False) == 0
    assert sum(inline_objects(c, True) for c in openapi["components"]["schemas"].values()) == 0
    assert "$defs" not in json.dumps(openapi)


def test_ids_the_service_has_loaded_are_enumerated(openapi: dict[str, Any],
                                                   client: httpx.Client) -> None:
    param = openapi["paths"]["/v1/procedures/{id}"]["get"]["parameters"][0]
    listed = {p["id"] for p in client.get("/v1/procedures").json()["procedures"]}
    assert set(param["schema"]["enum"]) == listed
    calendar = openapi["paths"]["/v1/calendars/{id}/add"]["get"]["parameters"][0]
    assert set(calendar["schema"]["enum"]) == {"england-and-wales", "scotland",
                                                "northern-ireland"}


def test_the_lint_example_is_what_the_service_answers(client: httpx.Client,
                                                      openapi: dict[str, Any]) -> None:
    operation = openapi["paths"]["/v1/lint"]["post"]
    answer = client.post("/v1/lint", params={"name": "my-policy.yaml"}, content=LINT_DOCUMENT,
                         headers={"content-type": "application/yaml"})
    assert answer.json() == operation["responses"]["200"]["content"]["application/json"][
        "example"]


# -- the decision log -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def logged(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[RunningServer, Path]]:
    folder = tmp_path_factory.mktemp("decisions")
    log = folder / "decisions.jsonl"
    running = start_server(folder / "server.log", ("--decision-log", str(log)))
    try:
        yield running, log
    finally:
        running.stop()


def test_the_decision_log_has_a_line_per_decision_without_the_case(
        logged: tuple[RunningServer, Path]) -> None:
    running, log = logged
    with running.client() as http:
        one = http.post("/v1/evaluate?as_of=2025-05-01", json=example_case()).json()
        batch = http.post("/v1/evaluate/batch?as_of=2025-05-01",
                          content=json.dumps(example_case()) + "\n{}\n").text
    lines = [json.loads(x) for x in log.read_text(encoding="utf-8").splitlines()]
    decided = [one["audit"]["decision_id"], json.loads(batch.split("\n")[0])["audit"][
        "decision_id"]]
    assert [x["decision_id"] for x in lines] == decided  # the error record decided nothing
    first = lines[0]
    assert first["operation"] == "evaluate" and first["as_of"] == "2025-05-01"
    assert first["policy_set_hash"] == one["audit"]["policy_set_hash"]
    assert (first["procedure"], first["stage"], first["status"]) == (
        "children-act-1989", "stage2", one["status"])
    text = log.read_text(encoding="utf-8")
    assert "EX-2025-0042" not in text and "short_breaks" not in text  # no case contents


def test_a_file_that_is_not_a_decision_log_is_never_written_to(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", LAUNCH, "serve", "--decision-log", str(notes)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "is not a Redress decision log" in done.stderr
    assert notes.read_text(encoding="utf-8") == "my notes\n"
