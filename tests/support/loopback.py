"""A real HTTP server on 127.0.0.1 that records every request and answers from a script.

Tests queue replies (status, headers, body, delay) or set a responder function; when the queue is empty the
server answers the default reply. Requests are recorded with their raw bytes, so tests can compare exactly
what two SDKs put on the wire.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

__all__ = ["Loopback", "Part", "Recorded", "Reply", "multipart_parts"]


@dataclass
class Reply:
    status: int = 200
    body: Any = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0

    def payload(self) -> tuple[bytes, dict[str, str]]:
        headers = dict(self.headers)
        if isinstance(self.body, (dict, list)):
            headers.setdefault("Content-Type", "application/json")
            return json.dumps(self.body).encode(), headers
        if isinstance(self.body, str):
            headers.setdefault("Content-Type", "text/plain; charset=utf-8")
            return self.body.encode(), headers
        return bytes(self.body), headers


@dataclass
class Recorded:
    method: str
    target: str
    headers: dict[str, str]
    body: bytes

    @property
    def path(self) -> str:
        return urlsplit(self.target).path

    @property
    def query(self) -> list[tuple[str, str]]:
        return parse_qsl(urlsplit(self.target).query, keep_blank_values=True)

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    @property
    def media_type(self) -> str:
        return (self.header("content-type") or "").split(";", 1)[0].strip()

    def parts(self) -> list[Part]:
        return multipart_parts(self.header("content-type") or "", self.body)

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass(frozen=True, order=True)
class Part:
    name: str
    filename: str | None
    content_type: str | None
    data: bytes


def multipart_parts(content_type: str, body: bytes) -> list[Part]:
    """The parts of a multipart/form-data body, parsed by the standard library's email parser."""
    message = BytesParser(policy=HTTP).parsebytes(
        b"Content-Type: " + content_type.encode() + b"\r\nMIME-Version: 1.0\r\n\r\n" + body
    )
    assert message.is_multipart(), f"not multipart: {content_type}"
    parts = []
    for part in message.iter_parts():
        disposition = part.get("Content-Disposition", "")
        assert disposition.startswith("form-data"), disposition
        raw_type = part.get("Content-Type")
        parts.append(
            Part(
                name=part.get_param("name", header="content-disposition"),
                filename=part.get_filename(),
                content_type=str(raw_type) if raw_type is not None else None,
                data=part.get_payload(decode=True) or b"",
            )
        )
    return parts


class Loopback:
    """Start with `with Loopback() as server:`; `server.url` is its base URL."""

    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self.replies: deque[Reply] = deque()
        self.default = Reply(200, {"ok": True})
        self.responder: Callable[[Recorded], Reply] | None = None
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def setup(self) -> None:
                super().setup()
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # no 40 ms Nagle stalls

            def handle_one(self) -> None:
                length = self.headers.get("Content-Length")
                if length is not None:
                    body = self.rfile.read(int(length))
                elif self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                    body = self._chunked()
                else:
                    body = b""
                recorded = Recorded(
                    self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body
                )
                with server._lock:
                    server.requests.append(recorded)
                    if server.replies:
                        reply = server.replies.popleft()
                    elif server.responder is not None:
                        reply = server.responder(recorded)
                    else:
                        reply = server.default
                if reply.delay:
                    time.sleep(reply.delay)
                payload, headers = reply.payload()
                try:
                    self.send_response(reply.status)
                    for key, value in headers.items():
                        self.send_header(key, value)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

            def _chunked(self) -> bytes:
                out = b""
                while True:
                    size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                    if size == 0:
                        self.rfile.readline()
                        return out
                    out += self.rfile.read(size)
                    self.rfile.readline()

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = handle_one

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def reply(self, *replies: Reply) -> None:
        self.replies.extend(replies)

    def __enter__(self) -> Loopback:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
