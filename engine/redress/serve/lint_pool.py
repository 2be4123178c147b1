"""``POST /v1/lint`` runs in worker processes that are really stopped at the time limit.

A hostile policy can make lint's checks slow, and Python cannot stop a thread: a thread given up
on at the time limit keeps the CPU busy long after its 503, and a few such requests slow every
other request to a crawl.  So lint runs in a small pool of separate processes (``python -m
redress.serve.lint_pool``: a fresh interpreter, so nothing of the server's threads is copied,
and the server's own ``__main__`` is never imported again).  A request takes an idle worker,
sends it the document and waits at most the time limit; a worker that overruns (or whose client
went away) is killed with SIGKILL and replaced by a fresh one on the next request.  At most
``size`` documents are linted at once per server process; a request that finds every worker
busy waits within its own time limit, then gets a 503.

The worker runs :func:`redress.policy.lint.lint_text` (the document in a private folder, laid
over the bundled set, each searching check within its work budget, as ``redress lint`` does);
every finding's file and message is cleaned of the server's
folders (the posted name, ``policies/…`` or ``rules/…`` for bundled files), so an answer never
reveals where the service is installed.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import tempfile
from multiprocessing.connection import Connection
from typing import Any

import anyio
import anyio.to_thread

from redress.resources import data_dir
from redress.serve.limits import over_time

START_SECONDS = 120.0  # starting a worker imports Redress and lints the bundled set once
# The documents' own findings; where a schema comment points depends on the server's folders.
IGNORED_CHECKS = ("missing-schema-comment",)
_ABSOLUTE_PATH = re.compile(r"(?<![\w:/.])/(?:[^\s/:'\"(),]+/)+([^\s/:'\"(),]+)")


def lint_document(text: str, name: str) -> list[dict[str, Any]]:
    """Lint ``text`` as a file called ``name`` over the bundled set; findings as plain dicts."""
    from redress.policy.lint import lint_text

    places = _places()
    return [{"file": _clean(r.file, places), "line": r.line, "column": r.col,
             "severity": r.severity, "check_id": r.check_id,
             "message": _clean(r.message, places),
             "hint": _clean(r.hint, places) if r.hint is not None else None}
            for r in lint_text(text, name, ignore=IGNORED_CHECKS)]


def _places() -> list[tuple[str, str]]:
    """The bundled folders and what to show instead, longest first."""
    pairs = [(tempfile.gettempdir() + "/", "")]
    for kind in ("policies", "rules"):
        for where in {str(data_dir(kind)), str(data_dir(kind).resolve())}:
            pairs.append((where + "/", kind + "/"))
    return sorted(pairs, key=lambda p: -len(p[0]))


def _clean(text: str, places: list[tuple[str, str]]) -> str:
    for where, shown in places:
        text = text.replace(where, shown)
    return _ABSOLUTE_PATH.sub(lambda m: m.group(1), text)  # any other absolute path: its name


def serve_forever() -> None:
    """A worker process: lint each document sent on standard input until it closes.

    Jobs and answers travel as pickles over the process's standard input and output (its own
    parent is the only other end); anything printed goes to standard error instead.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the server, which stops us
    jobs = Connection(os.dup(0), writable=False)
    answers = Connection(os.dup(1), readable=False)
    os.dup2(2, 1)  # a stray print must not corrupt the answers
    try:
        lint_document("{}\n", "warm-up.yaml")  # load and check the bundled set once, now
        answers.send("ready")
        while True:
            text, name = jobs.recv()
            try:
                answers.send(("ok", lint_document(text, name)))
            except Exception as exc:  # a bug in lint: its type only, the text may quote
                answers.send(("error", type(exc).__name__))
    except (EOFError, OSError, KeyboardInterrupt):
        return


class _Worker:
    """One lint process and the two ends of its pipes."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "redress.serve.lint_pool"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, start_new_session=True)
        assert self.process.stdin is not None and self.process.stdout is not None  # noqa: S101
        self.jobs = Connection(os.dup(self.process.stdin.fileno()), readable=False)
        self.answers = Connection(os.dup(self.process.stdout.fileno()), writable=False)
        self.process.stdin.close()
        self.process.stdout.close()
        if not self.answers.poll(START_SECONDS) or self.answers.recv() != "ready":
            self.kill()
            raise RuntimeError("a lint worker did not start")

    def exchange(self, job: tuple[str, str], seconds: float) -> Any:
        """Send a job and wait up to ``seconds`` for the answer (``None`` if none came)."""
        self.jobs.send(job)
        return self.answers.recv() if self.answers.poll(seconds) else None

    def kill(self) -> None:
        """Stop the process now (SIGKILL) and release its pipes."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(5)
        self.jobs.close()
        self.answers.close()


class LintPool:
    """Up to ``size`` lint worker processes, started when first needed (module docstring)."""

    def __init__(self, size: int, seconds: float) -> None:
        self.size = size
        self.seconds = seconds
        self._idle: list[_Worker] = []
        self._slots: anyio.Semaphore | None = None

    async def lint(self, text: str, name: str) -> list[dict[str, Any]]:
        """The findings for one document; a 503 when the time limit passes first."""
        if self._slots is None:
            self._slots = anyio.Semaphore(self.size)
        with anyio.move_on_after(self.seconds) as waiting:
            await self._slots.acquire()
        if waiting.cancelled_caught:
            raise over_time(self.seconds)
        try:
            return await self._run(text, name)
        finally:
            self._slots.release()

    async def _run(self, text: str, name: str) -> list[dict[str, Any]]:
        worker = self._idle.pop() if self._idle else await anyio.to_thread.run_sync(_Worker)
        reply = None
        try:
            reply = await anyio.to_thread.run_sync(worker.exchange, (text, name), self.seconds,
                                                   abandon_on_cancel=True)
        except (EOFError, OSError) as exc:  # the worker died under it
            raise RuntimeError(f"a lint worker process failed ({type(exc).__name__})") from None
        finally:
            if reply is None:  # over time, failed, or the request was cancelled: stop it now
                with anyio.CancelScope(shield=True):
                    await anyio.to_thread.run_sync(worker.kill)
            else:
                self._idle.append(worker)
        if reply is None:
            raise over_time(self.seconds)
        status, value = reply
        if status != "ok":
            raise RuntimeError(f"lint failed in its worker process ({value})")
        findings: list[dict[str, Any]] = value
        return findings

    def close(self) -> None:
        """Stop every idle worker (a busy one is stopped when its request ends)."""
        while self._idle:
            self._idle.pop().kill()


__all__ = ["IGNORED_CHECKS", "LintPool", "lint_document", "serve_forever"]

if __name__ == "__main__":
    serve_forever()
