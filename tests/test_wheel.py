"""The wheel installs and runs outside the repository.

Builds the wheel, installs it into a fresh virtual environment under ``tmp_path`` (its
dependencies come from the package index), then runs the ``redress`` console script from a
directory outside the checkout.  Also checks that the policies, rules and schemas folders, which
reach the package through the ``engine/redress/data`` symlinks, are inside the wheel.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from redress.__about__ import __version__

REPO = Path(__file__).resolve().parents[1]
DATA_KINDS = ("policies", "rules", "schemas")

pytestmark = pytest.mark.slow


def _run(cmd: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    result = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, f"{cmd} failed:\n{result.stdout}\n{result.stderr}"
    return result


def _repo_data_files(kind: str) -> list[str]:
    """Files under the repository's policies/rules/schemas folder, as wheel paths."""
    root = REPO / kind
    found = []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if path.is_file() and not any(p.startswith(".") or p == "__pycache__" for p in rel.parts):
            found.append(f"redress/data/{kind}/{rel.as_posix()}")
    return found


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """(wheel, venv, a working directory outside the repo)."""
    tmp = tmp_path_factory.mktemp("wheel")
    dist = tmp / "dist"
    _run([sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(REPO)], cwd=tmp)
    (wheel,) = dist.glob("redress-*.whl")
    venv = tmp / "venv"
    _run([sys.executable, "-m", "venv", str(venv)], cwd=tmp)
    _run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", str(wheel)], cwd=tmp)
    work = tmp / "elsewhere"
    work.mkdir()
    return wheel, venv, work


def test_the_installed_console_script_reports_its_version(
    installed: tuple[Path, Path, Path],
) -> None:
    _, venv, work = installed
    out = _run([str(venv / "bin" / "redress"), "--version"], cwd=work).stdout
    assert out.strip() == f"redress {__version__}"


def test_the_installed_calendar_command_gives_the_hand_worked_due_date(
    installed: tuple[Path, Path, Path],
) -> None:
    # 25 working days after Mon 14 Apr 2025 in England and Wales: Thu 22 May 2025, skipping
    # Good Friday 18 Apr, Easter Monday 21 Apr and the early May bank holiday, 5 May.
    _, venv, work = installed
    cmd = [str(venv / "bin" / "redress"), "calendar", "add", "2025-04-14", "25",
           "--calendar", "england-and-wales"]
    lines = _run(cmd, cwd=work).stdout.splitlines()
    assert lines[0] == "2025-05-22"
    for skipped in ("2025-04-18 Good Friday", "2025-04-21 Easter Monday", "2025-05-05 May Day"):
        assert f"  {skipped}" in lines


def test_the_wheel_ships_the_calendar_overrides_and_the_data_folders(
    installed: tuple[Path, Path, Path],
) -> None:
    wheel, _, _ = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "redress/calendar/overrides.json" in names
    assert "redress/py.typed" in names
    for kind in DATA_KINDS:
        # Check what exists at test time: a folder with no files yet has nothing to ship.
        missing = [f for f in _repo_data_files(kind) if f not in names]
        assert missing == [], f"{kind} files missing from the wheel"
    # The wheel holds real files, never the symlinks themselves.
    for info in zipfile.ZipFile(wheel).infolist():
        assert (info.external_attr >> 16) & 0o170000 != 0o120000, info.filename


def test_the_data_folders_resolve_inside_the_installed_environment(
    installed: tuple[Path, Path, Path],
) -> None:
    _, venv, work = installed
    code = (
        "from redress.resources import data_dir\n"
        "for kind in ('policies', 'rules', 'schemas'):\n"
        "    print(data_dir(kind).resolve())\n"
    )
    out = _run([str(venv / "bin" / "python"), "-c", code], cwd=work).stdout.splitlines()
    for kind, line in zip(DATA_KINDS, out, strict=True):
        path = Path(line)
        assert path.is_relative_to(venv.resolve()), path
        for wheel_path in _repo_data_files(kind):
            rel = wheel_path.removeprefix(f"redress/data/{kind}/")
            assert (path / rel).is_file(), rel
