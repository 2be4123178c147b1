"""The two result forms over HTTP (``?form=full|lean``) and the citation table a lean result
is read with (``GET /v1/policy-sets/{hash}``, the same table as ``redress citations``).

In process (httpx's ASGI transport against ``create_app``): what the application answers, not
how sockets carry it; the schemathesis and generated-client tests cover the real server.
"""

from __future__ import annotations

import datetime as dt
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
from serve_harness import LAUNCH, call, example_case

from redress import CaseError
from redress.evaluation.evaluate import Engine
from redress.serve.app import create_app
from redress.serve.config import ServiceConfig
from redress.testing.generate import as_of_for, random_cases

ROOT = Path(__file__).parents[2]
AS_OF = "2025-05-01"
SERVICE_ONLY = ("api_version", "decision_id")  # audit members only the service adds


@pytest.fixture(scope="module")
def engine() -> Iterator[Engine]:
    loaded = Engine.load()
    yield loaded
    loaded.close()


@pytest.fixture(scope="module")
def app(engine: Engine) -> Any:
    return create_app(ServiceConfig(log_requests=False, time_limit_seconds=60), engine)


@cache
def schema_validator(name: str) -> Draft202012Validator:
    """A validator for ``schemas/<name>.schema.json``, its relative references resolved."""
    resources = []
    for path in (ROOT / "schemas").glob("*.schema.json"):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resources.append((path.name, Resource.from_contents(contents,
                                                            default_specification=DRAFT202012)))
    registry: Registry[Any] = Registry().with_resources(resources)
    return Draft202012Validator({"$ref": f"{name}.schema.json"}, registry=registry,
                                format_checker=FormatChecker())


def without_service(body: dict[str, Any]) -> dict[str, Any]:
    audit = {k: v for k, v in body["audit"].items() if k not in SERVICE_ONLY}
    return {**body, "audit": audit}


def records(response: httpx.Response) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.text
    return [json.loads(line) for line in response.text.splitlines() if line]


def cited_ids(node: Any) -> Iterator[str]:
    """Every ``citation_id`` anywhere in a lean result."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "citation_id" and isinstance(value, str):
                yield value
            elif key != "citations":
                yield from cited_ids(value)
    elif isinstance(node, list):
        for item in node:
            yield from cited_ids(item)


# -- ?form= on the evaluation operations ------------------------------------------------------


def test_a_lean_result_is_the_engines_lean_form_and_fits_the_result_schema(
        app: Any, engine: Engine) -> None:
    response = call(app, "POST", f"/v1/evaluate?as_of={AS_OF}&form=lean", json=example_case())
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["form"] == "lean" and "trace" not in body
    schema_validator("result").validate(body)
    want = engine.evaluate(example_case(), as_of=dt.date(2025, 5, 1)).to_dict(form="lean")
    assert without_service(body) == want
    assert body["audit"]["decision_id"] == response.headers["redress-decision-id"]
    # The single result carries the table of exactly the ids it uses.
    used = set(cited_ids(body))
    assert used and set(body["citations"]) == used


@pytest.mark.parametrize("query", ["", "&form=full"])
def test_the_full_form_is_the_default_and_can_be_asked_for(app: Any, engine: Engine,
                                                           query: str) -> None:
    body = call(app, "POST", f"/v1/evaluate?as_of={AS_OF}{query}", json=example_case()).json()
    assert body["form"] == "full" and "citations" not in body
    assert without_service(body) == engine.evaluate(
        example_case(), as_of=dt.date(2025, 5, 1)).to_dict()


def test_a_lean_batch_has_lean_records_without_a_table(app: Any, engine: Engine) -> None:
    line = json.dumps(example_case())
    body = f"{line}\n{{\"id\": \"EX-BAD\"}}\n{line}\n"
    answer = records(call(app, "POST", f"/v1/evaluate/batch?as_of={AS_OF}&form=lean",
                          content=body))
    assert [r["form"] for r in answer] == ["lean", "lean", "lean"]
    assert "error" in answer[1] and all("citations" not in r for r in answer)
    for record in answer:
        schema_validator("record").validate(record)
    want = engine.evaluate(example_case(), as_of=dt.date(2025, 5, 1)).lean_dict(
        with_citations=False)
    assert {k: v for k, v in without_service(answer[0]).items() if k != "input"} == want
    full = records(call(app, "POST", f"/v1/evaluate/batch?as_of={AS_OF}", content=body))
    assert [r["form"] for r in full] == ["full", "full", "full"]


def test_the_explanation_operation_takes_the_form_of_its_result(app: Any) -> None:
    body = call(app, "POST", f"/v1/evaluate/explanation?as_of={AS_OF}&form=lean",
                json=example_case()).json()
    assert body["result"]["form"] == "lean" and body["explanation"]
    schema_validator("result").validate(body["result"])


@pytest.mark.parametrize("path", ["/v1/evaluate", "/v1/evaluate/explanation",
                                  "/v1/evaluate/batch"])
@pytest.mark.parametrize(("query", "words"), [
    ("form=short", "'short' is not a result form (full or lean)"),
    ("form=LEAN", "'LEAN' is not a result form (full or lean)"),
    ("form=", "is empty"), ("form=lean&form=full", "is given 2 times"),
    ("forms=lean", "is not a parameter")])
def test_a_wrong_form_is_a_422_naming_it(app: Any, path: str, query: str, words: str) -> None:
    response = call(app, "POST", f"{path}?as_of={AS_OF}&{query}", json=example_case())
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["kind"] == "invalid_parameter" and words in error["message"]
    assert [p["path"] for p in error["problems"]] == [query.split("=")[0]]


def test_the_calendar_feed_takes_no_form(app: Any) -> None:
    response = call(app, "POST", f"/v1/evaluate/ics?as_of={AS_OF}&form=lean",
                    json=example_case())
    assert response.status_code == 422 and "form" in response.json()["error"]["message"]


def test_the_document_declares_the_form_parameter_and_lean_records(app: Any) -> None:
    document = call(app, "GET", "/openapi.json").json()
    for path in ("/v1/evaluate", "/v1/evaluate/explanation", "/v1/evaluate/batch"):
        params = {p["name"]: p for p in document["paths"][path]["post"]["parameters"]}
        form = params["form"]
        assert form["in"] == "query" and not form["required"]
        assert form["schema"] == {"$ref": "#/components/schemas/ResultForm"}
    choice = document["components"]["schemas"]["ResultForm"]
    assert choice["enum"] == ["full", "lean"] and choice["default"] == "full"
    assert "form" not in {p["name"] for p in
                          document["paths"]["/v1/evaluate/ics"]["post"]["parameters"]}
    answers = document["paths"]["/v1/evaluate/batch"]["post"]["responses"]["200"]["content"][
        "application/x-ndjson"]["examples"]
    assert [r["form"] for r in answers["full"]["value"]] == ["full"]
    lean = answers["lean"]["value"]
    assert [r["form"] for r in lean] == ["lean"] and "citations" not in lean[0]
    schema_validator("record").validate(lean[0])


# -- the citation table -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def served_table(app: Any, engine: Engine) -> dict[str, Any]:
    response = call(app, "GET", f"/v1/policy-sets/{engine.library.digest}")
    assert response.status_code == 200, response.text
    table: dict[str, Any] = response.json()["citations"]
    return table


def test_the_served_citation_table_is_the_one_redress_citations_prints(
        served_table: dict[str, Any], engine: Engine) -> None:
    done = subprocess.run([sys.executable, "-c", LAUNCH, "citations"], capture_output=True,
                          text=True, timeout=300, check=True)
    printed = json.loads(done.stdout)
    assert printed["policy_set_hash"] == engine.library.digest
    assert served_table == printed["citations"]
    assert served_table == engine.citation_table()


def test_every_citation_id_of_a_lean_result_is_in_the_served_table(
        app: Any, engine: Engine, served_table: dict[str, Any]) -> None:
    cases = random_cases(150, seed=29)
    used: set[str] = set()
    for case in cases:
        try:
            result = engine.evaluate(case, as_of=as_of_for(case))
        except CaseError:
            continue
        lean = result.to_dict(form="lean")
        ids = set(cited_ids(lean))
        assert {i: served_table.get(i) for i in ids} == lean["citations"]
        used |= ids
    served = call(app, "POST", f"/v1/evaluate?as_of={AS_OF}&form=lean", json=example_case())
    used |= set(cited_ids(served.json()))
    assert used <= set(served_table)
    assert len(used) > 20  # the generated cases reach many procedures, not one
