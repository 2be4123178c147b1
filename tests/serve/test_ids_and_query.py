"""The service's random ids and its query check, made cheaper per request: the same values and
the same refusals as before."""

from __future__ import annotations

import re
import uuid

import pytest
from starlette.requests import Request

from redress.serve.ids import uuid4_hex, uuid4_text
from redress.serve.params import check_query
from redress.serve.problems import ServiceError


def test_ids_are_random_version_4_uuids() -> None:
    texts = {uuid4_text() for _ in range(500)}
    hexes = {uuid4_hex() for _ in range(500)}
    assert len(texts) == len(hexes) == 500  # never repeated
    for text in texts:
        assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}",
                            text)
        parsed = uuid.UUID(text)
        assert (parsed.version, parsed.variant, str(parsed)) == (4, uuid.RFC_4122, text)
    for value in hexes:
        parsed = uuid.UUID(hex=value)
        assert (parsed.version, parsed.variant, parsed.hex) == (4, uuid.RFC_4122, value)


def _request(query: str) -> Request:
    return Request({"type": "http", "method": "POST", "path": "/v1/evaluate", "headers": [],
                    "query_string": query.encode()})


@pytest.mark.parametrize("query", ["", "as_of=2025-06-01", "form=lean&as_of=2025-06-01"])
def test_a_good_query_passes(query: str) -> None:
    check_query(_request(query), ("as_of", "form"))


@pytest.mark.parametrize(("query", "words"), [
    ("asof=2025-06-01", "asof: is not a parameter of this endpoint (did you mean 'as_of'?)"),
    ("as_of=2025-06-01&as_of=2025-06-02", "as_of: is given 2 times; give it once"),
    ("as_of=", "as_of: is empty; leave it out to use the default"),
    ("form=lean&form=lean&x=1", "form: is given 2 times; give it once (and 1 more)"),
])
def test_each_bad_parameter_is_still_refused(query: str, words: str) -> None:
    with pytest.raises(ServiceError) as caught:
        check_query(_request(query), ("as_of", "form"))
    assert (caught.value.status, caught.value.kind) == (422, "invalid_parameter")
    assert caught.value.message == words
