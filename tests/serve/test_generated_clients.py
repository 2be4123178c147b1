"""Clients generated from the served ``/openapi.json`` build cleanly and work.

What a non-Python team does first: point a generator at the document.  Each generator is pinned
(openapi-python-client and openapi-generator in the ``test`` extra, openapi-typescript and
TypeScript in ``tests/clients/package.json``) and any warning about a dropped or renamed model
fails the test.  The generated Python client evaluates the bundled example over HTTP, and reads
an answer as a later 1.x version may send it (values of output enumerations it does not know,
members it does not know); the TypeScript types take such an answer too.
"""

from __future__ import annotations

import copy
import datetime as dt
import importlib
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest

from redress.evaluation.evaluate import Engine
from redress.evaluation.result import Result
from redress.policy.loader import read_document
from redress.serve.app import create_app
from redress.serve.components import RESERVED
from redress.serve.config import ServiceConfig
from redress.serve.problems import ServiceError

ROOT = Path(__file__).parents[2]
CLIENTS = ROOT / "tests" / "clients"
BIN = Path(sys.executable).parent
EXAMPLE = ROOT / "examples" / "EX-2025-0042.yaml"
PACKAGE = "redress_http_client"
LATER = "added_in_a_later_version"  # a value no enumeration of version 1.0 has

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def document(client: httpx.Client, tmp_path_factory: pytest.TempPathFactory) -> Path:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    path = tmp_path_factory.mktemp("openapi") / "openapi.json"
    path.write_text(response.text, encoding="utf-8")
    return path


def components(document: Path) -> set[str]:
    return set(json.loads(document.read_text(encoding="utf-8"))["components"]["schemas"])


def run(command: list[str], cwd: Path | None = None) -> str:
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    return output


def snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def later_version(value: Any, schema: dict[str, Any], schemas: dict[str, Any]) -> tuple[Any, int]:
    """``value`` (valid for ``schema``) as a later 1.x may send it: every value of an output
    enumeration replaced by one version 1.0 does not know, and a member it does not know added
    to every object.  Also the number of values replaced."""
    while "$ref" in schema:
        schema = schemas[schema["$ref"].rsplit("/", 1)[-1]]
    choices = schema.get("anyOf") or schema.get("oneOf") or []
    listed = "enum" in schema or "const" in schema or {"type": "string"} in choices
    if listed and isinstance(value, str):  # an enumeration (open, as it must be, or closed)
        return LATER, 1
    if value is not None and choices:  # a nullable component: the choice that is not null
        schema = next(c for c in choices if c != {"type": "null"})
        return later_version(value, schema, schemas)
    if isinstance(value, dict) and "properties" in schema:
        out, count = {LATER: {"note": "a member added later"}}, 0
        for key, item in value.items():
            member = schema["properties"].get(key)
            out[key], n = later_version(item, member, schemas) if member else (item, 0)
            count += n
        return out, count
    if isinstance(value, list) and isinstance(schema.get("items"), dict):
        pairs = [later_version(item, schema["items"], schemas) for item in value]
        return [item for item, _ in pairs], sum(n for _, n in pairs)
    return copy.deepcopy(value), 0


# -- Python: openapi-python-client --------------------------------------------------------------


@pytest.fixture(scope="module")
def python_client(document: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    out = tmp_path_factory.mktemp("python-client") / "client"
    output = run([str(BIN / "openapi-python-client"), "generate", "--path", str(document),
                  "--output-path", str(out), "--meta", "none",
                  "--config", str(CLIENTS / "openapi-python-client.yaml")])
    # It warns, and goes on without the model or endpoint, for whatever it cannot generate.
    assert "Warning" not in output and "WARNING" not in output, output
    sys.path.insert(0, str(out.parent))
    try:
        yield out
    finally:
        sys.path.remove(str(out.parent))
        for module in [m for m in sys.modules if m == "client" or m.startswith("client.")]:
            del sys.modules[module]


def test_the_python_client_has_a_model_for_every_component(python_client: Path,
                                                          document: Path) -> None:
    models = {p.stem for p in (python_client / "models").glob("*.py")}
    schemas = json.loads(document.read_text(encoding="utf-8"))["components"]["schemas"]
    # A component that is only a choice (EvaluationRecord: a result or an error record) is a
    # union of its choices' classes in Python, not a class of its own.
    missing = {name for name, schema in schemas.items()
               if "oneOf" not in schema and snake(name) not in models}
    assert not missing
    choices = {ref["$ref"].rsplit("/", 1)[-1] for schema in schemas.values()
               for ref in schema.get("oneOf", ())}
    assert {snake(name) for name in choices} <= models


def test_the_generated_python_client_evaluates_the_example(python_client: Path,
                                                          server: Any) -> None:
    evaluate = importlib.import_module("client.api.evaluation.evaluate")
    models = importlib.import_module("client.models")
    client_module = importlib.import_module("client")
    doc, _ = read_document(EXAMPLE)
    assert doc is not None
    case = models.ComplaintCase.from_dict(json.loads(json.dumps(doc.data, default=str)))
    with client_module.Client(base_url=server.base_url, timeout=httpx.Timeout(60)) as http:
        answer = evaluate.sync_detailed(client=http, body=case, as_of=dt.date(2025, 5, 1))
    assert answer.status_code == 200
    result = answer.parsed
    assert isinstance(result, models.EvaluationResult)
    assert result.case_id == "EX-2025-0042" and str(result.stage) == "stage2"
    stage2 = next(d for d in result.deadlines if (str(d.stage), str(d.kind)) == ("stage2",
                                                                                   "respond"))
    # 25 working days after Mon 14 April 2025, skipping Good Friday 18 April, Easter Monday
    # 21 April and the Early May bank holiday 5 May: Thursday 22 May 2025 (worked by hand).
    assert stage2.due == dt.date(2025, 5, 22)
    assert result.audit.decision_id == answer.headers["redress-decision-id"]
    # The lean form, asked for with the generated enumeration, reads as the same model.
    with client_module.Client(base_url=server.base_url, timeout=httpx.Timeout(60)) as http:
        lean = evaluate.sync_detailed(client=http, body=case, as_of=dt.date(2025, 5, 1),
                                      form=models.ResultForm.LEAN).parsed
    assert isinstance(lean, models.EvaluationResult) and str(lean.form) == "lean"
    lean_stage2 = next(d for d in lean.deadlines if (str(d.stage), str(d.kind)) == (
        "stage2", "respond"))
    assert lean_stage2.due == stage2.due
    assert lean_stage2.citation_id in lean.citations.additional_properties


def test_the_python_client_reads_what_a_later_version_adds(
        python_client: Path, document: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A status, deadline kind, flag, Ombudsman or error kind that 1.0 does not know is read as
    a plain string (the "other" of the contract rule), never an error, and unknown members are
    kept aside."""
    spec = json.loads(document.read_text(encoding="utf-8"))
    schemas = spec["components"]["schemas"]
    evaluate = importlib.import_module("client.api.evaluation.evaluate")
    models = importlib.import_module("client.models")
    client_module = importlib.import_module("client")
    written = Result.to_dict
    replaced: list[int] = []

    def as_later_version(self: Result, *args: Any, **kwargs: Any) -> dict[str, Any]:
        body, count = later_version(written(self, *args, **kwargs),
                                    {"$ref": "EvaluationResult"}, schemas)
        replaced.append(count)
        return body  # type: ignore[no-any-return]

    monkeypatch.setattr(Result, "to_dict", as_later_version)
    engine = Engine.load()
    app = create_app(ServiceConfig(log_requests=False, allowed_hosts=("redress",)), engine)
    doc, _ = read_document(EXAMPLE)
    assert doc is not None
    case = models.ComplaintCase.from_dict(json.loads(json.dumps(doc.data, default=str)))

    async def call() -> Any:
        http = client_module.Client(base_url="http://redress")
        http.set_async_httpx_client(httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://redress"))
        async with http:
            return await evaluate.asyncio_detailed(client=http, body=case,
                                                   as_of=dt.date(2025, 5, 1))

    answer = anyio.run(call)
    assert answer.status_code == 200 and replaced and replaced[0] >= 10
    result = answer.parsed
    assert isinstance(result, models.EvaluationResult)
    assert (result.status, result.stage, result.audit.backend) == (LATER, LATER, LATER)
    assert {(d.kind, d.stage, d.state) for d in result.deadlines} == {(LATER, LATER, LATER)}
    assert result.procedure.kind == LATER and LATER in result.additional_properties
    # A value it knows is still its enumeration's member.
    monkeypatch.setattr(Result, "to_dict", written)
    known = anyio.run(call).parsed
    assert isinstance(known.status, models.CaseStatus) and known.status.value != LATER

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise ServiceError(422, LATER, "a problem of a kind added later")

    monkeypatch.setattr(engine, "evaluate", refuse)
    error = anyio.run(call)
    assert error.status_code == 422
    assert isinstance(error.parsed, models.ErrorResponse) and error.parsed.error.kind == LATER


# -- TypeScript: openapi-typescript, tsc --strict ---------------------------------------------


def node_tools() -> Path:
    """The pinned node tools, installed into tests/clients/node_modules when missing."""
    bin_dir = CLIENTS / "node_modules" / ".bin"
    if not (bin_dir / "tsc").exists() or not (bin_dir / "openapi-typescript").exists():
        npm = shutil.which("npm")
        assert npm, "npm is needed for the TypeScript client check (./scripts/test installs it)"
        run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=CLIENTS)
    return bin_dir


def test_the_typescript_types_compile_strictly_and_fit_the_examples(
        document: Path, tmp_path: Path) -> None:
    tools = node_tools()
    run([str(tools / "openapi-typescript"), str(document), "-o", str(tmp_path / "api.d.ts")])
    data = json.loads(document.read_text(encoding="utf-8"))
    example = data["paths"]["/v1/evaluate"]["post"]["responses"]["200"]["content"][
        "application/json"]["example"]
    lean = data["paths"]["/v1/evaluate/batch"]["post"]["responses"]["200"]["content"][
        "application/x-ndjson"]["examples"]["lean"]["value"][0]
    case = data["paths"]["/v1/evaluate"]["post"]["requestBody"]["content"][
        "application/json"]["example"]
    later, replaced = later_version(example, {"$ref": "EvaluationResult"},
                                    data["components"]["schemas"])
    assert replaced >= 10
    # The examples must be values of the generated types: a wrong type fails to compile.  An
    # answer of a later version fits too, while the known values stay a closed union of
    # literals (the @ts-expect-error line fails to compile if an unknown status is accepted).
    (tmp_path / "use.ts").write_text(
        'import type { components, operations } from "./api";\n'
        'type Schemas = components["schemas"];\n'
        f"export const result: Schemas[\"EvaluationResult\"] = {json.dumps(example)};\n"
        f"export const leanRecord: Schemas[\"EvaluationRecord\"] = {json.dumps(lean)};\n"
        'export const form: Schemas["ResultForm"] = "lean";\n'
        # As parsed JSON is: not an object literal, whose extra members TypeScript refuses.
        f"const parsed = {json.dumps(later)};\n"
        'export const later: Schemas["EvaluationResult"] = parsed;\n'
        f"export const sent: Schemas[\"ComplaintCase\"] = {json.dumps(case)};\n"
        'export const known: Schemas["CaseStatus"] = "in_progress";\n'
        '// @ts-expect-error a value 1.0 does not know is not one of the known values\n'
        f'export const unknown: Schemas["CaseStatus"] = "{LATER}";\n'
        'export function described(status: Schemas["EvaluationResult"]["status"]): string {\n'
        '  switch (status) {\n    case "in_progress": return "in progress";\n'
        '    default: return "other";\n  }\n}\n'
        'export type Evaluate = operations["evaluate"];\n', encoding="utf-8")
    (tmp_path / "tsconfig.json").write_text(json.dumps({"compilerOptions": {
        "strict": True, "noEmit": True, "target": "ES2022", "module": "ES2022",
        "moduleResolution": "bundler", "skipLibCheck": False, "types": []},
        "files": ["api.d.ts", "use.ts"]}), encoding="utf-8")
    run([str(tools / "tsc"), "-p", str(tmp_path / "tsconfig.json")])
    # What an integrator reads: the known values, or any other string.
    types = (tmp_path / "api.d.ts").read_text(encoding="utf-8")
    assert 'status: components["schemas"]["CaseStatus"] | string;' in types
    assert re.search(r'CaseStatus: "awaiting_acknowledgement" \| "acknowledgement_overdue" \|',
                     types)


# -- Java: openapi-generator ------------------------------------------------------------------


def test_openapi_generator_makes_one_java_model_per_component(document: Path,
                                                              tmp_path: Path) -> None:
    java = shutil.which("java")
    assert java, "a Java runtime is needed for openapi-generator (./scripts/test installs it)"
    output = run([str(BIN / "openapi-generator-cli"), "generate", "-i", str(document),
                  "-g", "java", "-o", str(tmp_path / "java"),
                  "--additional-properties=library=native,hideGenerationTimestamp=true"])
    warnings = {line for line in output.splitlines() if " WARN " in line}
    # Only the generator's notice that its OpenAPI 3.1 support is new, and that it leaves
    # complex request examples out of the Javadoc.
    unexpected = {w for w in warnings if "3.1 support is still in beta" not in w
                  and "Ignoring complex example" not in w}
    assert not unexpected
    base = tmp_path / "java" / "src" / "main" / "java" / "org" / "openapitools" / "client"
    models = {p.stem for p in (base / "model").glob("*.java")} - {"AbstractOpenApiSchema"}
    named = components(document)
    schemas = json.loads(document.read_text(encoding="utf-8"))["components"]["schemas"]
    open_enumerations = {choice["title"] for schema in schemas.values()
                         for choice in (schema.get("properties") or {}).values()
                         if {"type": "string"} in choice.get("anyOf", ())}
    # One class per component, no renamed (ModelCase) or numbered (Record1) copies, no
    # invented wrappers (Evaluate200Response) beyond the two date-or-date-and-time fields and
    # the open enumerations' known-value-or-string classes, named by their titles.
    assert models - named == {"ComplaintCaseReceived", "CaseEventDate"} | open_enumerations
    assert named <= models
    wrapper = (base / "model" / "DeadlineKindOrOther.java").read_text(encoding="utf-8")
    assert "readValueAs(DeadlineKind.class)" in wrapper and "readValueAs(String.class)" in wrapper
    assert {p.stem for p in (base / "api").glob("*.java")} == {
        "EvaluationApi", "PoliciesApi", "CalendarsApi", "ServiceApi"}


def test_no_component_takes_a_name_built_into_a_client_language(document: Path) -> None:
    assert not components(document) & RESERVED
