"""The one YAML reader for policies, rules, cases and scenarios.

``read_document`` parses with a ``yaml.SafeLoader`` subclass made strict for files that officers
edit by hand:

* duplicate keys, anchors/aliases/merge keys, tags and non-string keys are refused (an alias bomb
  or a repeated key could silently change a deadline);
* only ``true``/``false`` are booleans (``yes``/``no``/``on``/``off`` stay strings);
* dates and timestamps stay strings, so that ``2024-02-30`` is reported by the schema/date checks
  with its line instead of crashing the parser;
* files over ``MAX_BYTES`` are refused.

Every value's position is recorded in ``Document.positions`` keyed by its path.  Problems come
back as findings, never prints; :func:`load_document` raises ``PolicyError`` carrying them all.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from redress.errors import PolicyError
from redress.findings import Finding, Path, SourcePos, format_path

MAX_BYTES = 2 * 1024 * 1024  # policies are a few KB; anything this large is a mistake or an attack


@dataclass(frozen=True)
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


class StrictLoader(yaml.SafeLoader):
    """SafeLoader with the refusals described in the module docstring."""

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise LoadError("yaml-alias", "anchors and aliases (*name) are not allowed",
                            ScalarNode("tag:yaml.org,2002:null", "", event.start_mark,
                                       event.end_mark))
        event = self.peek_event()  # type: ignore[no-untyped-call]
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
        return super().compose_node(parent, index)


# Implicit resolvers: keep the safe ones, drop timestamps, and make booleans strict.
StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers
            if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.copy().items()
}
StrictLoader.add_implicit_resolver("tag:yaml.org,2002:bool", _BOOL, list("tf"))


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
    return loader.construct_object(node, deep=True)


def _describe(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    return {"tag:yaml.org,2002:int": "a number", "tag:yaml.org,2002:float": "a number",
            "tag:yaml.org,2002:bool": "a boolean",
            "tag:yaml.org,2002:null": "null"}.get(node.tag, repr(node.value))


def parse_text(text: str, file: str = "<input>") -> tuple[Document | None, list[Finding]]:
    """Parse YAML (or JSON, a subset of YAML) text into a Document, or findings."""
    loader = StrictLoader(text)
    try:
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
    finally:
        loader.dispose()


def parse_documents(text: str, file: str = "<input>") -> Iterator[tuple[Document | None,
                                                                         list[Finding]]]:
    """Each document of a YAML stream (``---`` between documents), with positions in the stream.

    A syntax error yields its finding and ends the stream: what follows cannot be delimited.
    """
    loader = StrictLoader(text)
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
                yield None, [Finding("yaml-syntax", f"YAML syntax error: {exc.problem or exc.context}",
                                     file=file, pos=pos)]
                return
            yield Document(file, data, positions), []
    finally:
        loader.dispose()


def read_document(path: str | FsPath) -> tuple[Document | None, list[Finding]]:
    """Read and parse a file; I/O problems and oversize files are findings too."""
    name = str(path)
    try:
        size = FsPath(path).stat().st_size
        if size > MAX_BYTES:
            return None, [Finding("file-too-large",
                                  f"file is {size} bytes; the limit is {MAX_BYTES}", file=name)]
        text = FsPath(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Finding("file-unreadable", f"cannot read file: {exc}", file=name)]
    return parse_text(text, name)


def load_document(path: str | FsPath) -> Document:
    """Read a file or raise ``PolicyError`` with every problem found."""
    doc, findings = read_document(path)
    if doc is None:
        raise PolicyError(findings, str(path))
    return doc


def document_from_data(data: Any, file: str = "<data>") -> Document:
    """Wrap already-parsed data (e.g. a dict from a calling system) as a Document.

    JSON round-tripping keeps only JSON types, so Python dates given by a caller become ISO
    strings exactly as they would arrive from a file.
    """
    return Document(file, json.loads(json.dumps(data, default=_iso)), {})


def _iso(value: object) -> str:
    iso = getattr(value, "isoformat", None)
    if callable(iso):
        return str(iso())
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


__all__ = ["MAX_BYTES", "Document", "document_from_data", "format_path", "load_document",
           "parse_documents", "parse_text", "read_document"]
