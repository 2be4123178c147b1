"""Reading a caseload: JSON Lines, a folder of case files, CSV, or standard input.

Each input yields :class:`RawRecord` items lazily, in order, numbered across all inputs; parsing
happens later (in a worker process when there are several), so reading stays cheap and memory
stays flat.  Which reader an input gets:

* ``-``: JSON Lines on standard input;
* a folder: every ``.yaml``, ``.yml`` and ``.json`` file under it, one case per file, sorted by
  path (hidden files and symbolic links are skipped, so nothing outside the folder is read);
* ``*.csv``: one case per row (see :mod:`redress.caseload.csv_rows` for how rows are found and
  :mod:`redress.caseload.csv_cases` for how a row maps to a case);
* ``*.yaml``, ``*.yml``, ``*.json``: one case file;
* anything else (``*.jsonl``, ``*.ndjson``…): JSON Lines, one case per line; blank lines are
  skipped.

A line longer than ``MAX_LINE_BYTES`` or not valid UTF-8, a bad CSV row and an unreadable case
file are each an ``unreadable`` record, not the end of the run.  A problem with an input as a
whole (it vanished, it cannot be read) raises :class:`InputError`, which the command line
reports as an I/O error.  A UTF-8 byte-order mark at the start of any input is ignored.

Every record carries the SHA-256 of its bytes in the input, which ``--resume`` checks.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Literal

from redress.caseload.lines import BOM, Lines, sha256
from redress.caseload.raw import InputError, RawKind, RawRecord
from redress.evaluation.case import MAX_CASE_BYTES
from redress.evaluation.records import InputRef
from redress.findings import Finding
from redress.policy.loader import (
    MAX_BYTES,
    Document,
    InputTooLarge,
    NotARegularFile,
    decode_text,
    parse_documents,
    read_file_bytes,
)

MAX_LINE_BYTES = MAX_CASE_BYTES  # one case; the same cap as a case file
CASE_SUFFIXES = (".yaml", ".yml", ".json")
STDIN = "-"
MAX_STDIN_BYTES = MAX_BYTES  # redress evaluate -: a few cases; batch streams without a cap


def input_kind(name: str) -> Literal["jsonl", "folder", "csv", "file"]:
    if name == STDIN:
        return "jsonl"
    path = Path(name)
    if path.is_dir():
        return "folder"
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix in CASE_SUFFIXES:
        return "file"
    return "jsonl"


def check_inputs(names: Sequence[str]) -> list[str]:
    """One message per input that cannot be opened (checked before anything is written)."""
    problems = []
    for name in names:
        if name == STDIN:
            continue
        path = Path(name)
        if not path.exists():
            problems.append(f"{name}: no such file or folder")
        elif not (path.is_dir() or path.is_file()):
            problems.append(f"{name}: not a regular file or folder")
    if sum(n == STDIN for n in names) > 1:
        problems.append("-: standard input can be read only once")
    return problems


def read_inputs(names: Sequence[str], stdin: IO[bytes] | None = None) -> Iterator[RawRecord]:
    """Every record of every input, in order, numbered from 0 across inputs."""
    index = 0
    for name in names:
        for raw in _records(name, stdin):
            yield RawRecord(InputRef(raw.ref.source, raw.ref.line, index), raw.kind, raw.payload,
                            raw.sha256)
            index += 1


def _records(name: str, stdin: IO[bytes] | None) -> Iterator[RawRecord]:
    kind = input_kind(name)
    if kind == "folder":
        yield from _folder(Path(name))
    elif kind == "file":
        yield case_file(Path(name))
    elif kind == "csv":
        yield from _csv(name)
    elif name == STDIN:
        if stdin is None:
            raise InputError("-: no standard input")
        yield from json_lines(stdin, STDIN)
    else:
        try:
            with open(name, "rb") as fh:
                yield from json_lines(fh, name)
        except OSError as exc:
            raise InputError(f"{name}: cannot read: {exc.strerror or exc}") from exc


def json_lines(stream: IO[bytes], source: str) -> Iterator[RawRecord]:
    """The non-blank lines of a JSON Lines stream, read with a bounded buffer."""
    lines = Lines(stream, MAX_LINE_BYTES)
    while True:
        try:
            line = lines.next()
        except OSError as exc:
            raise InputError(f"{source}: cannot read: {exc.strerror or exc}") from exc
        if line is None:
            return
        ref = InputRef(source, line.number, 0)
        if line.too_long:
            yield _problem(ref, line.sha256, "line-too-long",
                           f"the line is longer than {MAX_LINE_BYTES} bytes")
            continue
        try:
            text = line.data.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield _problem(ref, line.sha256, "not-utf8",
                           f"the line is not valid UTF-8 (byte {exc.start + 1})")
            continue
        if text.strip():
            yield RawRecord(ref, "json", text, line.sha256)


def _problem(ref: InputRef, digest: str, check: str, message: str) -> RawRecord:
    return RawRecord(ref, "problem", (Finding(check, message, file=ref.source),), digest)


def case_file(path: Path) -> RawRecord:
    """One case file's bytes (bounded like any case), or why it cannot be read."""
    ref = InputRef(str(path), None, 0)
    try:
        data = read_file_bytes(path, MAX_CASE_BYTES)
    except InputTooLarge as exc:
        return _problem(ref, sha256(str(exc).encode()), "file-too-large", str(exc))
    except NotARegularFile as exc:
        return _problem(ref, sha256(str(exc).encode()), "file-unreadable", f"cannot read: {exc}")
    except OSError as exc:
        why = f"cannot read file: {exc.strerror or exc}"
        return _problem(ref, sha256(why.encode()), "file-unreadable", why)
    data = data.removeprefix(BOM)
    return RawRecord(ref, "file", data, sha256(data))


def stdin_cases(stream: IO[bytes], source: str = STDIN) -> Iterator[RawRecord]:
    """The cases of ``redress evaluate -``: one YAML or JSON case, a YAML stream of several
    (``---`` between them), a list of cases (YAML or a JSON array) or JSON Lines.

    Read with a cap (``MAX_STDIN_BYTES``); messages never quote the input beyond a short
    excerpt.
    """
    try:
        data = stream.read(MAX_STDIN_BYTES + 1)
    except OSError as exc:
        raise InputError(f"{source}: cannot read: {exc.strerror or exc}") from exc
    if len(data) > MAX_STDIN_BYTES:
        yield RawRecord(InputRef(source, None, 0), "problem", (Finding(
            "file-too-large", f"standard input is larger than the limit of {MAX_STDIN_BYTES} "
            "bytes; use redress batch - (JSON Lines) for a caseload", file=source),))
        return
    text, problems = decode_text(data.removeprefix(BOM), source)
    if text is None:
        yield RawRecord(InputRef(source, None, 0), "problem", tuple(problems))
        return
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) > 1 and lines[0].lstrip().startswith("{") and _is_json_object(lines[0]):
        yield from json_lines(io.BytesIO(data), source)  # the reader drops a byte-order mark
        return
    index = 0
    for doc, findings in parse_documents(text, source):
        if doc is None:
            yield RawRecord(InputRef(source, _line(findings), index), "problem", tuple(findings))
            return
        items = doc.data if isinstance(doc.data, list) else [doc.data]
        for i, item in enumerate(items):
            prefix: tuple[int, ...] = (i,) if isinstance(doc.data, list) else ()
            positions = {path[len(prefix):]: pos for path, pos in doc.positions.items()
                         if path[:len(prefix)] == prefix}
            line = positions[()].line if () in positions else None
            yield RawRecord(InputRef(source, line, index), "document",
                            Document(source, item, positions))
            index += 1
    if index == 0:  # only blank lines, comments or an empty list: say so, never exit 0 silently
        yield RawRecord(InputRef(source, None, 0), "problem", (Finding(
            "empty-input", "standard input holds no case", file=source),))


def _is_json_object(line: str) -> bool:
    try:
        return isinstance(json.loads(line), dict)
    except (ValueError, RecursionError):
        return False


def _line(findings: Sequence[Finding]) -> int | None:
    return next((f.pos.line for f in findings if f.pos is not None), None)


def _folder(folder: Path) -> Iterator[RawRecord]:
    files = sorted(p for p in folder.rglob("*")
                   if p.suffix.lower() in CASE_SUFFIXES
                   and not any(part.startswith(".") for part in p.relative_to(folder).parts)
                   and not p.is_symlink() and p.is_file())
    if not files:  # nothing to answer for: say so rather than succeed with no output
        raise InputError(f"{folder}: the folder holds no case file ({', '.join(CASE_SUFFIXES)})")
    for path in files:
        yield case_file(path)


def _csv(name: str) -> Iterator[RawRecord]:
    try:
        fh = open(name, "rb")  # noqa: SIM115 - closed below; rows are read and decoded one by one
    except OSError as exc:
        raise InputError(f"{name}: cannot read: {exc.strerror or exc}") from exc
    from redress.caseload.csv_rows import csv_records  # only for a CSV input: not on every start

    with fh:
        try:
            yield from csv_records(fh, name)
        except OSError as exc:
            raise InputError(f"{name}: cannot read: {exc.strerror or exc}") from exc


__all__ = ["MAX_LINE_BYTES", "MAX_STDIN_BYTES", "InputError", "RawKind", "RawRecord", "case_file",
           "check_inputs", "input_kind", "json_lines", "read_inputs", "stdin_cases"]
