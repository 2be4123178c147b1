"""The offline docs page escapes everything it takes from the OpenAPI document."""

from __future__ import annotations

from redress.evaluation.evaluate import Engine
from redress.serve.docs_page import render_docs
from redress.serve.examples import build_examples
from redress.serve.openapi import build_openapi


def test_text_from_the_document_is_escaped() -> None:
    document = build_openapi(build_examples(Engine.load(), {}))
    hostile = "<script>alert('x')</script>"
    document["info"]["description"] = hostile
    document["paths"]["/v1/health"]["get"]["summary"] = hostile
    document["components"]["schemas"]["ComplaintCase"]["properties"]["id"]["description"] = hostile
    page = render_docs(document)
    assert "<script" not in page
    assert page.count("&lt;script&gt;") == 3
