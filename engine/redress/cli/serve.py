"""``redress serve [--host 127.0.0.1] [--port 8080] [--policies DIR] [--workers N] …``.

Runs the HTTP JSON service (``redress.serve``) under uvicorn.  The policies are loaded and
checked once before the server starts: invalid policies exit 1 with every problem listed, as
``redress evaluate`` does.  With ``--workers N`` (N > 1) uvicorn starts N processes, each loading
its own copy; they share nothing, so any of them can answer any request.  Every limit (sizes,
timeouts, connections) has an option; ``SECURITY.md`` lists them with their defaults.  Exit
codes: 0 after a clean shutdown (Ctrl-C), 1 invalid policies, 2 usage errors (a token file or
TLS file that cannot be used) or a port that cannot be opened.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from redress.cli import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE
from redress.cli.arguments import backend_option
from redress.errors import PolicyError
from redress.serve.config import ENV_VAR, LOOPBACK_HOSTS, ServiceConfig
from redress.serve.decisions import DecisionLogError, check_log_file

FACTORY = "redress.serve.app:app_from_environment"
_D = ServiceConfig()


def add_parser(sub: Any) -> None:
    """The ``serve`` subcommand and its options."""
    parser = sub.add_parser(
        "serve", help="run the HTTP JSON service for case-management systems",
        description="Run the HTTP JSON service under uvicorn: evaluate cases, batches, lint, "
                    "procedures and calendars. Once it runs, GET /docs describes every endpoint "
                    "and /openapi.json is the OpenAPI 3.1 document. SECURITY.md lists every "
                    "limit with its default.")
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default: 127.0.0.1, this machine only)")
    parser.add_argument("--port", type=_port, default=8080, help="port (default: 8080)")
    parser.add_argument("--policies", action="append", default=[], metavar="DIR",
                        help="local policy/rule files or folders to add to the bundled ones")
    parser.add_argument("--workers", type=_positive, default=1, metavar="N",
                        help="worker processes (default: 1)")
    backend_option(parser)
    _security_options(parser)
    _limit_options(parser)
    parser.add_argument("--admin-reload", action="store_true",
                        help="enable POST /v1/admin/reload (off by default; needs --token-file "
                             "with an admin token)")
    parser.add_argument("--no-access-log", dest="log_requests", action="store_false",
                        help="do not write the JSON-lines request log to standard error")
    parser.add_argument("--decision-log", metavar="FILE",
                        help="append one JSON line per evaluation to FILE, for audit: decision "
                             "id, time, policy set hash, as-of date, procedure, stage and "
                             "status, without the case's contents")
    parser.add_argument("--decision-log-cases", action="store_true",
                        help="with --decision-log: write each case's contents too (they hold "
                             "personal data)")


def _security_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--token-file", metavar="FILE",
                        help="require a bearer token: FILE holds their hashes, one per line "
                             "(made by `redress token new`)")
    parser.add_argument("--ssl-certfile", metavar="FILE",
                        help="serve HTTPS with this certificate (PEM, chain included)")
    parser.add_argument("--ssl-keyfile", metavar="FILE", help="the certificate's private key")
    parser.add_argument("--allow-host", action="append", default=[], metavar="NAME",
                        help="also answer requests whose Host header is NAME (default: only "
                             "localhost, 127.0.0.1, ::1 and the --host address; '*' for any)")


def _limit_options(parser: argparse.ArgumentParser) -> None:
    def option(flag: str, kind: Any, default: Any, what: str, metavar: str = "N") -> None:
        parser.add_argument(flag, type=kind, default=default, metavar=metavar,
                            help=f"{what} (default: %(default)s)")

    option("--time-limit", _seconds, _D.time_limit_seconds,
           "per-request (and per batch record) time limit", "SECONDS")
    option("--batch-time-limit", _seconds, _D.batch_time_limit_seconds,
           "total time limit of one batch, reading included", "SECONDS")
    option("--header-timeout", _seconds, _D.header_timeout_seconds,
           "time a connection has to send a request's headers", "SECONDS")
    option("--body-timeout", _seconds, _D.body_timeout_seconds,
           "time a body has to arrive (the longest pause inside a batch)", "SECONDS")
    option("--keep-alive", _seconds, _D.keep_alive_seconds,
           "how long an idle connection is kept open", "SECONDS")
    option("--limit-concurrency", _positive, _D.max_connections,
           "open connections per worker (lowered to fit the open-file limit)")
    option("--limit-per-client", _int, _D.max_client_connections,
           "open connections from one client address (0: no limit, e.g. behind a proxy)")
    option("--max-batches", _positive, _D.max_batches, "batches evaluated at once per worker")
    option("--lint-workers", _positive, _D.lint_workers, "lint processes per worker")
    option("--max-body", _positive, _D.max_body_bytes,
           "largest case, policy or batch record", "BYTES")
    option("--max-batch", _positive, _D.max_batch_bytes, "largest batch body", "BYTES")


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


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not 0 < value < 1e6:
        raise argparse.ArgumentTypeError(f"{text!r} must be more than 0 seconds")
    return value


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None


def allowed_hosts(host: str, extra: list[str]) -> tuple[str, ...]:
    """Loopback names, the listening address when it is a specific one, and ``--allow-host``."""
    names = [*LOOPBACK_HOSTS]
    try:
        if not ipaddress.ip_address(host).is_unspecified:
            names.append(host)
    except ValueError:
        names.append(host)  # a host name given to listen on
    names += [name.strip().lower().strip("[]") for name in extra]
    return tuple(dict.fromkeys(n.lower() for n in names))


def config_from(args: argparse.Namespace, max_connections: int | None = None) -> ServiceConfig:
    """The service settings the options describe."""
    return ServiceConfig(
        policies=tuple(args.policies), backend=args.backend, max_body_bytes=args.max_body,
        max_batch_bytes=args.max_batch, time_limit_seconds=args.time_limit,
        batch_time_limit_seconds=args.batch_time_limit,
        header_timeout_seconds=args.header_timeout, body_timeout_seconds=args.body_timeout,
        keep_alive_seconds=args.keep_alive,
        max_connections=max_connections or args.limit_concurrency,
        max_client_connections=max(0, args.limit_per_client),
        max_batches=args.max_batches, lint_workers=args.lint_workers,
        allowed_hosts=allowed_hosts(args.host, args.allow_host),
        token_file=os.path.abspath(args.token_file) if args.token_file else None,
        admin_reload=args.admin_reload, log_requests=args.log_requests,
        decision_log=str(Path(args.decision_log).resolve()) if args.decision_log else None,
        decision_log_cases=args.decision_log_cases)


def _usage_problem(args: argparse.Namespace) -> str | None:
    from redress.serve.auth import TokenFileError, TokenSet

    if bool(args.ssl_certfile) != bool(args.ssl_keyfile):
        return "--ssl-certfile and --ssl-keyfile go together"
    for path in (args.ssl_certfile, args.ssl_keyfile):
        if path and not os.path.isfile(path):
            return f"{path}: no such file"
    tokens = None
    if args.token_file:
        try:
            tokens = TokenSet.load(args.token_file)
        except TokenFileError as exc:
            return str(exc)
        if not tokens.tokens:
            return f"{args.token_file}: the token file holds no token"
    if args.admin_reload and (tokens is None or not tokens.has_role("admin")):
        return "--admin-reload needs --token-file with a token of the admin role " \
               "(`redress token new --role admin`)"
    if args.decision_log_cases and not args.decision_log:
        return "--decision-log-cases needs --decision-log FILE"
    if args.decision_log:
        try:
            check_log_file(Path(args.decision_log))
        except DecisionLogError as exc:
            return f"--decision-log {exc}"
    return None


def run(args: argparse.Namespace) -> int:
    """Check the settings and policies, then serve until stopped."""
    from redress.evaluation.evaluate import Engine
    from redress.serve.protocol import connection_cap, descriptor_limit

    problem = _usage_problem(args)
    if problem is not None:
        print(f"redress serve: {problem}", file=sys.stderr)
        return EXIT_USAGE
    config = config_from(args, connection_cap(args.limit_concurrency, descriptor_limit()))
    try:
        engine = Engine.load(config.policies, backend=config.backend)
    except PolicyError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_FINDINGS
    try:
        _serve(args, config, engine)
    except SystemExit as exc:  # uvicorn exits when it cannot start (e.g. the port is taken)
        if exc.code not in (None, 0):
            print(f"redress serve: the server could not start on {args.host}:{args.port}",
                  file=sys.stderr)
            return EXIT_USAGE
    return EXIT_OK


def _serve(args: argparse.Namespace, config: ServiceConfig, engine: Any) -> None:
    import uvicorn

    from redress.serve.access_log import server_log_config
    from redress.serve.app import create_app
    from redress.serve.metrics import MULTIPROCESS_ENV
    from redress.serve.protocol import ConnectionRules, protocol_factory

    rules = ConnectionRules(config.max_connections, config.header_timeout_seconds,
                            config.max_client_connections)
    common: dict[str, Any] = {
        "host": args.host, "port": args.port, "access_log": False,
        "log_config": server_log_config(), "http": protocol_factory(rules),
        "timeout_keep_alive": config.keep_alive_seconds,
        "ssl_certfile": args.ssl_certfile, "ssl_keyfile": args.ssl_keyfile}
    if args.workers == 1:
        uvicorn.run(create_app(config, engine), **common)
        return
    engine.close()  # each worker process loads its own
    os.environ[ENV_VAR] = config.to_env()
    # Each worker counts its own metrics in this folder; /metrics adds them up.
    folder = tempfile.mkdtemp(prefix="redress-metrics-")
    os.environ[MULTIPROCESS_ENV] = folder
    try:
        uvicorn.run(FACTORY, factory=True, workers=args.workers, **common)
    finally:
        shutil.rmtree(folder, ignore_errors=True)  # made above, by this run
