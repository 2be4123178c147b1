"""Every reproduction of issue 10 run through the real ``redress`` command: each prints only
clear one-line messages and a documented exit code (0 ok, 1 invalid input, 2 usage or I/O,
3 internal error, 141 closed pipe), never a traceback, never a raw terminal escape."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from redress.cli import main

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "EX-2025-0042.yaml"
REDRESS = Path(sys.executable).parent / "redress"


def run(args: Sequence[str], stdin: bytes = b"", env: dict[str, str] | None = None,
        cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    done = subprocess.run([str(REDRESS), *args], input=stdin, capture_output=True, timeout=60,
                          env={**os.environ, **(env or {})}, cwd=cwd, check=False)
    assert b"Traceback" not in done.stderr, done.stderr.decode(errors="replace")
    assert b"\x1b" not in done.stdout + done.stderr
    return done


def _case(tmp_path: Path, text: str, name: str = "case.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    return path


def _example_with(old: str, new: str) -> str:
    text = EXAMPLE.read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new)


@pytest.mark.parametrize(("name", "content", "message"), [
    ("nul", b"id: a\x00b\n", b"case.yaml:1:6: error: character U+0000 is not allowed"),
    ("deep", b"[" * 10_000 + b"]" * 10_000, b"nested more than 64 levels deep"),
    ("big-integer", b"id: x\nsubject: {age: " + b"9" * 5000 + b"}\n", b"a number of 5000 digits"),
    ("bad-utf8", b"id: \xff\n",
     b"case.yaml:1:5: error: not UTF-8 text: byte 0xff cannot be decoded [yaml-syntax]"),
])
def test_hostile_case_files_are_one_finding_and_exit_1(tmp_path: Path, name: str,
                                                       content: bytes, message: bytes) -> None:
    path = tmp_path / "case.yaml"
    path.write_bytes(content)
    done = run(["evaluate", str(path), "--as-of", "2025-05-01"])
    assert done.returncode == 1
    assert message in done.stderr


def test_invalid_utf8_on_standard_input(tmp_path: Path) -> None:
    done = run(["evaluate", "-"], stdin=b"id: \xff\xfe\n")
    assert done.returncode == 1
    assert b":1:5: error: not UTF-8 text: byte 0xff" in done.stderr


def test_a_nul_byte_in_a_local_policy(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_bytes(b"id: p\ntitle: a\x00\n")
    done = run(["evaluate", str(EXAMPLE), "--policies", str(tmp_path)])
    assert done.returncode == 1
    assert b"p.yaml:2:9: error: character U+0000 is not allowed" in done.stderr


@pytest.mark.parametrize(("args", "check"), [
    (["--as-of", "1999-01-01"], b"[as-of-before-receipt]"),
    (["--as-of", "2025-03-02"], b"[as-of-before-receipt]"),
])
def test_an_evaluation_date_before_receipt_is_exit_1(args: list[str], check: bytes) -> None:
    done = run(["evaluate", str(EXAMPLE), *args])
    assert done.returncode == 1 and check in done.stderr and done.stdout == b""


@pytest.mark.parametrize(("old", "new", "where"), [
    ("reason: complex}", "reason: complex, new_date: 2041-03-01}", b"events[1].new_date"),
    ("reason: complex}", "reason: complex, days: 1000000}", b"events[1].days"),
    ("occurred: 2025-02-10", "occurred: 1899-02-10", b"matter.occurred"),
])
def test_out_of_range_secondary_fields_are_exit_1_with_their_path(
        tmp_path: Path, old: str, new: str, where: bytes) -> None:
    done = run(["evaluate", str(_case(tmp_path, _example_with(old, new))),
                "--as-of", "2025-05-01"])
    assert done.returncode == 1 and where in done.stderr


def test_dev_zero_fifo_and_folders_are_io_errors_exit_2(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    # A folder is evaluated file by file (docs/guide/caseloads.md); one holding no case file is
    # a usage error too.
    for path in ("/dev/zero", str(fifo), str(tmp_path)):
        done = run(["evaluate", path, "--as-of", "2025-05-01"])
        assert done.returncode == 2, path
        assert (b"cannot read" in done.stderr or b"not a regular file or folder" in done.stderr
                or b"no case file" in done.stderr), done.stderr


def test_a_huge_standard_input_is_refused_at_the_cap() -> None:
    done = run(["evaluate", "-"], stdin=b"#" * (3 * 1024 * 1024))
    assert done.returncode == 1 and b"larger than the limit" in done.stderr


def test_writing_to_a_full_disk_is_exit_2() -> None:
    with open("/dev/full", "wb") as full:
        done = subprocess.run([str(REDRESS), "evaluate", str(EXAMPLE), "--as-of", "2025-05-01"],
                              stdout=full, stderr=subprocess.PIPE, timeout=60, check=False)
    assert done.returncode == 2
    assert done.stderr.decode().strip() == "redress: cannot write output: No space left on device"


def test_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    err = tmp_path / "err.txt"
    many = " ".join([f"'{EXAMPLE}'"] * 40)  # text output is printed case by case
    cmd = (f"'{REDRESS}' evaluate {many} --as-of 2025-05-01 2>'{err}' | head -c 1 >/dev/null; "
           "echo ${PIPESTATUS[0]}")
    for _ in range(3):  # the race differs from run to run; every run must be quiet
        done = subprocess.run(["bash", "-c", cmd], capture_output=True, timeout=60, check=False)
        assert int(done.stdout.decode().split()[-1]) in (0, 141)
        assert err.read_bytes() == b""


def test_a_lone_surrogate_in_an_id_on_a_strict_utf8_terminal(tmp_path: Path) -> None:
    path = _case(tmp_path, _example_with("id: EX-2025-0042", 'id: "EX-\\ud800"'))
    done = run(["evaluate", str(path), "--as-of", "2025-05-01"],
               env={"PYTHONIOENCODING": "utf-8:strict"})
    assert done.returncode == 0
    assert b"Case EX-\\ud800" in done.stdout


def test_terminal_escapes_in_a_case_are_shown_escaped(tmp_path: Path) -> None:
    path = _case(tmp_path, _example_with("id: EX-2025-0042", 'id: "EX\\e]0;pwned\\a\\rX"'))
    for extra in ([], ["--explain"]):
        done = run(["evaluate", str(path), "--as-of", "2025-05-01", *extra])
        assert done.returncode == 0
        assert b"\\x1b]0;pwned\\x07\\x0dX" in done.stdout
        assert b"\r" not in done.stdout and b"\x07" not in done.stdout


def test_a_symlink_out_of_a_policy_folder_is_not_followed(tmp_path: Path) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text("root:$6$hash-of-a-password:19000:0:99999:7:::\n", encoding="utf-8")
    folder = tmp_path / "policies"
    folder.mkdir()
    (folder / "shadow.yaml").symlink_to(secret)
    for args in (["lint", str(folder)], ["lint", "--format", "github", str(folder)],
                 ["evaluate", str(EXAMPLE), "--as-of", "2025-05-01", "--policies", str(folder)]):
        done = run(args)
        assert b"hash-of-a-password" not in done.stdout + done.stderr, args
        assert done.returncode == 0, args


def test_an_unknown_key_is_echoed_as_a_short_excerpt(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text("id: p\nkind: local\nextends: council-corporate\n"
                                     "organisations: [p]\n" + "k" * 500 + ": 1\n",
                                     encoding="utf-8")
    done = run(["lint", str(tmp_path)])
    assert done.returncode == 1
    line = next(x for x in done.stdout.decode().splitlines() if "unknown key" in x)
    assert "k" * 40 + "…" in line and "k" * 41 not in line


def test_an_unexpected_exception_is_one_line_and_exit_3(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from redress.evaluation import steps as module

    def broken(*args: object, **kwargs: object) -> object:
        raise KeyError("boom")

    monkeypatch.setattr(module, "run_timeline", broken)
    assert main(["evaluate", str(EXAMPLE), str(EXAMPLE), "--as-of", "2025-05-01"]) == 3
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2 and all("internal error" in line and "KeyError" in line
                                 and "EX-2025-0042.yaml" in line for line in err)


def test_an_exception_outside_a_case_is_one_line_and_exit_3(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import redress.cli.lint as lint

    def broken(*args: object, **kwargs: object) -> object:
        raise RuntimeError("boom\x1b[2J")

    monkeypatch.setattr(lint, "lint", broken)
    assert main(["lint"]) == 3
    err = capsys.readouterr().err
    assert err.startswith("redress: internal error: RuntimeError: boom\\x1b[2J")
    assert err.count("\n") == 1
