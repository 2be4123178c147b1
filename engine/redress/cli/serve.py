"""``redress serve [--host 127.0.0.1] [--port 8080] [--policies DIR] [--workers N]
[--decision-log FILE]``.

Runs the HTTP JSON service (``redress.serve``) under uvicorn.  The policies are loaded and
checked once before the server starts: invalid policies exit 1 with every problem listed, as
``redress evaluate`` does.  With ``--workers N`` (N > 1) uvicorn starts N processes, each loading
its own copy; they share nothing, so any of them can answer any request.  Exit codes: 0 after a
clean shutdown (Ctrl-C), 1 invalid policies, 2 usage errors or a port that cannot be opened.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from redress.cli import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE
from redress.errors import PolicyError
from redress.serve.config import ENV_VAR, ServiceConfig
from redress.serve.decisions import DecisionLogError, check_log_file

FACTORY = "redress.serve.app:app_from_environment"


def add_parser(sub: Any) -> None:
    parser = sub.add_parser(
        "serve", help="run the HTTP JSON service for case-management systems",
        description="Run the HTTP JSON service under uvicorn: evaluate cases, batches, lint, "
                    "procedures and calendars. Once it runs, GET /docs describes every endpoint "
                    "and /openapi.json is the OpenAPI 3.1 document.")
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default: 127.0.0.1, this machine only)")
    parser.add_argument("--port", type=_port, default=8080, help="port (default: 8080)")
    parser.add_argument("--policies", action="append", default=[], metavar="DIR",
                        help="local policy/rule files or folders to add to the bundled ones")
    parser.add_argument("--workers", type=_positive, default=1, metavar="N",
                        help="worker processes (default: 1)")
    parser.add_argument("--backend", choices=("auto", "durable", "plain"), default="auto",
                        help="rule backend (default: durable-rules when installed)")
    parser.add_argument("--time-limit", type=float, default=ServiceConfig.time_limit_seconds,
                        metavar="SECONDS", help="per-request time limit (default: %(default)s)")
    parser.add_argument("--max-body", type=_positive, default=ServiceConfig.max_body_bytes,
                        metavar="BYTES", help="largest case or policy body (default: %(default)s)")
    parser.add_argument("--max-batch", type=_positive, default=ServiceConfig.max_batch_bytes,
                        metavar="BYTES", help="largest batch body (default: %(default)s)")
    parser.add_argument("--admin-reload", action="store_true",
                        help="enable POST /v1/admin/reload (off by default)")
    parser.add_argument("--no-access-log", dest="log_requests", action="store_false",
                        help="do not write the JSON-lines request log to standard error")
    parser.add_argument("--decision-log", metavar="FILE",
                        help="append one JSON line per evaluation to FILE, for audit: decision "
                             "id, time, policy set hash, as-of date, procedure, stage and "
                             "status, without the case's contents")
    parser.add_argument("--decision-log-cases", action="store_true",
                        help="with --decision-log: write each case's contents too (they hold "
                             "personal data)")


def _port(text: str) -> int:
    value = _int(text)
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port (0-65535)")
    return value


def _positive(text: str) -> int:
    value = _int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive whole number")
    return value


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None


def config_from(args: argparse.Namespace) -> ServiceConfig:
    return ServiceConfig(policies=tuple(args.policies), backend=args.backend,
                         max_body_bytes=args.max_body, max_batch_bytes=args.max_batch,
                         time_limit_seconds=args.time_limit, admin_reload=args.admin_reload,
                         log_requests=args.log_requests,
                         decision_log=str(Path(args.decision_log).resolve())
                         if args.decision_log else None,
                         decision_log_cases=args.decision_log_cases)


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from redress.evaluation.evaluate import Engine
    from redress.serve.access_log import server_log_config
    from redress.serve.app import create_app

    if args.time_limit <= 0:
        print("redress serve: --time-limit must be more than 0 seconds", file=sys.stderr)
        return EXIT_USAGE
    if args.decision_log_cases and not args.decision_log:
        print("redress serve: --decision-log-cases needs --decision-log FILE", file=sys.stderr)
        return EXIT_USAGE
    if args.decision_log:
        try:
            check_log_file(Path(args.decision_log))
        except DecisionLogError as exc:
            print(f"redress serve: --decision-log {exc}", file=sys.stderr)
            return EXIT_USAGE
    config = config_from(args)
    try:
        engine = Engine.load(config.policies, backend=config.backend)
    except PolicyError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_FINDINGS
    try:
        if args.workers == 1:
            uvicorn.run(create_app(config, engine), host=args.host, port=args.port,
                        access_log=False, log_config=server_log_config())
        else:
            engine.close()  # each worker process loads its own
            os.environ[ENV_VAR] = config.to_env()
            uvicorn.run(FACTORY, factory=True, workers=args.workers, host=args.host,
                        port=args.port, access_log=False, log_config=server_log_config())
    except SystemExit as exc:  # uvicorn exits when it cannot start (e.g. the port is taken)
        if exc.code not in (None, 0):
            print(f"redress serve: the server could not start on {args.host}:{args.port}",
                  file=sys.stderr)
            return EXIT_USAGE
    return EXIT_OK
