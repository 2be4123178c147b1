"""Shared pytest set-up: YAML scenario files under tests/ are collected as tests, the
headless Chromium the browser tests (docs site, HTML report) drive, and a policy-set cache of
the test run's own (never the user's)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# Engine.load caches the loaded policy set in the user's cache folder; the tests (and the
# commands they start) use a folder of their own, set before anything is loaded.
os.environ.setdefault("REDRESS_CACHE_DIR", tempfile.mkdtemp(prefix="redress-test-cache-"))

CHROMIUM = Path("/usr/bin/chromium")  # Debian's build, never a downloaded one
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]

pytest_plugins = ["redress.testing.plugin"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Debian Chromium through Playwright; missing Chromium fails (never skips), since
    these tests must run in CI."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package "
                    "(apt-get install chromium; scripts/test does this when run as root).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                              args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()
