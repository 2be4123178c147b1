"""YAML scenario tests: cases with hand-worked expectations, run through the engine.

A scenario file (``*.scenarios.yaml``) holds ``scenarios:``, each with a ``name``, ``tags``, an
``as_of`` date, a ``case`` (the format of ``schemas/case.schema.json``) and a partial ``expect``
block; only what ``expect`` lists is checked.  ``redress test`` and the pytest plugin both use
this module, so an officer can add a scenario for a local policy without writing Python.
"""

from redress.testing.coverage import Coverage, measure_coverage
from redress.testing.scenarios import (
    Mismatch,
    Outcome,
    Scenario,
    check_scenario,
    load_scenario_file,
    run_scenario,
    scenario_files,
)

__all__ = ["Coverage", "Mismatch", "Outcome", "Scenario", "check_scenario", "load_scenario_file",
           "measure_coverage", "run_scenario", "scenario_files"]
