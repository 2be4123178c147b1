"""The README's Python snippet type-checks under ``mypy --strict`` and runs as it says."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[2]


def _snippet() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"From Python[^\n]*\n\n```python\n(.*?)```", readme, re.S)
    assert match, "the README's Python snippet has moved; update this test"
    return match.group(1)


def test_the_readme_python_snippet_passes_mypy_strict(tmp_path: Path) -> None:
    script = tmp_path / "snippet.py"
    script.write_text(_snippet(), encoding="utf-8")
    (tmp_path / "none.ini").write_text("[mypy]\n", encoding="utf-8")  # not the project's config
    checked = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--config-file",
                              str(tmp_path / "none.ini"), "--cache-dir", str(tmp_path / "cache"),
                              str(script)], capture_output=True, text=True, timeout=600)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_readme_python_snippet_prints_what_its_comments_say(tmp_path: Path) -> None:
    snippet = _snippet()
    ran = subprocess.run([sys.executable, "-c", snippet], capture_output=True, text=True,
                         cwd=ROOT, timeout=300)
    assert ran.returncode == 0, ran.stderr
    lines = ran.stdout.splitlines()
    # Worked by hand in tests/serve/test_service.py: stage 2 is due Thu 22 May 2025.
    assert lines[:2] == ["children-act-1989", "2025-05-22"]
    for comment in re.findall(r"print\(.*?\)\s+# (\S+)$", snippet, re.M)[:2]:
        assert comment in lines
