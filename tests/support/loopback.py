"""A real HTTP server on 127.0.0.1 that records every request and answers from a script.

Tests queue replies (status, headers, body, delay) with `server.reply(...)`, or set `server.responder`
(a function of the recorded request); when the queue is empty and there is no responder, the server
answers `server.default` (200 with a small JSON object). Every request is recorded with its raw body
bytes, so a test can compare exactly what two SDKs put on the wire. `multipart_parts` reads a
multipart/form-data body back into its parts, byte-exact.

Faults: `cut=N` sends N bytes of a body whose Content-Length says more and hangs up; `drop=True` hangs
up after a reply's chunks without the one that ends the body.

A reply with `chunks` is sent with chunked transfer encoding, one chunk at a time with `chunk_delay`
seconds between them (server-sent events, say); the reply records when each chunk was sent (`sent`,
`time.monotonic()` values, taken just before each write) and whether the client hung up before the end (`aborted`).
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

__all__ = ["Loopback", "Part", "Recorded", "Reply", "dead_port", "multipart_parts"]


@dataclass
class Reply:
    """One scripted answer: a dict or list body is sent as JSON, a str as text, bytes as they are.

    With `chunks` (bytes or str each), the body is those chunks instead, sent one by one with chunked
    transfer encoding and `chunk_delay` seconds before each chunk after the first.
    """

    status: int = 200
    body: Any = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    chunks: list[bytes | str] | None = None
    chunk_delay: float = 0.0
    #: when each chunk was sent (time.monotonic(), just before writing it), filled in as they go out
    sent: list[float] = field(default_factory=list)
    #: whether the client closed the connection before the last chunk went out
    aborted: bool = False
    #: set once the whole reply is sent or abandoned
    finished: threading.Event = field(default_factory=threading.Event)
    #: a fault: send only this many bytes of the body (its Content-Length says the whole), then hang up
    cut: int | None = None
    #: a fault: hang up after the chunks, without the chunk that ends the body
    drop: bool = False

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
    """One request as the server received it."""

    method: str
    target: str
    header_list: list[tuple[str, str]]
    body: bytes
    at: float = field(default_factory=time.monotonic)

    @property
    def headers(self) -> dict[str, str]:
        """The headers by lower-case name (the last one wins)."""
        return {k.lower(): v for k, v in self.header_list}

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    @property
    def path(self) -> str:
        return urlsplit(self.target).path

    @property
    def query_string(self) -> str:
        return urlsplit(self.target).query

    @property
    def query(self) -> list[tuple[str, str]]:
        return parse_qsl(self.query_string, keep_blank_values=True)

    @property
    def media_type(self) -> str:
        """The content type without its parameters (such as the multipart boundary)."""
        return (self.header("content-type") or "").split(";", 1)[0].strip().lower()

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


def _params(value: str) -> Message:
    message = Message()
    message["X"] = value
    return message


def multipart_parts(content_type: str, body: bytes) -> list[Part]:
    """The parts of a multipart/form-data body, split on its boundary (so the bytes are exact)."""
    media_type = content_type.split(";", 1)[0].strip().lower()
    assert media_type == "multipart/form-data", f"not multipart: {content_type!r}"
    boundary = _params(content_type).get_param("boundary", header="x")
    assert isinstance(boundary, str) and boundary, f"no boundary in {content_type!r}"
    chunks = (b"\r\n" + body).split(b"\r\n--" + boundary.encode("latin-1"))
    assert chunks[0] == b"", "text before the first boundary"
    assert chunks[-1].startswith(b"--"), "no closing boundary"
    parts = []
    for chunk in chunks[1:-1]:
        assert chunk.startswith(b"\r\n"), "a boundary line with trailing text"
        head, sep, data = chunk[2:].partition(b"\r\n\r\n")
        assert sep, "a part without a blank line after its headers"
        headers = {}
        for line in head.decode("utf-8").split("\r\n"):
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        raw_disposition = headers.get("content-disposition", "")
        assert raw_disposition.split(";", 1)[0].strip().lower() == "form-data", headers
        disposition = _params(raw_disposition)
        filename = disposition.get_param("filename", header="x")
        parts.append(
            Part(
                name=str(disposition.get_param("name", header="x")),
                filename=None if filename is None else str(filename),
                content_type=headers.get("content-type"),
                data=data,
            )
        )
    return parts


def dead_port() -> int:
    """A local port nothing listens on (bound, then closed again): connecting is refused."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


class Loopback:
    """Start with `with Loopback() as server:`; `server.url` is its base URL."""

    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self.replies: deque[Reply] = deque()
        self.default = Reply(200, {"ok": True})
        self.responder: Callable[[Recorded], Reply] | None = None
        self._lock = threading.Lock()
        self._open: dict[socket.socket, threading.Thread] = {}  # connections being served, by their thread
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def setup(self) -> None:
                super().setup()
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                with server._lock:
                    server._open[self.connection] = threading.current_thread()

            def finish(self) -> None:
                try:
                    super().finish()
                finally:
                    with server._lock:
                        server._open.pop(self.connection, None)

            def handle_one(self) -> None:
                length = self.headers.get("Content-Length")
                if length is not None:
                    body = self.rfile.read(int(length))
                elif self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                    body = self._chunked()
                else:
                    body = b""
                recorded = Recorded(self.command, self.path, list(self.headers.items()), body)
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
                if reply.chunks is not None:
                    self._send_chunks(reply)
                    return
                payload, headers = reply.payload()
                try:
                    self.send_response(reply.status)
                    for key, value in headers.items():
                        self.send_header(key, value)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload if reply.cut is None else payload[: reply.cut])
                    if reply.cut is not None:
                        self.wfile.flush()
                        self.close_connection = True
                        self.connection.shutdown(socket.SHUT_RDWR)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (a timeout test)

            def _send_chunks(self, reply: Reply) -> None:
                try:
                    self.send_response(reply.status)
                    for key, value in reply.headers.items():
                        self.send_header(key, value)
                    self.send_header("Transfer-Encoding", "chunked")
                    self.end_headers()
                    self.wfile.flush()
                    for i, chunk in enumerate(reply.chunks or []):
                        if i and reply.chunk_delay:
                            time.sleep(reply.chunk_delay)
                        data = chunk.encode() if isinstance(chunk, str) else bytes(chunk)
                        reply.sent.append(time.monotonic())  # just before it goes out
                        if data:  # an empty chunk would end the body
                            self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
                            self.wfile.flush()
                    if reply.drop:  # the connection goes down mid-body
                        self.close_connection = True
                        self.connection.shutdown(socket.SHUT_RDWR)
                        return
                    self.wfile.write(b"0\r\n\r\n")
                    self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    reply.aborted = True
                    self.close_connection = True
                finally:
                    reply.finished.set()

            def _chunked(self) -> bytes:
                out = b""
                while True:
                    size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                    if size == 0:
                        while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                            pass  # trailers
                        return out
                    out += self.rfile.read(size)
                    self.rfile.readline()

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = handle_one

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def reply(self, *replies: Reply) -> None:
        """Queue answers, used in order before the responder or the default."""
        with self._lock:
            self.replies.extend(replies)

    def __enter__(self) -> Loopback:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        """Stops serving, ends the connections clients keep open and waits for their threads: none is left
        behind (a process with other threads than the main one does not fork, see generator/produce.py)."""
        self._server.shutdown()
        with self._lock:
            still = dict(self._open)
        for connection in still:
            try:
                connection.shutdown(socket.SHUT_RDWR)  # a thread waiting for the next request reads the end
            except OSError:
                pass  # already closed by the client
        for thread in still.values():
            thread.join(timeout=30)
        self._server.server_close()
