"""``redress token new --token-file FILE [--role client|admin] [--name NAME]``.

Makes a random bearer token for ``redress serve --token-file FILE``: the token is printed once,
on standard output, for the calling system to keep; only its hash is added to FILE (created
with owner-only permissions if missing), so the file on the server cannot be replayed.
``redress token hash`` prints the line for a token read from standard input instead, for a
token made elsewhere.  Exit codes: 0 done, 2 the file cannot be written.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from redress.cli import EXIT_OK, EXIT_USAGE
from redress.serve.auth import ROLES, hash_token, new_token


def add_parser(sub: Any) -> None:
    """The ``token`` subcommand: ``new`` and ``hash``."""
    parser = sub.add_parser("token", help="make bearer tokens for redress serve --token-file",
                            description="Bearer tokens for the HTTP service: the service keeps "
                                        "only their hashes.")
    actions = parser.add_subparsers(dest="token_command", metavar="ACTION", required=True)
    new = actions.add_parser("new", help="make a token, print it once, add its hash to FILE")
    new.add_argument("--token-file", required=True, metavar="FILE",
                     help="the file redress serve --token-file reads (created if missing)")
    _line_options(new)
    hashed = actions.add_parser("hash", help="print the token-file line for a token on "
                                             "standard input")
    _line_options(hashed)


def _line_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--role", choices=ROLES, default="client",
                        help="client: every endpoint but admin ones; admin: all (default: client)")
    parser.add_argument("--name", default="token", type=_name,
                        help="a name for the logs and the file (letters, digits, . _ -)")


def _name(text: str) -> str:
    if not text or len(text) > 64 or not all(c.isascii() and (c.isalnum() or c in "._-")
                                               for c in text):
        raise argparse.ArgumentTypeError(f"{text!r}: use 1-64 letters, digits, '.', '_' or '-'")
    return text


def run(args: argparse.Namespace) -> int:
    """Make or hash a token."""
    if args.token_command == "hash":  # noqa: S105 (a subcommand name, not a password)
        token = sys.stdin.readline().strip()
        if not token:
            print("redress token: no token on standard input", file=sys.stderr)
            return EXIT_USAGE
        print(f"{hash_token(token)} {args.role} {args.name}")
        return EXIT_OK
    token = new_token()
    line = f"{hash_token(token)} {args.role} {args.name}\n"
    try:
        # Appended, never overwritten; a symbolic link is not followed.
        flags = os.O_RDWR | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
        descriptor = os.open(args.token_file, flags, 0o600)
        with os.fdopen(descriptor, "r+b") as handle:
            size = handle.seek(0, os.SEEK_END)
            handle.seek(max(size - 1, 0))
            if size and handle.read(1) != b"\n":
                line = "\n" + line
            handle.write(line.encode("utf-8"))
    except OSError as exc:
        print(f"redress token: cannot write {args.token_file}: {exc.strerror or exc}",
              file=sys.stderr)
        return EXIT_USAGE
    print(token)
    return EXIT_OK
