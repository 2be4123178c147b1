"""Fixtures for the report tests: this year's and last year's planned council records (see
:mod:`planned_year`, which the tests import the plan's figures from), and their results.

Shared data lives in ``planned_year``, not here: every test folder has a ``conftest`` module, so
``from conftest import …`` would find whichever folder's was imported last.
"""

from __future__ import annotations

from typing import Any

import pytest
from planned_year import AS_OF, LAST_YEAR_START, Truth, council_year


@pytest.fixture(scope="session")
def generated_year() -> tuple[list[dict[str, Any]], Truth]:
    return council_year(seed=2025)


@pytest.fixture(scope="session")
def last_year() -> tuple[list[dict[str, Any]], Truth]:
    return council_year(seed=2024, year_start=LAST_YEAR_START, prefix="Y")


@pytest.fixture(scope="session")
def last_year_results(last_year: tuple[list[dict[str, Any]], Truth]) -> list[dict[str, Any]]:
    from redress import Engine

    engine = Engine.load()
    try:
        return [engine.evaluate(c, as_of=AS_OF).to_dict() for c in last_year[0]]
    finally:
        engine.close()


@pytest.fixture(scope="session")
def year_results(generated_year: tuple[list[dict[str, Any]], Truth]) -> list[dict[str, Any]]:
    from redress import Engine

    engine = Engine.load()
    try:
        return [engine.evaluate(c, as_of=AS_OF).to_dict() for c in generated_year[0]]
    finally:
        engine.close()
