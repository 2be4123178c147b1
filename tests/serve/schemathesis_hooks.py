"""Schemathesis hooks for Redress: JSON Lines bodies (``application/x-ndjson``), YAML text, and
the failures already known (none today).

The OpenAPI document gives a JSON Lines body's schema as the array of the values on its lines;
these write such an array as lines and read an answer's lines back into an array, so the batch
operation is generated and checked like the others.  Load with
``SCHEMATHESIS_HOOKS=schemathesis_hooks`` (tests/serve on the Python path);
``tests/serve/test_schemathesis.py`` runs it in CI.

:data:`KNOWN_FAILURES` are failures this run found that are being fixed elsewhere; each is left
out of the run's verdict only for the exact inputs and symptom described, and has a test of its
own marked as an expected failure (``test_known_failure_…`` in test_schemathesis.py).  When the
fix lands those tests pass unexpectedly and fail the suite: delete the mark and the entry here.
"""

from __future__ import annotations

import json
from typing import Any

import schemathesis
import yaml

JSONL = "application/x-ndjson"
# name -> why it is known (issue and who fixes it); the two found first (empty or unknown query
# parameters, a line feed in an ICS case id) are fixed and their entries gone.
KNOWN_FAILURES: dict[str, str] = {}


@schemathesis.serializer(JSONL)
def ndjson_lines(ctx: Any, value: Any) -> bytes:
    values = value if isinstance(value, list) else [value]
    return "".join(json.dumps(v) + "\n" for v in values).encode("utf-8")


@schemathesis.deserializer(JSONL)
def ndjson_values(ctx: Any, response: Any) -> list[Any]:
    return [json.loads(line) for line in response.content.splitlines() if line.strip()]


@schemathesis.serializer("application/yaml")
def yaml_text(ctx: Any, value: Any) -> bytes:
    """A YAML body given as a string is the document's text (the lint and case bodies)."""
    if isinstance(value, str):
        return value.encode("utf-8")
    return yaml.safe_dump(value, allow_unicode=True).encode("utf-8")


def known_failure(failure: Any, case: Any, response: Any) -> str | None:
    """The name of the known failure this is (see :data:`KNOWN_FAILURES`), or ``None``."""
    return None


def by_contract(failure: Any, case: Any, response: Any) -> bool:
    """Whether a "failure" is the documented behaviour: a batch answers 200 with an error
    record for each line that is not a valid case (the rest carry on), so a batch whose only
    invalid part is its body is not refused."""
    if case.path != "/v1/evaluate/batch" or failure.code != "ST201" \
            or response.status_code != 200 or case.meta is None:
        return False
    negative = {str(location.value) for location, info in case.meta.components.items()
                if info.mode.is_negative}
    records = [json.loads(line) for line in response.content.splitlines() if line.strip()]
    return negative == {"body"} and any("error" in r for r in records if isinstance(r, dict))


@schemathesis.hook
def filter_failure(ctx: Any, failure: Any, case: Any, response: Any) -> bool:
    """Keep every failure but the known ones and the batch's error records."""
    return known_failure(failure, case, response) is None \
        and not by_contract(failure, case, response)
