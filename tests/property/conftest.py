"""Hypothesis profiles for the property and fuzz tests.

``ci`` (the default) is bounded and derandomised, so ``./scripts/test`` stays fast and a failure
replays exactly.  For a longer local hunt::

    HYPOTHESIS_PROFILE=long .venv/bin/python -m pytest tests/property -p no:cacheprovider

``long`` runs 100 times as many examples with fresh random seeds; any failure it prints can be
replayed with the ``@reproduce_failure`` line Hypothesis gives, and must then be kept as a
regression test (an ``@example`` on the property, or a case in ``tests/engine``).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile("ci", max_examples=30, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=3000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
