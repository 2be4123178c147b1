"""Connection limits below the application: how many, and how long a client may take.

uvicorn closes an idle keep-alive connection, but it sets no limit on a connection that never
sends a request, or sends its headers a byte at a time, and it accepts connections until the
process runs out of file descriptors (then asyncio reports every failed ``accept`` with a
traceback, thousands a second, and the service answers no one); its C parser (httptools) also
keeps a request's head whatever its size.  :class:`GuardedHttpToolsProtocol` is uvicorn's
httptools protocol with three more rules:

* at most ``max_connections`` open connections per worker process, and at most
  ``max_per_client`` from one client address (0: no such limit, e.g. behind a reverse proxy),
  so one client cannot hold every slot; one more is answered with a 503 and closed at once,
  giving its descriptor back;
* a connection must send a request's complete headers within ``header_timeout`` seconds of
  opening (or of the first byte after a previous answer); otherwise it gets a 408 (if it sent
  anything) and is closed;
* a request line and headers of at most ``max_header_bytes`` (16 KiB, as uvicorn's h11
  protocol allowed); a longer head gets a 431 and the connection is closed, before the parser
  has kept more than that.

Request bodies are timed by the application (:mod:`redress.serve.limits`), which knows how long
each route may wait.  Every refusal is one rate-limited JSON line (:mod:`redress.serve.events`).
"""

from __future__ import annotations

import asyncio
import json
import resource
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from redress.serve.contract import HEADERS, versions
from redress.serve.events import EventLog

# Descriptors kept back for everything that is not a client connection: the listening
# socket, logs, policy files read at reload, lint workers' pipes and uvicorn's own.
RESERVED_DESCRIPTORS = 64
MAX_HEADER_BYTES = 16 * 1024  # a request line and headers (what uvicorn's h11 protocol allowed)


def descriptor_limit() -> int:
    """Raise this process's open-file limit to its hard limit; return the limit now in force."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft < hard:
        target = hard if hard != resource.RLIM_INFINITY else max(soft, 65536)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError):
            pass  # not allowed here: keep the soft limit
    return soft


def connection_cap(wanted: int, descriptors: int) -> int:
    """``wanted``, lowered so the connections fit in ``descriptors`` with some to spare."""
    return max(1, min(wanted, descriptors - RESERVED_DESCRIPTORS, descriptors * 3 // 4))


@dataclass
class ConnectionRules:
    """The limits every connection of one worker process lives under (picklable for workers)."""

    max_connections: int
    header_timeout: float
    max_per_client: int = 0
    max_header_bytes: int = MAX_HEADER_BYTES
    _events: EventLog | None = field(default=None, repr=False, compare=False)
    _per_client: dict[str, int] = field(default_factory=dict, repr=False, compare=False)

    @property
    def events(self) -> EventLog:
        """This process's event log for connection events, made on first use."""
        if self._events is None:
            self._events = EventLog()
        return self._events

    def __getstate__(self) -> dict[str, Any]:
        return {"max_connections": self.max_connections, "header_timeout": self.header_timeout,
                "max_per_client": self.max_per_client, "max_header_bytes": self.max_header_bytes,
                "_events": None, "_per_client": {}}

    def admit(self, client: str, open_connections: int) -> str | None:
        """Count a new connection from ``client``; why it is refused, if it is."""
        if open_connections > self.max_connections:
            return "connection limit"
        count = self._per_client.get(client, 0) + 1
        self._per_client[client] = count
        if self.max_per_client and count > self.max_per_client:
            return "per-client connection limit"
        return None

    def release(self, client: str) -> None:
        """Forget one connection from ``client`` (it was admitted)."""
        count = self._per_client.get(client, 0) - 1
        if count > 0:
            self._per_client[client] = count
        else:
            self._per_client.pop(client, None)


def _plain_response(status: str, message: str, kind: str) -> bytes:
    body = json.dumps({"error": {"status": int(status.split()[0]), "kind": kind,
                                 "message": message, "problems": []}, **versions()}).encode()
    stamp = "".join(f"{name}: {value}\r\n" for name, value in HEADERS)
    return (f"HTTP/1.1 {status}\r\ncontent-type: application/json\r\n"
            f"content-length: {len(body)}\r\nconnection: close\r\nretry-after: 1\r\n{stamp}\r\n"
            ).encode("ascii") + body


BUSY = _plain_response("503 Service Unavailable",
                       "the service has as many connections as it takes; try again shortly",
                       "busy")
HEADER_TIMEOUT = _plain_response("408 Request Timeout",
                                 "the request's headers did not arrive in time", "timeout")
HEADERS_TOO_LARGE = _plain_response("431 Request Header Fields Too Large",
                                    f"the request line and headers are larger than "
                                    f"{MAX_HEADER_BYTES} bytes", "too_large")


class GuardedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol (llhttp, in C: it reads and writes a request in a fraction
    of the time of uvicorn's pure-Python h11 protocol) with the connection cap, the header
    timeout and the header size limit (module docstring)."""

    def __init__(self, *args: Any, rules: ConnectionRules, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rules = rules
        self._header_timer: asyncio.TimerHandle | None = None
        self._bytes_waiting = False
        self._counted: str | None = None
        # The request head being read: its bytes so far and the last three (an end of the
        # head split between two reads).  llhttp itself keeps a head of any size.
        self._reading_head = True
        self._head_bytes = 0
        self._head_tail = b""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        """Admit the connection (or answer 503 and close it) and start its header timer."""
        super().connection_made(transport)
        client = self.client[0] if self.client else "-"
        refused = self.rules.admit(client, len(self.connections))
        if refused != "connection limit":
            self._counted = client
        if refused is not None:
            self.rules.events.note("connection_refused", reason=refused,
                                   limit=self.rules.max_connections,
                                   per_client=self.rules.max_per_client)
            transport.write(BUSY)
            transport.close()
            return
        self._arm_header_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        """Stop the timer and give the connection's place back."""
        self._disarm_header_timer()
        if self._counted is not None:
            self.rules.release(self._counted)
            self._counted = None
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        """Hand the bytes to the parser (unless the head is over its limit); time the next
        request's headers, or stop timing them."""
        if not self._head_fits(data):
            self.rules.events.note("headers_refused", limit=self.rules.max_header_bytes)
            self._disarm_header_timer()
            self.transport.write(HEADERS_TOO_LARGE)
            self.transport.close()
            return
        super().data_received(data)
        if self.transport.is_closing():
            self._disarm_header_timer()
        elif self.cycle is None or self.cycle.response_complete:
            self._bytes_waiting = True  # part of the next request's headers
            if self._header_timer is None:
                self._arm_header_timer()
        else:
            self._disarm_header_timer()  # the headers are in; the application times the body

    def on_headers_complete(self) -> None:
        """The head is read: what follows is its body."""
        self._reading_head, self._head_bytes, self._head_tail = False, 0, b""
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        """The request is read: what follows is the next request's head."""
        self._reading_head = True
        super().on_message_complete()

    def _head_fits(self, data: bytes) -> bool:
        """Count ``data`` towards the head being read; ``False`` once the head passes the
        limit without ending (a blank line ends it; what follows it is body)."""
        if not self._reading_head:
            return True
        room = self.rules.max_header_bytes - self._head_bytes
        window = self._head_tail + data[:max(room, 0)]
        if b"\r\n\r\n" in window or b"\n\n" in window:
            return True  # the head ends within the limit
        if len(data) > room:
            return False
        self._head_bytes += len(data)
        self._head_tail = window[-3:]
        return True

    def _arm_header_timer(self) -> None:
        self._header_timer = self.loop.call_later(self.rules.header_timeout, self._header_late)

    def _disarm_header_timer(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None
        self._bytes_waiting = False

    def _header_late(self) -> None:
        self._header_timer = None
        if self.transport.is_closing():
            return
        if self.cycle is not None and not self.cycle.response_complete:
            return  # a request is being answered: not waiting for headers
        self.rules.events.note("header_timeout", seconds=self.rules.header_timeout,
                               partial=self._bytes_waiting)
        if self._bytes_waiting:
            self.transport.write(HEADER_TIMEOUT)
        self.transport.close()


def protocol_factory(rules: ConnectionRules) -> Any:
    """What uvicorn's ``http=`` takes: the protocol class with these rules bound in."""
    return partial(GuardedHttpToolsProtocol, rules=rules)


__all__ = ["MAX_HEADER_BYTES", "RESERVED_DESCRIPTORS", "ConnectionRules",
           "GuardedHttpToolsProtocol", "connection_cap",
           "descriptor_limit", "protocol_factory"]
