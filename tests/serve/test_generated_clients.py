"""Clients generated from the served ``/openapi.json`` build cleanly and work.

What a non-Python team does first: point a generator at the document.  Each generator is pinned
(openapi-python-client and openapi-generator in the ``test`` extra, openapi-typescript and
TypeScript in ``tests/clients/package.json``) and any warning about a dropped or renamed model
fails the test.  The generated Python client evaluates the bundled example over HTTP.
"""

from __future__ import annotations

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

import httpx
import pytest

from redress.policy.loader import read_document
from redress.serve.components import RESERVED

ROOT = Path(__file__).parents[2]
CLIENTS = ROOT / "tests" / "clients"
BIN = Path(sys.executable).parent
EXAMPLE = ROOT / "examples" / "EX-2025-0042.yaml"
PACKAGE = "redress_http_client"

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
    case = data["paths"]["/v1/evaluate"]["post"]["requestBody"]["content"][
        "application/json"]["example"]
    # The examples must be values of the generated types: a wrong type fails to compile.
    (tmp_path / "use.ts").write_text(
        'import type { components, operations } from "./api";\n'
        'type Schemas = components["schemas"];\n'
        f"export const result: Schemas[\"EvaluationResult\"] = {json.dumps(example)};\n"
        f"export const sent: Schemas[\"ComplaintCase\"] = {json.dumps(case)};\n"
        'export type Evaluate = operations["evaluate"];\n', encoding="utf-8")
    (tmp_path / "tsconfig.json").write_text(json.dumps({"compilerOptions": {
        "strict": True, "noEmit": True, "target": "ES2022", "module": "ES2022",
        "moduleResolution": "bundler", "skipLibCheck": False, "types": []},
        "files": ["api.d.ts", "use.ts"]}), encoding="utf-8")
    run([str(tools / "tsc"), "-p", str(tmp_path / "tsconfig.json")])


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
    # One class per component, no renamed (ModelCase) or numbered (Record1) copies, no
    # invented wrappers (Evaluate200Response) beyond the two date-or-date-and-time fields.
    assert models - named == {"ComplaintCaseReceived", "CaseEventDate"}
    assert named <= models
    assert {p.stem for p in (base / "api").glob("*.java")} == {
        "EvaluationApi", "PoliciesApi", "CalendarsApi", "ServiceApi"}


def test_no_component_takes_a_name_built_into_a_client_language(document: Path) -> None:
    assert not components(document) & RESERVED
