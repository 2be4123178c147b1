"""``redress docs build [--out DIR] [--policies PATH] [--markdown DIR]``: the reviewer site.

Renders a page per procedure (summary, flowchart, stage-by-stage tables, entitlements,
ambiguities, version diffs, worked examples from the scenario tests), the side-by-side index,
partnership protocols and the user guide from the policies and schemas, then runs
``mkdocs build --strict``.  Needs a Redress checkout (``mkdocs.yml`` and ``docs/``) and the
``docs`` extra.  Exit 0 built, 1 a policy is invalid or mkdocs failed, 2 usage error or no
checkout found, or an output folder that is unsafe to fill.

The build replaces the contents of ``--out`` and ``--markdown``, so it refuses a non-empty
folder it did not create (each build leaves a ``.redress-build`` marker file), the checkout, its
``docs/`` and any folder that holds the sources.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from redress.cli import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, _available_commands, build_parser
from redress.cli.output import printable
from redress.errors import PolicyError


def add_parser(sub: Any) -> None:
    parser = sub.add_parser("docs", help="build the reviewer documentation site",
                            description="Build the reviewer documentation site from the policies.")
    actions = parser.add_subparsers(dest="docs_command", metavar="ACTION", required=True)
    build = actions.add_parser(
        "build", help="render the policies to Markdown and build the site with mkdocs",
        description="Render every bundled (and --policies) policy to a page and build the "
                    "static site with mkdocs build --strict. It works offline. The build "
                    "replaces what --out and --markdown hold, so it refuses a non-empty folder "
                    "that an earlier build did not make (one without a .redress-build file), "
                    "the checkout, docs/ and any folder holding the sources.")
    build.add_argument("--out", type=Path, default=Path("site"), metavar="DIR",
                       help="where to write the site (default: site/)")
    build.add_argument("--policies", action="append", default=[], type=Path, metavar="PATH",
                       help="local policy/rule files or folders to document with the bundled "
                            "ones")
    build.add_argument("--markdown", type=Path, default=None, metavar="DIR",
                       help="also keep the rendered Markdown in DIR (replaced if it is a previous "
                            "build's; a non-empty folder Redress did not create is refused)")
    build.add_argument("--source", type=Path, default=None, metavar="DIR",
                       help="the checkout holding mkdocs.yml and docs/ (default: found from "
                            "the working directory)")


def run(args: argparse.Namespace) -> int:
    from redress.docs.site import (
        NoSourceError,
        SiteError,
        SiteSource,
        UnsafeOutputError,
        build_site,
    )

    missing = [str(p) for p in args.policies if not p.exists()]
    if args.source and not (args.source / "mkdocs.yml").is_file():
        missing.append(str(args.source / "mkdocs.yml"))
    if missing:
        print(f"redress docs: no such file or folder: {', '.join(missing)}", file=sys.stderr)
        return EXIT_USAGE
    source = SiteSource(args.source.resolve()) if args.source else None
    try:
        report = build_site(args.out, tuple(args.policies), source, args.markdown,
                            build_parser(_available_commands()))
    except PolicyError as exc:
        print(printable(str(exc)), file=sys.stderr)
        return EXIT_FINDINGS
    except (NoSourceError, UnsafeOutputError) as exc:
        print(f"redress docs: {printable(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    except SiteError as exc:
        print(f"redress docs: {printable(str(exc))}", file=sys.stderr)
        return EXIT_FINDINGS
    print(f"Built {len(report.pages)} generated pages ({len(report.procedures)} procedures) "
          f"into {report.out}/ in {report.seconds:.1f}s")
    return EXIT_OK
