"""Reading a caseload: JSON Lines, a folder of case files, CSV, or standard input.

Each input yields :class:`RawRecord` items lazily, in order, numbered across all inputs; parsing
happens later (in a worker process when there are several), so reading stays cheap and memory
stays flat.  Which reader an input gets:

* ``-``: JSON Lines on standard input;
* a folder: every ``.yaml``, ``.yml`` and ``.json`` file under it, one case per file, sorted by
  path (hidden files and symbolic links are skipped, so nothing outside the folder is read);
* ``*.csv``: one case per row (see :mod:`redress.caseload.csv_cases`);
* ``*.yaml``, ``*.yml``, ``*.json``: one case file;
* anything else (``*.jsonl``, ``*.ndjson``…): JSON Lines, one case per line; blank lines are
  skipped.

A line longer than ``MAX_LINE_BYTES`` or not valid UTF-8 is an ``unreadable`` record, not the
end of the run.  A problem with an input as a whole (it vanished, a CSV file is not UTF-8) raises
:class:`InputError`, which the command line reports as an I/O error.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Literal

from redress.caseload.csv_cases import bad_headers
from redress.evaluation.records import InputRef
from redress.findings import Finding
from redress.policy.loader import MAX_BYTES, Document, parse_documents

MAX_LINE_BYTES = MAX_BYTES  # one case; the same cap as a case file
CASE_SUFFIXES = (".yaml", ".yml", ".json")
STDIN = "-"

RawKind = Literal["json", "file", "csv", "document", "problem"]
MAX_STDIN_BYTES = 16 * MAX_BYTES  # redress evaluate -: a few cases; batch streams without a cap


class InputError(Exception):
    """An input cannot be read at all (as opposed to one bad record in it)."""


@dataclass(frozen=True)
class RawRecord:
    """One input record, not yet parsed.

    ``payload`` is the line's text (``json``), the file's path (``file``), the row as a dict
    (``csv``), an already parsed ``Document`` (``document``) or the findings that make it
    unreadable (``problem``).
    """

    ref: InputRef
    kind: RawKind
    payload: Any


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
            yield RawRecord(InputRef(raw.ref.source, raw.ref.line, index), raw.kind, raw.payload)
            index += 1


def _records(name: str, stdin: IO[bytes] | None) -> Iterator[RawRecord]:
    kind = input_kind(name)
    if kind == "folder":
        yield from _folder(Path(name))
    elif kind == "file":
        yield RawRecord(InputRef(name, None, 0), "file", name)
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
    line_no = 0
    while True:
        try:
            chunk = stream.readline(MAX_LINE_BYTES + 1)
        except OSError as exc:
            raise InputError(f"{source}: cannot read: {exc.strerror or exc}") from exc
        if not chunk:
            return
        line_no += 1
        ref = InputRef(source, line_no, 0)
        if len(chunk) > MAX_LINE_BYTES and not chunk.endswith(b"\n"):
            _skip_rest_of_line(stream)
            yield RawRecord(ref, "problem", (Finding(
                "line-too-long", f"the line is longer than {MAX_LINE_BYTES} bytes",
                file=source),))
            continue
        try:
            text = chunk.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield RawRecord(ref, "problem", (Finding(
                "not-utf8", f"the line is not valid UTF-8 (byte {exc.start + 1})", file=source),))
            continue
        if text.strip():
            yield RawRecord(ref, "json", text)


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
        raise InputError(f"{source}: more than {MAX_STDIN_BYTES} bytes on standard input; "
                         "use redress batch - (JSON Lines) for a caseload")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        yield RawRecord(InputRef(source, None, 0), "problem", (Finding(
            "not-utf8", f"standard input is not valid UTF-8 (byte {exc.start + 1})",
            file=source),))
        return
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) > 1 and lines[0].lstrip().startswith("{") and _is_json_object(lines[0]):
        yield from json_lines(io.BytesIO(data), source)
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


def _is_json_object(line: str) -> bool:
    try:
        return isinstance(json.loads(line), dict)
    except (ValueError, RecursionError):
        return False


def _line(findings: Sequence[Finding]) -> int | None:
    return next((f.pos.line for f in findings if f.pos is not None), None)


def _skip_rest_of_line(stream: IO[bytes]) -> None:
    while True:
        chunk = stream.readline(MAX_LINE_BYTES)
        if not chunk or chunk.endswith(b"\n"):
            return


def _folder(folder: Path) -> Iterator[RawRecord]:
    files = sorted(p for p in folder.rglob("*")
                   if p.suffix.lower() in CASE_SUFFIXES
                   and not any(part.startswith(".") for part in p.relative_to(folder).parts)
                   and not p.is_symlink() and p.is_file())
    for path in files:
        yield RawRecord(InputRef(str(path), None, 0), "file", str(path))


def _csv(name: str) -> Iterator[RawRecord]:
    try:
        fh = open(name, "rb")  # noqa: SIM115 - closed below; decoding is strict and incremental
    except OSError as exc:
        raise InputError(f"{name}: cannot read: {exc.strerror or exc}") from exc
    with fh:
        text = io.TextIOWrapper(fh, encoding="utf-8-sig", errors="strict", newline="")
        reader = csv.DictReader(text)
        try:
            headers = list(reader.fieldnames or [])
            wrong = bad_headers(headers)
            start = reader.line_num + 1
            for row in reader:
                ref = InputRef(name, start, 0)
                start = reader.line_num + 1
                if wrong:
                    yield RawRecord(ref, "problem", tuple(Finding(
                        "csv-header", f"column {h!r} is not a case field path "
                        "(e.g. events[0].date)", file=name) for h in wrong))
                elif None in row:
                    yield RawRecord(ref, "problem", (Finding(
                        "csv-row", "the row has more cells than the header", file=name),))
                else:
                    yield RawRecord(ref, "csv", dict(row))
        except UnicodeDecodeError as exc:
            raise InputError(f"{name}: not valid UTF-8 near line {reader.line_num + 1}; "
                             "save the file as UTF-8 and resume") from exc
        except csv.Error as exc:
            raise InputError(f"{name}:{reader.line_num}: not readable as CSV: {exc}") from exc


__all__ = ["MAX_LINE_BYTES", "MAX_STDIN_BYTES", "InputError", "RawRecord", "check_inputs", "input_kind",
           "json_lines", "read_inputs", "stdin_cases"]
