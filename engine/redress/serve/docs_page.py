"""``GET /docs``: the OpenAPI document rendered as one plain HTML page, on the server.

No script, no stylesheet from elsewhere and no CDN: the page works offline and behind a
firewall.  Every string taken from the document is escaped (policy and schema text is untrusted
when rendered).  Each operation shows its parameters, request body and responses; each schema
links to its file under ``/schemas/``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from html import escape
from typing import Any

from redress.serve.components import NAMES

# The components that are a whole schema file, linked to the file.
_FILES = {name: file for (file, pointer), name in NAMES.items() if pointer == ""}

_STYLE = """
body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;
line-height:1.45;color:#1b1b1b}
code,pre{font-family:ui-monospace,monospace;font-size:.92em}
.op{border:1px solid #b1b4b6;border-radius:4px;margin:1.2rem 0;padding:.6rem 1rem}
.verb{display:inline-block;min-width:4rem;font-weight:700}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.3rem;
text-align:left;vertical-align:top}
"""


def render_docs(document: Mapping[str, Any]) -> str:
    """The whole page for an OpenAPI document."""
    info = document.get("info", {})
    title = f"{info.get('title', 'API')} {info.get('version', '')}".strip()
    parts = [f"<!doctype html><html lang='en'><head><meta charset='utf-8'>"
             f"<title>{escape(title)} — HTTP API</title><style>{_STYLE}</style></head><body>",
             f"<h1>{escape(title)} — HTTP API</h1>",
             f"<p>{escape(str(info.get('description', '')))}</p>",
             "<p>The machine-readable description is <a href='/openapi.json'>/openapi.json</a> "
             f"(OpenAPI {escape(str(document.get('openapi', '')))}).</p>",
             *_security(document),
             "<h2>Operations</h2>"]
    shared = document.get("components", {}).get("parameters", {})
    for path, item in document.get("paths", {}).items():
        for verb, operation in item.items():
            parts.append(_operation(path, verb, operation, shared))
    parts.append("<h2>Schemas</h2>")
    schemas = document.get("components", {}).get("schemas", {})
    for name, schema in schemas.items():
        parts.append(_schema(name, schema))
    parts.append("</body></html>")
    return "\n".join(parts)


def _security(document: Mapping[str, Any]) -> list[str]:
    """The authentication section: each security scheme, and whether this service asks for it."""
    schemes = document.get("components", {}).get("securitySchemes", {})
    if not schemes:
        return []
    required = bool(document.get("security"))
    out = ["<h2>Authentication</h2>",
           "<p>" + ("This service asks for a bearer token on every operation but those marked "
                    "open: send <code>Authorization: Bearer &lt;token&gt;</code>. A missing or "
                    "wrong token is a 401, a token whose role may not call the operation a 403."
                    if required else "This service was started without a token file: no "
                    "token is asked for.") + "</p>"]
    for name, scheme in schemes.items():
        out.append(f"<p><code>{escape(str(name))}</code> ({escape(str(scheme.get('type', '')))}"
                   f" {escape(str(scheme.get('scheme', '')))}): "
                   f"{escape(str(scheme.get('description', '')))}</p>")
    return out


def _schema(name: str, schema: Mapping[str, Any]) -> str:
    """A component's title, description and top-level fields, with its file if it is one."""
    file = _FILES.get(name)
    link = (f" File: <a href='/schemas/{escape(file)}.schema.json'>schemas/{escape(file)}"
            ".schema.json</a>." if file else "")
    out = [f"<section id='schema-{escape(name)}'><h3>{escape(name)}: "
           f"{escape(str(schema.get('title', '')))}</h3>",
           f"<p>{escape(str(schema.get('description', '')))}{link}</p>"]
    fields = schema.get("properties") or {}
    required = set(schema.get("required", []))
    if fields:
        out.append("<table><tr><th>Field</th><th>Type</th><th>About</th></tr>")
        for field, sub in fields.items():
            mark = " (required)" if field in required else ""
            out.append(f"<tr><td><code>{escape(str(field))}</code>{mark}</td>"
                       f"<td><code>{escape(_type_text(sub))}</code></td>"
                       f"<td>{escape(str(sub.get('description') or ''))}</td></tr>")
        out.append("</table>")
    if "enum" in schema:
        out.append(f"<p>Values: <code>{escape(_type_text(schema))}</code></p>")
    out.append("</section>")
    return "\n".join(out)


def _type_text(schema: Mapping[str, Any]) -> str:
    if "enum" in schema:
        return " | ".join(json.dumps(v, ensure_ascii=False) for v in schema["enum"])
    kind = schema.get("type")
    if isinstance(kind, list):
        return " | ".join(str(k) for k in kind)
    if kind:
        return str(kind)
    if "$ref" in schema:
        return _schema_text(schema)
    choices = schema.get("oneOf") or schema.get("anyOf")
    if isinstance(choices, list):
        return " | ".join(_type_text(c) for c in choices if isinstance(c, Mapping))
    return ""


def _operation(path: str, verb: str, op: Mapping[str, Any],
               shared: Mapping[str, Any] | None = None) -> str:
    anchor = escape(str(op.get("operationId", f"{verb}-{path}")))
    out = [f"<section class='op' id='{anchor}'>",
           f"<h3><span class='verb'>{escape(verb.upper())}</span> <code>{escape(path)}</code>"
           f" — {escape(str(op.get('summary', '')))}</h3>"]
    if op.get("description"):
        out.append(f"<p>{escape(str(op['description']))}</p>")
    params = [(shared or {}).get(str(p["$ref"]).rsplit("/", 1)[-1], {}) if "$ref" in p else p
              for p in op.get("parameters", [])]
    if params:
        out.append("<table><tr><th>Parameter</th><th>In</th><th>Schema</th><th>About</th></tr>")
        for p in params:
            required = " (required)" if p.get("required") else ""
            out.append(f"<tr><td><code>{escape(str(p.get('name')))}</code>{required}</td>"
                       f"<td>{escape(str(p.get('in')))}</td>"
                       f"<td><code>{escape(_schema_text(p.get('schema', {})))}</code></td>"
                       f"<td>{escape(str(p.get('description', '')))}</td></tr>")
        out.append("</table>")
    body = op.get("requestBody")
    if body:
        types = ", ".join(body.get("content", {}))
        out.append(f"<p><strong>Body</strong> ({escape(types)}): "
                   f"{escape(str(body.get('description', '')))}</p>")
    out.append("<table><tr><th>Status</th><th>Answer</th><th>Schema</th></tr>")
    for status, response in op.get("responses", {}).items():
        schemas = "; ".join(f"{kind}: {_schema_text(media.get('schema', {}))}"
                            for kind, media in response.get("content", {}).items())
        out.append(f"<tr><td>{escape(str(status))}</td>"
                   f"<td>{escape(str(response.get('description', '')))}</td>"
                   f"<td><code>{escape(schemas)}</code></td></tr>")
    out.append("</table></section>")
    return "\n".join(out)


def _schema_text(schema: Mapping[str, Any]) -> str:
    """A short name for a schema: its component, or compact JSON."""
    ref = schema.get("$ref")
    if isinstance(ref, str):
        return ref.removeprefix("#/components/schemas/").replace("/$defs/", ".")
    if "oneOf" in schema:
        return " or ".join(_schema_text(s) for s in schema["oneOf"])
    return json.dumps(schema, ensure_ascii=False)


__all__ = ["render_docs"]
