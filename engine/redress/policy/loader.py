"""The one YAML reader for policies, rules, cases and scenarios.

``read_document`` parses with a ``yaml.SafeLoader`` subclass made strict for files that officers
edit by hand:

* duplicate keys, anchors/aliases/merge keys, tags and non-string keys are refused (an alias bomb
  or a repeated key could silently change a deadline);
* only ``true``/``false`` are booleans (``yes``/``no``/``on``/``off`` stay strings);
* dates and timestamps stay strings, so that ``2024-02-30`` is reported by the schema/date checks
  with its line instead of crashing the parser;
* files over ``MAX_BYTES`` are refused, and so is anything that is not a regular file
  (``/dev/zero``, a FIFO, a folder): every file, special file and standard input goes through one
  bounded reader (:func:`read_bounded`) that stops after ``MAX_BYTES`` whatever ``stat`` says;
* text must be UTF-8 without NUL or other characters YAML forbids, nesting is at most
  ``MAX_DEPTH`` levels deep and integers at most ``MAX_DIGITS`` digits long, so hostile input is a
  finding with its line and column, never a ``RecursionError`` or ``MemoryError``.

Every value's position is recorded in ``Document.positions`` keyed by its path.  Problems come
back as findings, never prints; :func:`load_document` raises ``PolicyError`` carrying them all.
"""

from __future__ import annotations

import math
import os
import re
import stat
from collections.abc import Iterator, Mapping
from dataclasses import field
from pathlib import Path as FsPath
from typing import Any, BinaryIO

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

from redress.errors import PolicyError
from redress.findings import Finding, Path, SourcePos, format_path
from redress.frozen_dataclass import frozen_dataclass

MAX_BYTES = 2 * 1024 * 1024  # policies are a few KB; anything this large is a mistake or an attack
MAX_DEPTH = 64  # the deepest real document (a rule condition) nests about ten levels
MAX_DIGITS = 18  # no period, age or count needs more; keeps every integer a 64-bit one
_CHUNK = 64 * 1024


@frozen_dataclass
class Document:
    """A parsed YAML/JSON file: its data and the position of every value."""

    file: str
    data: Any
    positions: Mapping[Path, SourcePos] = field(default_factory=dict)

    def pos(self, path: Path) -> SourcePos | None:
        """The position of ``path``, or of its nearest recorded ancestor."""
        for cut in range(len(path), -1, -1):
            found = self.positions.get(path[:cut])
            if found is not None:
                return found
        return None

    def locate(self, finding: Finding) -> Finding:
        """The finding with this document's file name and the line of its path."""
        return finding.located(self.file, self.pos(finding.path))


class LoadError(Exception):
    """Raised inside the loader; turned into a finding by ``read_document``."""

    def __init__(self, check_id: str, message: str, node: Node) -> None:
        super().__init__(message)
        self.check_id = check_id
        self.message = message
        self.pos = SourcePos(node.start_mark.line + 1, node.start_mark.column + 1)


_BOOL = re.compile(r"^(?:true|false)$")


class _Refusals:
    """The refusals described in the module docstring, checked as each node is composed."""

    # Supplied by the parser the loader is built on (annotations only: no class attributes).
    check_event: Any
    peek_event: Any

    depth = 0

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        # PyYAML composes recursively: bound the depth before Python's stack is.
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                event = self.peek_event()
                raise LoadError("yaml-too-deep",
                                f"nested more than {MAX_DEPTH} levels deep",
                                ScalarNode("tag:yaml.org,2002:null", "", event.start_mark,
                                           event.end_mark))
            return self._compose_checked(parent, index)
        finally:
            self.depth -= 1

    def _compose_checked(self, parent: Node | None, index: int) -> Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise LoadError("yaml-alias", "anchors and aliases (*name) are not allowed",
                            ScalarNode("tag:yaml.org,2002:null", "", event.start_mark,
                                       event.end_mark))
        event = self.peek_event()
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise LoadError("yaml-alias", f"anchors (&{anchor}) are not allowed",
                            ScalarNode("tag:yaml.org,2002:null", "", event.start_mark,
                                       event.end_mark))
        tag = getattr(event, "tag", None)
        if tag not in (None, "!"):
            raise LoadError("yaml-tag", f"tags ({tag}) are not allowed",
                            ScalarNode("tag:yaml.org,2002:null", "", event.start_mark,
                                       event.end_mark))
        composed: Node | None = super().compose_node(parent, index)  # type: ignore[misc]
        return composed


class StrictLoader(_Refusals, yaml.SafeLoader):
    """SafeLoader with the refusals described in the module docstring."""


_LIBYAML = getattr(yaml, "__with_libyaml__", False)
if _LIBYAML:
    from yaml._yaml import CParser
    from yaml.composer import Composer

    class FastStrictLoader(_Refusals, Composer, CParser, SafeConstructor, Resolver):
        """The same loader on libyaml's C scanner and parser: the nodes (and so the refusals and
        every position) are still composed here in Python, from libyaml's events, which is
        where the pure-Python loader spends most of its time."""

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            Composer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)


# Implicit resolvers: keep the safe ones, drop timestamps, and make booleans strict.
StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers
            if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.copy().items()
}
StrictLoader.add_implicit_resolver("tag:yaml.org,2002:bool", _BOOL, list("tf"))
if _LIBYAML:
    FastStrictLoader.yaml_implicit_resolvers = StrictLoader.yaml_implicit_resolvers


def _construct(node: Node, path: Path, positions: dict[Path, SourcePos],
               loader: StrictLoader) -> Any:
    positions[path] = SourcePos(node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, MappingNode):
        out: dict[str, Any] = {}
        key_pos: dict[str, SourcePos] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise LoadError("yaml-merge-key", "merge keys (<<) are not allowed", key_node)
            if not isinstance(key_node, ScalarNode) or key_node.tag != "tag:yaml.org,2002:str":
                raise LoadError("yaml-key-type",
                                f"keys must be plain text, not {_describe(key_node)}", key_node)
            key = str(key_node.value)
            here = SourcePos(key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if key in out:
                first = key_pos[key]
                raise LoadError("yaml-duplicate-key",
                                f"duplicate key {key!r} (first defined on line {first.line})",
                                key_node)
            key_pos[key] = here
            out[key] = _construct(value_node, (*path, key), positions, loader)
            # A value is reported at its key, which is where an officer looks.
            positions[(*path, key)] = here
        return out
    if isinstance(node, SequenceNode):
        return [_construct(item, (*path, i), positions, loader)
                for i, item in enumerate(node.value)]
    if node.tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float"):
        digits = sum(ch.isdigit() for ch in str(node.value))
        if digits > MAX_DIGITS:
            raise LoadError("yaml-number", f"a number of {digits} digits is too long (at most "
                            f"{MAX_DIGITS})", node)
    value = loader.construct_object(node, deep=True)
    if isinstance(value, float) and not math.isfinite(value):
        raise LoadError("yaml-number", f"{node.value!r} is not a finite number", node)
    return value


def _describe(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    return {"tag:yaml.org,2002:int": "a number", "tag:yaml.org,2002:float": "a number",
            "tag:yaml.org,2002:bool": "a boolean",
            "tag:yaml.org,2002:null": "null"}.get(node.tag, repr(node.value))


def parse_text(text: str, file: str = "<input>") -> tuple[Document | None, list[Finding]]:
    """Parse YAML (or JSON, a subset of YAML) text into a Document, or findings.

    Text goes through libyaml's parser when it is installed; a document it cannot take is read
    again by the pure-Python loader, so every problem is worded and placed as before.
    """
    if _LIBYAML:
        try:
            fast = _parse(FastStrictLoader, text, file)
        except Exception:
            fast = (None, [])
        if fast[0] is not None:
            return fast
    return _parse(StrictLoader, text, file)


def _parse(make_loader: Any, text: str, file: str) -> tuple[Document | None, list[Finding]]:
    loader: Any = None
    try:
        loader = make_loader(text)  # checks the characters first: may raise ReaderError
        node = loader.get_single_node()
        positions: dict[Path, SourcePos] = {}
        data = None if node is None else _construct(node, (), positions, loader)
        return Document(file, data, positions), []
    except LoadError as exc:
        return None, [Finding(exc.check_id, exc.message, file=file, pos=exc.pos)]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        pos = SourcePos(mark.line + 1, mark.column + 1) if mark else None
        message = f"YAML syntax error: {exc.problem or exc.context}"
        return None, [Finding("yaml-syntax", message, file=file, pos=pos)]
    except yaml.reader.ReaderError as exc:  # NUL and other characters YAML forbids
        return None, [Finding("yaml-syntax", f"character U+{exc.character:04X} is not allowed "
                              "in YAML (a binary file or a stray control character?)",
                              file=file, pos=_pos_of(text, exc.position))]
    except RecursionError:  # a last resort: MAX_DEPTH stops real documents long before this
        return None, [Finding("yaml-too-deep", "nested too deeply to read", file=file)]
    finally:
        if loader is not None:
            loader.dispose()


def _pos_of(text: str, index: int) -> SourcePos:
    line_start = text.rfind("\n", 0, index) + 1
    return SourcePos(text.count("\n", 0, index) + 1, index - line_start + 1)


class InputTooLarge(ValueError):
    """More than ``MAX_BYTES`` arrived from a file, device or stream."""


class NotARegularFile(ValueError):
    """A folder, FIFO, device or socket where a file was expected."""


def read_bounded(stream: BinaryIO, limit: int | None = None) -> bytes:
    """At most ``limit`` bytes from ``stream``, or ``InputTooLarge``; never reads more than
    ``limit + 1`` bytes, so an endless stream (``/dev/zero``, a pipe) cannot exhaust memory."""
    limit = MAX_BYTES if limit is None else limit
    chunks: list[bytes] = []
    size = 0
    while size <= limit:
        chunk = stream.read(min(_CHUNK, limit + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    if size > limit:
        raise InputTooLarge(f"input is larger than the limit of {limit} bytes")
    return b"".join(chunks)


def read_file_bytes(path: str | FsPath, limit: int | None = None) -> bytes:
    """A regular file's bytes through :func:`read_bounded`; anything else is refused before it
    is opened (opening a FIFO would wait for a writer for ever)."""
    limit = MAX_BYTES if limit is None else limit
    info = os.stat(path)
    if stat.S_ISDIR(info.st_mode):
        raise NotARegularFile("is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise NotARegularFile("is not a regular file (a device, FIFO or socket)")
    if info.st_size > limit:
        raise InputTooLarge(f"file is {info.st_size} bytes; the limit is {limit}")
    with open(path, "rb") as fh:
        return read_bounded(fh, limit)


def decode_text(data: bytes, file: str) -> tuple[str | None, list[Finding]]:
    """UTF-8 text, or a finding naming the line and column of the first bad byte."""
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        good = data[:exc.start].decode("utf-8", errors="replace")
        # YAML is Unicode text: bytes that are not UTF-8 are a content error, like a syntax error.
        return None, [Finding("yaml-syntax", f"not UTF-8 text: byte 0x{data[exc.start]:02x} "
                              "cannot be decoded", file=file, pos=_pos_of(good, len(good)))]


def read_stream(stream: BinaryIO, file: str = "<stdin>",
                limit: int | None = None) -> tuple[Document | None, list[Finding]]:
    """Parse a document from a byte stream (standard input), bounded like a file."""
    try:
        data = read_bounded(stream, limit)
    except InputTooLarge as exc:
        return None, [Finding("file-too-large", str(exc), file=file)]
    except OSError as exc:
        return None, [Finding("file-unreadable", f"cannot read: {exc.strerror or exc}", file=file)]
    text, findings = decode_text(data, file)
    return (None, findings) if text is None else parse_text(text, file)


def parse_documents(text: str, file: str = "<input>") -> Iterator[tuple[Document | None,
                                                                         list[Finding]]]:
    """Each document of a YAML stream (``---`` between documents), with positions in the stream.

    A syntax error yields its finding and ends the stream: what follows cannot be delimited.
    """
    try:
        loader = StrictLoader(text)  # checks the characters first: may raise ReaderError
    except yaml.reader.ReaderError as exc:
        yield None, [Finding("yaml-syntax", f"character U+{exc.character:04X} is not allowed "
                             "in YAML (a binary file or a stray control character?)",
                             file=file, pos=_pos_of(text, exc.position))]
        return
    try:
        while True:
            try:
                if not loader.check_node():
                    return
                node = loader.get_node()
                positions: dict[Path, SourcePos] = {}
                data = None if node is None else _construct(node, (), positions, loader)
            except LoadError as exc:
                yield None, [Finding(exc.check_id, exc.message, file=file, pos=exc.pos)]
                return
            except yaml.MarkedYAMLError as exc:
                mark = exc.problem_mark or exc.context_mark
                pos = SourcePos(mark.line + 1, mark.column + 1) if mark else None
                yield None, [Finding("yaml-syntax",
                                     f"YAML syntax error: {exc.problem or exc.context}",
                                     file=file, pos=pos)]
                return
            except RecursionError:  # a last resort: MAX_DEPTH stops real documents first
                yield None, [Finding("yaml-too-deep", "nested too deeply to read", file=file)]
                return
            yield Document(file, data, positions), []
    finally:
        loader.dispose()


def read_document(path: str | FsPath,
                  limit: int | None = None) -> tuple[Document | None, list[Finding]]:
    """Read and parse a file; I/O problems, oversize and special files are findings too.
    ``limit`` lowers the size cap (default ``MAX_BYTES``), e.g. for cases."""
    name = str(path)
    try:
        data = read_file_bytes(path, limit)
    except InputTooLarge as exc:
        return None, [Finding("file-too-large", str(exc), file=name)]
    except NotARegularFile as exc:
        return None, [Finding("file-unreadable", f"cannot read: {exc}", file=name)]
    except OSError as exc:
        return None, [Finding("file-unreadable", f"cannot read file: {exc.strerror or exc}",
                              file=name)]
    text, findings = decode_text(data, name)
    return (None, findings) if text is None else parse_text(text, name)


def load_document(path: str | FsPath) -> Document:
    """Read a file or raise ``PolicyError`` with every problem found."""
    doc, findings = read_document(path)
    if doc is None:
        raise PolicyError(findings, str(path))
    return doc


def document_from_data(data: Any, file: str = "<data>") -> Document:
    """Wrap already-parsed data (e.g. a dict from a calling system) as a Document.

    The data is copied to plain JSON types, so Python dates given by a caller become ISO strings
    exactly as they would arrive from a file, and later changes to the caller's objects cannot
    reach an evaluation under way.  Raises ``TypeError`` naming the first value that has no JSON
    form (see :func:`data_document` for every problem as findings).
    """
    doc, findings = data_document(data, file)
    if doc is None:
        raise TypeError(findings[0].message)
    return doc


def data_document(data: Any, file: str = "<data>",
                  positions: Mapping[Path, SourcePos] | None = None
                  ) -> tuple[Document | None, list[Finding]]:
    """A Document holding a plain-JSON copy of ``data``, or a finding per value that is not
    text, a finite number, a boolean, null, a date, a list or a mapping with text keys."""
    findings: list[Finding] = []
    try:
        copy = _plain(data, (), findings)
    except RecursionError:
        findings.append(Finding("case-type", "nested too deeply to read", file=file))
    if findings:
        return None, [f.located(file, None) for f in findings[:20]]
    return Document(file, copy, dict(positions or {})), []


def _plain(value: Any, path: Path, findings: list[Finding]) -> Any:
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        if len(str(abs(value))) > MAX_DIGITS:
            findings.append(Finding("case-type", f"{format_path(path)}: a number of more than "
                                    f"{MAX_DIGITS} digits is too long", path))
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            findings.append(Finding("case-type", f"{format_path(path)}: {value} is not a finite "
                                    "number", path))
        return value
    if len(path) > MAX_DEPTH:
        findings.append(Finding("case-type", f"{format_path(path[:8])}…: nested more than "
                                f"{MAX_DEPTH} levels deep", path[:8]))
        return None
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for key, item in list(value.items()):  # list(): a snapshot, even if the caller mutates
            if not isinstance(key, str):
                findings.append(Finding("case-type", f"{format_path(path)}: keys must be text, "
                                        f"not {type(key).__name__}", path))
                continue
            out[key] = _plain(item, (*path, key), findings)
        return out
    if isinstance(value, list | tuple):
        return [_plain(item, (*path, i), findings) for i, item in enumerate(list(value))]
    iso = getattr(value, "isoformat", None)
    if callable(iso):
        return str(iso())
    findings.append(Finding("case-type", f"{format_path(path)}: a {type(value).__name__} has no "
                            "JSON form (use text, numbers, booleans, lists and mappings)", path))
    return None


__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_DIGITS",
    "Document",
    "InputTooLarge",
    "NotARegularFile",
    "data_document",
    "decode_text",
    "document_from_data",
    "format_path",
    "load_document",
    "parse_documents",
    "parse_text",
    "read_bounded",
    "read_document",
    "read_file_bytes",
    "read_stream",
]
