"""Build the reviewer site: render every generated page, lay them over a copy of ``docs/``, then
run ``mkdocs build --strict`` on that copy.

Nothing generated is written into the source tree: the hand-written pages (``docs/``) and the
generated ones meet in a temporary folder (or ``markdown_dir``), and a small derived config
``INHERIT``s the project's ``mkdocs.yml`` with the navigation completed — one page per procedure,
inserted after ``procedures/index.md``, grouped by nation.
"""

from __future__ import annotations

import argparse
import html
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from redress.docs.api_ref import api_page
from redress.docs.cli_ref import cli_page
from redress.docs.context import DocsContext, load_context
from redress.docs.crossrefs import VERIFICATION, anchor_entries, link_references
from redress.docs.formats import format_page
from redress.docs.overview import INDEX, PARTNERSHIPS, index_page, partnerships_page
from redress.docs.procedure import procedure_page
from redress.docs.search_entries import add_row_entries, exclude_tables
from redress.docs.words import NATIONS

GENERATED_DIRS = ("procedures",)
# Redress's overrides of the Material theme (theme.custom_dir): escaping for the page <title>.
THEME_DIR = Path(__file__).resolve().parent / "theme"
# Written into every folder a build fills (the site and --markdown).  A later build empties a
# folder only when it holds this file: Redress never deletes what it did not create.
BUILD_MARKER = ".redress-build"


class SiteError(Exception):
    """The site could not be built (mkdocs failed or is missing); the message says why."""


class NoSourceError(SiteError):
    """No ``mkdocs.yml`` and ``docs/`` were found: not run from a Redress checkout."""


class UnsafeOutputError(SiteError):
    """An output folder that a build would have to empty but Redress did not create (or that
    holds the sources); nothing has been written or deleted."""


@dataclass(frozen=True)
class SiteSource:
    """A checkout's documentation sources: ``mkdocs.yml``, ``docs/`` and friends."""

    root: Path

    @property
    def config(self) -> Path:
        return self.root / "mkdocs.yml"

    @property
    def docs(self) -> Path:
        return self.root / "docs"

    @property
    def scenarios(self) -> Path | None:
        folder = self.root / "tests" / "scenarios"
        return folder if folder.is_dir() else None

    @property
    def readme(self) -> Path:
        return self.root / "README.md"


@dataclass(frozen=True)
class BuildReport:
    out: Path
    pages: tuple[str, ...]
    procedures: tuple[str, ...]
    seconds: float


def find_source(start: Path | None = None) -> SiteSource | None:
    """The nearest folder holding ``mkdocs.yml`` and ``docs/``: from ``start`` (default: the
    working directory) upwards, then from the installed package upwards (an editable checkout)."""
    here = Path(__file__).resolve()
    for base in (start or Path.cwd(), here):
        for folder in (base, *base.parents):
            if (folder / "mkdocs.yml").is_file() and (folder / "docs").is_dir():
                return SiteSource(folder)
    return None


def render_pages(ctx: DocsContext, source: SiteSource | None,
                 cli: argparse.ArgumentParser | None = None) -> dict[str, str]:
    """Every generated page, by its path inside the docs folder (the CLI reference when the
    ``redress`` parser is given)."""
    pages = {INDEX: index_page(ctx), PARTNERSHIPS: partnerships_page(ctx)}
    pages.update({p.page: procedure_page(ctx, p) for p in ctx.procedures.values()})
    pages["guide/getting-started.md"] = getting_started(source.readme if source else None)
    pages["guide/case-format.md"] = format_page(
        "case", "Case format", "What `redress evaluate` and `Engine.evaluate` read: a YAML or JSON "
        "file, one case per file.", _example_case(source))
    pages["guide/result-format.md"] = format_page(
        "result", "Result format", "What `Result.to_dict()` returns; each line of "
        "`redress evaluate --format json` and `redress batch` is this object plus its `input` "
        "(see [Caseloads](caseloads.md#the-record-format)).")
    pages["guide/report-format.md"] = format_page(
        "report", "Report format", "What `redress report --format json` prints and "
        "`Engine.report` returns (see [Complaints reports](reports.md)).")
    if cli is not None:
        pages["guide/cli.md"] = cli_page(cli)
    pages["guide/api.md"] = api_page()
    return pages


def _example_case(source: SiteSource | None) -> str | None:
    example = source.root / "examples" / "EX-2025-0042.yaml" if source else None
    if example is None or not example.is_file():
        return None
    return ("The bundled example case (`examples/EX-2025-0042.yaml`):\n\n```yaml\n"
            + example.read_text(encoding="utf-8").rstrip() + "\n```")


def getting_started(readme: Path | None) -> str:
    """The README's set-up and usage sections, then how to build these pages."""
    text = readme.read_text(encoding="utf-8") if readme and readme.is_file() else ""
    sections = [m.group(0).strip() for m in re.finditer(
        r"(?ms)^## (?:Set up|Using it)\n.*?(?=^## |\Z)", text)]
    body = "\n\n".join(sections) or (
        "Install Redress with `pip install redress` and run `redress evaluate CASE.yaml`.")
    return ("# Getting started\n\nFrom the project's README.\n\n" + body + "\n\n"
            "## These pages\n\nThe reviewer documentation is generated from the same policies "
            "the engine runs, so it cannot drift from them:\n\n```sh\n.venv/bin/pip install -e "
            "'.[docs]'\n.venv/bin/redress docs build --out site/\n"
            "python3 -m http.server -d site/ 8000   # then open http://127.0.0.1:8000/\n```\n\n"
            "The site works offline: fonts come from the reader's system and the flowchart "
            "renderer is shipped with it.\n")


def check_output(folder: Path, option: str, sources: tuple[Path, ...],
                 hand_written: Path) -> None:
    """Refuse an output folder that a build would empty although Redress did not make it: a
    source (the checkout, a policy folder) or a folder holding one, anything in the hand-written
    ``docs/``, or a non-empty folder without :data:`BUILD_MARKER`.  Raises
    ``UnsafeOutputError`` saying why; nothing has been written or deleted by then."""
    target = folder.resolve()
    docs = hand_written.resolve()
    for source in (*sources, docs):
        kept = source.resolve()
        if kept == target or kept.is_relative_to(target):
            raise UnsafeOutputError(
                f"{option} {folder}: refusing to build into a folder that is or holds the sources "
                f"({kept}); the build replaces the folder's contents. Choose a new folder, "
                "e.g. site/")
    if target.is_relative_to(docs):
        raise UnsafeOutputError(f"{option} {folder}: refusing to build inside the hand-written "
                                f"pages ({docs}). Choose a folder outside docs/, e.g. site/")
    if target.exists() and not target.is_dir():
        raise UnsafeOutputError(f"{option} {folder}: is a file, not a folder")
    if target.is_dir() and any(target.iterdir()) and not (target / BUILD_MARKER).is_file():
        raise UnsafeOutputError(
            f"{option} {folder}: the folder is not empty and was not made by `redress docs "
            f"build` (it has no {BUILD_MARKER} file); refusing to replace what it holds. Choose "
            "an empty or new folder")


def mark_build(folder: Path) -> None:
    (folder / BUILD_MARKER).write_text("Made by `redress docs build`; the next build may replace "
                                       "everything in this folder.\n", encoding="utf-8")


def write_markdown(folder: Path, source: SiteSource, pages: Mapping[str, str]) -> None:
    """Copy the hand-written pages to ``folder`` and write the generated ones over them.
    ``folder`` must have passed :func:`check_output` (or be a fresh temporary folder)."""
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(source.docs, folder,
                    ignore=lambda d, names: [n for n in names if n in GENERATED_DIRS
                                             and Path(d) == source.docs])
    for rel, text in pages.items():
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    _link_verification(folder)


def _link_verification(folder: Path) -> None:
    """Give the verification page's entries ids and link every page's references to them."""
    register = folder / VERIFICATION
    if not register.is_file():
        return
    text, ids = anchor_entries(register.read_text(encoding="utf-8"))
    register.write_text(exclude_tables(text), encoding="utf-8")
    for page in folder.rglob("*.md"):
        rel = page.relative_to(folder).as_posix()
        if rel != VERIFICATION:
            original = page.read_text(encoding="utf-8")
            linked = link_references(original, rel, ids)
            if linked != original:
                page.write_text(linked, encoding="utf-8")


class _ConfigLoader(yaml.SafeLoader):
    """Reads ``mkdocs.yml`` for its nav only; mkdocs' own tags are kept as plain text."""


_ConfigLoader.add_multi_constructor(
    "tag:yaml.org,2002:python/", lambda loader, suffix, node: f"python/{suffix}")
_ConfigLoader.add_constructor("!ENV", lambda loader, node: None)


def site_nav(config: Path, ctx: DocsContext) -> list[Any]:
    """The project's nav with one page per procedure inserted after ``procedures/index.md``."""
    # _ConfigLoader is a SafeLoader that turns mkdocs' python/ and !ENV tags into plain text.
    data = yaml.load(config.read_text(encoding="utf-8"), Loader=_ConfigLoader)  # noqa: S506
    nav = list((data or {}).get("nav") or [])
    return _insert(nav, _procedure_nav(ctx))


def _procedure_nav(ctx: DocsContext) -> list[Any]:
    by_nation: dict[str, list[Any]] = {}
    examples: list[Any] = []
    for p in ctx.procedures.values():
        if p.is_example:  # kept apart from the real procedures
            examples.append({html.escape(p.policy.title): p.page})
            continue
        # The theme prints nav titles into every page's HTML unescaped: escape them here.
        by_nation.setdefault(NATIONS.get(p.policy.nation, p.policy.nation), []).append(
            {html.escape(p.policy.title): p.page})
    tail = [{"Examples (fictional)": examples}] if examples else []
    if len(by_nation) == 1:
        return [*next(iter(by_nation.values())), *tail]
    return [*({nation: items} for nation, items in by_nation.items()), *tail]


def _insert(nav: list[Any], pages: list[Any]) -> list[Any]:
    out: list[Any] = []
    for item in nav:
        if isinstance(item, Mapping) and len(item) == 1:
            (title, value), = item.items()
            if isinstance(value, list):
                out.append({title: _insert(value, pages)})
                continue
            out.append(item)
            if value == INDEX:
                out.extend(pages)
        else:
            out.append(item)
            if item == INDEX:
                out.extend(pages)
    return out


def build_site(out: Path, extra_paths: tuple[Path, ...] = (), source: SiteSource | None = None,
               markdown_dir: Path | None = None,
               cli: argparse.ArgumentParser | None = None) -> BuildReport:
    """Render the pages and build the site into ``out`` with ``mkdocs build --strict``."""
    started = time.monotonic()
    source = source or find_source()
    if source is None:
        raise NoSourceError("no mkdocs.yml with a docs/ folder here or above; run `redress "
                            "docs build` from a Redress checkout")
    sources = (source.root, *extra_paths)
    check_output(out, "--out", sources, source.docs)
    if markdown_dir is not None:
        check_output(markdown_dir, "--markdown", sources, source.docs)
        if markdown_dir.resolve() == out.resolve():
            raise UnsafeOutputError("--out and --markdown must be different folders")
    ctx = load_context(extra_paths, source.scenarios)
    pages = render_pages(ctx, source, cli)
    with tempfile.TemporaryDirectory(prefix="redress-docs-") as tmp:
        docs = markdown_dir.resolve() if markdown_dir else Path(tmp) / "docs"
        write_markdown(docs, source, pages)
        if markdown_dir is not None:
            mark_build(docs)
        config = Path(tmp) / "mkdocs.yml"
        derived = {"INHERIT": str(source.config.resolve()), "docs_dir": str(docs),
                   "site_dir": str(out.resolve()), "nav": site_nav(source.config, ctx),
                   "theme": {"custom_dir": str(THEME_DIR)}}
        config.write_text(yaml.safe_dump(derived, sort_keys=False, allow_unicode=True),
                          encoding="utf-8")
        # Marked before mkdocs runs (it keeps hidden files when it cleans), so that a build
        # that fails half-way leaves a folder the next build may still replace.
        out.resolve().mkdir(parents=True, exist_ok=True)
        mark_build(out.resolve())
        _mkdocs(config, source.root)
    add_row_entries(out.resolve())
    return BuildReport(out, tuple(sorted(pages)), tuple(ctx.procedures),
                       time.monotonic() - started)


def _mkdocs(config: Path, cwd: Path) -> None:
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "-f", str(config)]
    try:
        # A fixed argument list (no shell): this interpreter, mkdocs, and a config we wrote.
        done = subprocess.run(cmd, capture_output=True, text=True, env=env,  # noqa: S603
                              timeout=600, check=False, cwd=cwd)
    except FileNotFoundError as exc:  # pragma: no cover - sys.executable always exists
        raise SiteError(str(exc)) from exc
    if done.returncode != 0:
        if "No module named mkdocs" in done.stderr:
            raise SiteError("mkdocs is not installed: pip install 'redress[docs]'")
        raise SiteError("mkdocs build --strict failed:\n" + (done.stdout + done.stderr).strip())
