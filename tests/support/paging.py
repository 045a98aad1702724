"""Pagination scenarios for tests/typescript/pagination/spec.yaml, shared by the SDKs' loopback tests.

Each case is a list call (its resource, operationId and params), the pages the server answers with, the
item ids a walk over every page yields, and the requests it makes (path and query, in order): three
pages per scheme, an empty last page, `has_more` with no items, repeated cursors, an error on page two.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.load import load
from tests.support.loopback import Recorded, Reply

__all__ = [
    "CASES",
    "CROSS_HOST",
    "KEY",
    "SPEC",
    "Case",
    "CrossHost",
    "faulty_page_two",
    "keyed_spec",
    "keys_sent",
    "sent",
]

SPEC = "tests/typescript/pagination/spec.yaml"


@dataclass(frozen=True)
class Case:
    resource: str  # the SDKs' resource: `client.files.list(...)`
    op_id: str  # the operationId: Perl's `list_files_iter(...)`
    params: dict[str, Any] | None  # None: the method takes no params
    #: the server's answers, given its base URL (next URLs point at it)
    replies: Callable[[str], list[Reply]]
    ids: list[str]
    #: each request's path and query parameters, in order
    requests: list[tuple[str, dict[str, str]]]
    #: the status of the error the walk ends with, if it ends with one
    error: int | None = None


def _listing(ids: list[str], **extra: Any) -> Reply:
    return Reply(200, {"object": "list", "data": [{"id": i, "name": i.upper()} for i in ids], **extra})


def _events(ids: list[str], cursor: str | None) -> Reply:
    return Reply(200, {"events": [{"id": i} for i in ids], "next_cursor": cursor})


def _records(ids: list[str]) -> Reply:
    return Reply(200, {"results": [{"id": i} for i in ids], "total": 5})


def _notes(ids: list[str], nxt: str | None) -> Reply:
    return Reply(200, {"notes": [{"id": i} for i in ids], "links": {"next": nxt}})


def _repos(ids: list[str], link: str | None) -> Reply:
    return Reply(200, [{"id": i} for i in ids], headers={"Link": link} if link else {})


def _link(url: str, **rels: int) -> str:
    return ", ".join(f'<{url}/v1/repos?per_page=2&page={n}>; rel="{rel}"' for rel, n in rels.items())


CASES: dict[str, Case] = {
    "cursor-from-last-item": Case(
        "files", "listFiles", {"limit": 2, "order": "asc"},
        lambda url: [_listing(["f1", "f2"], has_more=True), _listing(["f3", "f4"], has_more=True),
                     _listing(["f5"], has_more=False)],
        ["f1", "f2", "f3", "f4", "f5"],
        [("/v1/files", {"limit": "2", "order": "asc"}), ("/v1/files", {"after": "f2", "limit": "2", "order": "asc"}),
         ("/v1/files", {"after": "f4", "limit": "2", "order": "asc"})],
    ),
    "has-more-without-items": Case(
        "files", "listFiles", {}, lambda url: [_listing([], has_more=True)], [], [("/v1/files", {})]
    ),
    "cursor-from-body-empty-last-page": Case(
        "events", "listEvents", {"page_size": 2},
        lambda url: [_events(["e1", "e2"], "c2"), _events(["e3"], "c3"), _events([], "c4")],
        ["e1", "e2", "e3"],
        [("/v1/events", {"page_size": "2"}), ("/v1/events", {"cursor": "c2", "page_size": "2"}),
         ("/v1/events", {"cursor": "c3", "page_size": "2"})],
    ),
    "cursor-circle": Case(
        "events", "listEvents", {},
        lambda url: [_events(["e1"], "c1"), _events(["e2"], "c2"), _events(["e3"], "c1")],
        ["e1", "e2", "e3"],
        [("/v1/events", {}), ("/v1/events", {"cursor": "c1"}), ("/v1/events", {"cursor": "c2"})],
    ),
    "cursor-repeated": Case(
        "events", "listEvents", {"cursor": "c0"},
        lambda url: [_events(["e1"], "c1"), _events(["e2"], "c1")],
        ["e1", "e2"],
        [("/v1/events", {"cursor": "c0"}), ("/v1/events", {"cursor": "c1"})],
    ),
    "page-numbers": Case(
        "people", "listPeople", {"per_page": 2},
        lambda url: [*(Reply(200, [{"id": f"p{n}"}, {"id": f"p{n}b"}]) for n in (1, 2, 3)), Reply(200, [])],
        ["p1", "p1b", "p2", "p2b", "p3", "p3b"],
        [("/v1/people", {"per_page": "2"}), *(("/v1/people", {"page": str(n), "per_page": "2"}) for n in (2, 3, 4))],
    ),
    "offsets": Case(
        "records", "listRecords", {"limit": 2},
        lambda url: [_records(["r1", "r2"]), _records(["r3", "r4"]), _records(["r5"]), _records([])],
        ["r1", "r2", "r3", "r4", "r5"],
        [("/v1/records", {"limit": "2"}), ("/v1/records", {"limit": "2", "offset": "2"}),
         ("/v1/records", {"limit": "2", "offset": "4"}), ("/v1/records", {"limit": "2", "offset": "5"})],
    ),
    "next-url-relative-then-absolute": Case(
        "notes", "listNotes", {"tag": "red"},
        lambda url: [_notes(["n1", "n2"], "/v1/notes?tag=red&cursor=2"),
                     _notes(["n3"], f"{url}/v1/notes?tag=red&cursor=3"), _notes(["n4"], None)],
        ["n1", "n2", "n3", "n4"],
        [("/v1/notes", {"tag": "red"}), ("/v1/notes", {"tag": "red", "cursor": "2"}),
         ("/v1/notes", {"tag": "red", "cursor": "3"})],
    ),
    "link-header": Case(
        "repos", "listRepos", {"per_page": 2},
        lambda url: [_repos(["g1", "g2"], _link(url, next=2, last=3)),
                     _repos(["g3", "g4"], _link(url, prev=1, next=3)), _repos(["g5"], _link(url, first=1))],
        ["g1", "g2", "g3", "g4", "g5"],
        [("/v1/repos", {"per_page": "2"}), ("/v1/repos", {"per_page": "2", "page": "2"}),
         ("/v1/repos", {"per_page": "2", "page": "3"})],
    ),
    "single": Case(
        "models", "listModels", None, lambda url: [_listing(["m1", "m2", "m3"])], ["m1", "m2", "m3"], [("/v1/models", {})]
    ),
    "error-on-page-two": Case(
        "files", "listFiles", {"limit": 2},
        lambda url: [_listing(["f1", "f2"], has_more=True),
                     Reply(404, {"error": {"message": "gone", "type": "invalid_request_error"}})],
        ["f1", "f2"],
        [("/v1/files", {"limit": "2"}), ("/v1/files", {"after": "f2", "limit": "2"})],
        error=404,
    ),
}  # fmt: skip


def faulty_page_two(tries: int, then_whole: bool, per_try: int = 1, drop: bool = False) -> Case:
    """`files.list` (cursor from the last item) whose page two breaks mid-body on `tries` of the client's
    tries (each `per_try` requests), then comes whole (and page three), or not: the walk ends with a
    connection error after page one's items. The break is a body cut short of its Content-Length, or
    (`drop`) a chunked body whose last chunk never comes."""
    base = CASES["cursor-from-last-item"]

    def replies(url: str) -> list[Reply]:
        first, second, third = base.replies(url)
        whole = second.payload()[0]
        half = len(whole) // 2
        broken = [
            Reply(200, headers={"Content-Type": "application/json"}, chunks=[whole[:half]], drop=True)
            if drop
            else Reply(200, second.body, cut=half)
            for _ in range(tries * per_try)
        ]
        return [first, *broken, *((second, third) if then_whole else ())]

    requests = [base.requests[0], *[base.requests[1]] * (tries * per_try + then_whole)]
    if then_whole:
        return Case(base.resource, base.op_id, base.params, replies, base.ids, [*requests, base.requests[2]])
    return Case(base.resource, base.op_id, base.params, replies, base.ids[:2], requests)


def sent(requests: list[Recorded]) -> list[tuple[str, dict[str, str]]]:
    """The requests as the cases list them: path and query parameters."""
    return [(r.path, dict(r.query)) for r in requests]


# -- next pages on another host ------------------------------------------------------------------------

KEY = "sk-secret-key"
#: the four ways the key goes out, all at once: the Authorization header, a header, the query, a cookie
_KEYED = {
    "bearer": {"type": "http", "scheme": "bearer"},
    "key_header": {"type": "apiKey", "in": "header", "name": "X-Api-Key"},
    "key_query": {"type": "apiKey", "in": "query", "name": "api_key"},
    "key_cookie": {"type": "apiKey", "in": "cookie", "name": "session"},
}


def keyed_spec(where: Path) -> Path:
    """SPEC with every operation sending the key four ways, written as JSON into `where`."""
    root = Path(__file__).resolve().parents[2]
    data = load(str(root / SPEC)).data
    data["components"]["securitySchemes"] = _KEYED
    data["security"] = [{name: [] for name in _KEYED}]
    path = where / "keyed-pager.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def keys_sent(request: Recorded) -> list[str]:
    """The ways `request` carries KEY."""
    cookie = request.header("cookie") or ""
    found = {
        "bearer": request.header("authorization") == f"Bearer {KEY}",
        "header": request.header("x-api-key") == KEY,
        "query": ("api_key", KEY) in request.query,
        "cookie": f"session={KEY}" in cookie,
    }
    return [how for how, sent in found.items() if sent]


@dataclass(frozen=True)
class CrossHost:
    """A list whose second page is on another host (B), its third back on the client's own (A)."""

    resource: str
    op_id: str
    params: dict[str, Any]
    #: (A's URL, B's URL) -> A's answers, B's answers
    replies: Callable[[str, str], tuple[list[Reply], list[Reply]]]
    ids: list[str]


def _repos_at(ids: list[str], url: str | None, page: int) -> Reply:
    return _repos(ids, f'<{url}/v1/repos?per_page=1&page={page}>; rel="next"' if url else None)


CROSS_HOST: dict[str, CrossHost] = {
    "next-url": CrossHost(
        "notes", "listNotes", {"tag": "red"},
        lambda a, b: ([_notes(["n1"], f"{b}/v1/notes?cursor=2"), _notes(["n3"], None)],
                      [_notes(["n2"], f"{a}/v1/notes?cursor=3")]),
        ["n1", "n2", "n3"],
    ),
    "link-header": CrossHost(
        "repos", "listRepos", {"per_page": 1},
        lambda a, b: ([_repos_at(["g1"], b, 2), _repos_at(["g3"], None, 0)], [_repos_at(["g2"], a, 3)]),
        ["g1", "g2", "g3"],
    ),
}  # fmt: skip
