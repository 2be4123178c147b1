"""A program's flattener (named facts → flat facts) is compiled only for a backend that reads
flat facts: the plain backend's one ``direct`` function needs none, so a cold start with it
compiles none; durable-rules gets one, and both fire the same rules."""

from __future__ import annotations

import pytest

from redress.evaluation.backends import durable_available
from redress.evaluation.programs import Programs
from redress.policy.library import Library, load_library
from redress.testing.reference.facts import flatten

VALUES = {"kind": "complaint", "procedure": "council-corporate", "nation": "england",
          "topics": ["housing"], "complainant_age": 40}


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library()


def test_the_plain_backend_compiles_no_flattener(library: Library) -> None:
    programs = Programs(library, "plain")
    for program in (programs.routing, programs.decisions):
        programs.fire(program, VALUES)
        assert program.direct is not None
        with pytest.raises(RuntimeError, match="made with its backend"):
            program.flatten(VALUES)


@pytest.mark.skipif(not durable_available(), reason="durable-rules is not installed")
def test_durable_rules_gets_a_flattener_and_fires_as_plain(library: Library) -> None:
    plain, durable = Programs(library, "plain"), Programs(library, "durable")
    try:
        for name in ("routing", "decisions"):
            fast, slow = getattr(plain, name), getattr(durable, name)
            assert durable.fire(slow, VALUES) == plain.fire(fast, VALUES)
            assert durable.fire_many(slow, [VALUES, {}]) == plain.fire_many(fast, [VALUES, {}])
            assert slow.direct is None
            tested = set(slow.flatten(VALUES))
            assert tested and tested <= set(flatten(VALUES, library.catalog))
    finally:
        durable.close()
