"""Lists that page, in the generated Python SDK and its CLI, against the loopback server.

The SDK is generated from tests/sdk/pagination/spec.yaml (one list per scheme: a cursor from the last
item's id with `has_more`, a cursor the body gives, a page number, an offset, a next URL in the body,
the `Link` header, and a whole list in one response) into a temporary folder and imported from there.
Every scheme, sync and async: three pages; an empty last page; `has_more` (or a next link) with no
items; a server that repeats itself; an error or a dropped connection on page two, raised as the typed
error in the middle of the loop; the next requests keep the first one's page size, filters and headers.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import parse_qsl

import pytest

from generator.pipeline import generate
from generator.targets.base import Job
from tests.support.loopback import Loopback, Reply

ROOT = Path(__file__).resolve().parents[2]
SPEC = "tests/sdk/pagination/spec.yaml"
PACKAGE = "paging_sdk"


@pytest.fixture(scope="module")
def sdk_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("paging-sdk")
    job = Job(spec=SPEC, target="python", out=str(out), package_name=PACKAGE)
    for path, text in generate(job).files.items():
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def sdk(sdk_dir: Path) -> Iterator[ModuleType]:
    for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
        del sys.modules[name]
    sys.path.insert(0, str(sdk_dir))
    try:
        module = importlib.import_module(PACKAGE)
        importlib.import_module(PACKAGE + ".types")
        yield module
    finally:
        sys.path.remove(str(sdk_dir))


def thing(name: str) -> dict[str, str]:
    return {"id": name, "name": f"thing {name}"}


@dataclass
class Case:
    """One list per scheme: how to call it, how its server answers page `n`, what page `n` asks."""

    resource: str
    kwargs: dict[str, Any]
    #: (server, n, the page's item ids, whether the page says more follow) -> the reply
    page: Callable[[Loopback, int, list[str], bool], Reply]
    #: (n, the item ids of the pages before) -> the query page n asks, besides the first one's
    moves: Callable[[int, list[list[str]]], list[tuple[str, str]]]
    #: whether the last page of a list can say so (else an empty page ends it)
    says_end: bool = True
    headers: dict[str, str] = field(default_factory=dict)


def _url(server: Loopback, path_and_query: str) -> str:
    return server.url + path_and_query


CASES = {
    "cursor": Case(
        "files",
        {"limit": 2, "purpose": "fine-tune", "open_ai_organization": "org-1"},
        lambda s, n, ids, more: Reply(
            200, {"object": "list", "data": [thing(i) for i in ids], "has_more": more}
        ),
        lambda n, before: [("after", before[-1][-1])] if n else [],
        headers={"openai-organization": "org-1"},
    ),
    "cursor_field": Case(
        "events",
        {"page_size": 2, "kind": "audit"},
        lambda s, n, ids, more: Reply(
            200, {"entries": [thing(i) for i in ids], "next_cursor": f"c{n + 1}" if more else None}
        ),
        lambda n, before: [("cursor", f"c{n}")] if n else [],
    ),
    "page": Case(
        "articles",
        {"per_page": 2, "topic": "rust"},
        lambda s, n, ids, more: Reply(200, {"items": [thing(i) for i in ids], "total": 99}),
        lambda n, before: [("page", str(n + 1))] if n else [],
        says_end=False,
    ),
    "offset": Case(
        "records",
        {"limit": 2, "status": "open"},
        lambda s, n, ids, more: Reply(200, {"results": [thing(i) for i in ids], "count": 99}),
        lambda n, before: [("offset", str(sum(len(p) for p in before)))] if n else [],
        says_end=False,
    ),
    "next_url": Case(
        "tracks",
        {"limit": 2, "market": "DE"},
        # an absolute URL first, then one relative to the page's own URL
        lambda s, n, ids, more: Reply(
            200,
            {
                "items": [thing(i) for i in ids],
                "next": (
                    (_url(s, "/v1/tracks?") if n == 0 else "tracks?")
                    + f"offset={2 * (n + 1)}&limit=2&market=DE"
                )
                if more
                else None,
            },
        ),
        lambda n, before: [("offset", str(2 * n))] if n else [],
    ),
    "link_header": Case(
        "repos",
        {"per_page": 2, "sort": "updated"},
        lambda s, n, ids, more: Reply(
            200,
            [thing(i) for i in ids],
            headers=(
                {
                    "Link": f'<{s.url}/v1/repos?per_page=2&sort=updated&page={n + 2}>; rel="next", '
                    f'<{s.url}/v1/repos?per_page=2&sort=updated&page=9>; rel="last"'
                }
                if more
                else {}
            ),
        ),
        lambda n, before: [("page", str(n + 1))] if n else [],
    ),
}
SCHEMES = list(CASES)


def first_query(case: Case) -> list[tuple[str, str]]:
    return sorted(
        (k, str(v)) for k, v in case.kwargs.items() if k not in ("open_ai_organization",)
    )


def expected_queries(case: Case, pages: list[list[str]]) -> list[list[tuple[str, str]]]:
    """What each request of a walk over `pages` asks: the first one's query, moved on."""
    out = []
    for n in range(len(pages)):
        moved = dict(first_query(case))
        moved.update(case.moves(n, pages[:n]))
        out.append(sorted(moved.items()))
    return out


def queries(server: Loopback) -> list[list[tuple[str, str]]]:
    return [sorted(parse_qsl(r.query_string, keep_blank_values=True)) for r in server.requests]


def serve(server: Loopback, case: Case, pages: list[list[str]], more: list[bool]) -> None:
    server.reply(*(case.page(server, n, ids, m) for n, (ids, m) in enumerate(zip(pages, more, strict=False))))


def walk(
    sdk: ModuleType, server: Loopback, case: Case, async_: bool, seen: list[Any], **options: Any
) -> None:
    """Every item of the list, into `seen` as they come (an error raised mid-way leaves them there)."""
    options = {"api_key": "sk-test", "base_url": server.url + "/v1", "max_retries": 0, **options}
    if not async_:
        with sdk.Paging(**options) as client:
            for item in getattr(client, case.resource).list(**case.kwargs):
                seen.append(item)
        return

    async def run() -> None:
        async with sdk.AsyncPaging(**options) as client:
            async for item in getattr(client, case.resource).list(**case.kwargs):
                seen.append(item)

    asyncio.run(run())


def ids(items: list[Any]) -> list[str]:
    return [item.id for item in items]


@pytest.mark.parametrize("async_", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("scheme", SCHEMES)
def test_three_pages(sdk: ModuleType, loopback: Loopback, scheme: str, async_: bool) -> None:
    case = CASES[scheme]
    pages = [["a", "b"], ["c", "d"], ["e"]] + ([] if case.says_end else [[]])
    serve(loopback, case, pages, [True, True, False, False])
    seen: list[Any] = []
    walk(sdk, loopback, case, async_, seen)
    assert ids(seen) == ["a", "b", "c", "d", "e"]
    assert all(isinstance(item, sdk.types.Thing) for item in seen)
    assert seen[4].name == "thing e"
    # each next page keeps the page size, the filters and the headers of the first request
    assert queries(loopback) == expected_queries(case, pages)
    assert {r.path for r in loopback.requests} == {f"/v1/{case.resource}"}
    for request in loopback.requests:
        assert request.header("authorization") == "Bearer sk-test"
        for name, value in case.headers.items():
            assert request.header(name) == value


@pytest.mark.parametrize("async_", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("scheme", SCHEMES)
def test_an_empty_last_page_ends_it(
    sdk: ModuleType, loopback: Loopback, scheme: str, async_: bool
) -> None:
    case = CASES[scheme]
    pages: list[list[str]] = [["a", "b"], ["c", "d"], []]
    serve(loopback, case, pages, [True, True, True])  # the last one still says more follow
    seen: list[Any] = []
    walk(sdk, loopback, case, async_, seen)
    assert ids(seen) == ["a", "b", "c", "d"]
    assert queries(loopback) == expected_queries(case, pages)


@pytest.mark.parametrize("async_", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("scheme", SCHEMES)
def test_more_promised_without_items_stops(
    sdk: ModuleType, loopback: Loopback, scheme: str, async_: bool
) -> None:
    case = CASES[scheme]
    serve(loopback, case, [[]], [True])
    seen: list[Any] = []
    walk(sdk, loopback, case, async_, seen)
    assert seen == []
    assert len(loopback.requests) == 1


@pytest.mark.parametrize("async_", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("scheme", SCHEMES)
def test_a_server_that_repeats_itself_cannot_loop_forever(
    sdk: ModuleType, loopback: Loopback, scheme: str, async_: bool
) -> None:
    """After the first page the server answers the same second page whatever is asked: the same
    next cursor or URL as the one asked, or (page numbers, offsets) the same items again."""
    case = CASES[scheme]
    serve(loopback, case, [["a", "b"]], [True])
    loopback.responder = lambda request: case.page(loopback, 1, ["c", "d"], True)
    seen: list[Any] = []
    walk(sdk, loopback, case, async_, seen)
    assert len(loopback.requests) == 3
    assert ids(seen) == ["a", "b", "c", "d", "c", "d"]


@pytest.mark.parametrize("async_", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("scheme", SCHEMES)
def test_an_error_on_page_two_is_raised_mid_iteration_after_retries(
    sdk: ModuleType, loopback: Loopback, scheme: str, async_: bool
) -> None:
    case = CASES[scheme]
    serve(loopback, case, [["a", "b"]], [True])
    error = {"error": {"message": "the shelf fell over", "type": "server_error"}}
    loopback.reply(Reply(500, error), Reply(500, error))
    seen: list[Any] = []
    with pytest.raises(sdk.InternalServerError) as raised:
        walk(sdk, loopback, case, async_, seen, max_retries=1)
    assert raised.value.status_code == 500
    assert ids(seen) == ["a", "b"]  # the first page's items came before the error
    assert len(loopback.requests) == 3  # page one, page two and its retry
    assert queries(loopback)[1] == queries(loopback)[2] == expected_queries(case, [["a", "b"], []])[1]


@pytest.mark.parametrize("async_", [False, True], ids=["sync", "async"])
def test_a_missing_page_raises_not_found(sdk: ModuleType, loopback: Loopback, async_: bool) -> None:
    case = CASES["cursor"]
    serve(loopback, case, [["a", "b"]], [True])
    loopback.reply(Reply(404, {"error": {"message": "No such cursor"}}))
    seen: list[Any] = []
    with pytest.raises(sdk.NotFoundError):
        walk(sdk, loopback, case, async_, seen, max_retries=2)
    assert ids(seen) == ["a", "b"]
    assert len(loopback.requests) == 2  # a 404 is not retried


@pytest.mark.parametrize("async_", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("scheme", ["cursor", "next_url"])
def test_a_dropped_connection_on_page_two_raises_a_connection_error(
    sdk: ModuleType, loopback: Loopback, scheme: str, async_: bool
) -> None:
    case = CASES[scheme]
    serve(loopback, case, [["a", "b"]], [True])
    second = case.page(loopback, 1, ["c", "d"], False)
    second.cut = 10  # ten bytes of the body, then the server hangs up
    loopback.reply(second)
    seen: list[Any] = []
    with pytest.raises(sdk.APIConnectionError):
        walk(sdk, loopback, case, async_, seen)
    assert ids(seen) == ["a", "b"]


@pytest.mark.parametrize("drop", [False, True], ids=["cut", "drop"])
@pytest.mark.parametrize("async_", [False, True], ids=["sync", "async"])
def test_a_dropped_connection_is_retried_as_any_request(
    sdk: ModuleType, loopback: Loopback, async_: bool, drop: bool
) -> None:
    """Page two breaks mid-body (cut short of its Content-Length, or a chunked body that never ends):
    retried, and once the retries are spent a connection error after page one's items."""
    case = CASES["cursor"]
    second = case.page(loopback, 1, ["c"], False)
    whole = second.payload()[0]

    def broken() -> Reply:
        if drop:
            return Reply(200, headers={"Content-Type": "application/json"}, chunks=[whole[:5]], drop=True)
        return Reply(200, second.body, cut=5)

    serve(loopback, case, [["a", "b"]], [True])
    loopback.reply(broken(), second)
    seen: list[Any] = []
    walk(sdk, loopback, case, async_, seen, max_retries=1)
    assert ids(seen) == ["a", "b", "c"]
    assert len(loopback.requests) == 3
    loopback.requests.clear()
    serve(loopback, case, [["a", "b"]], [True])
    loopback.reply(broken(), broken())
    seen.clear()
    with pytest.raises(sdk.APIConnectionError):
        walk(sdk, loopback, case, async_, seen, max_retries=1)
    assert ids(seen) == ["a", "b"]
    assert len(loopback.requests) == 3


def test_pages_by_hand(sdk: ModuleType, loopback: Loopback) -> None:
    case = CASES["cursor"]
    serve(loopback, case, [["a", "b"], ["c"]], [True, False])
    with sdk.Paging(api_key="sk-test", base_url=loopback.url + "/v1") as client:
        page = client.files.list(limit=2)
        assert isinstance(page, sdk.pagination.SyncCursorPage)
        assert ids(page.items) == ids(page.data) == ["a", "b"]
        assert page.body["object"] == "list"
        assert page.http_response.status_code == 200
        assert page.has_next_page()
        second = page.get_next_page()
        assert ids(second.data) == ["c"] and not second.has_next_page()
        with pytest.raises(RuntimeError, match="has_next_page"):
            second.get_next_page()
        assert len(loopback.requests) == 2
        serve(loopback, case, [["a", "b"], ["c"]], [True, False])
        assert [ids(p.data) for p in client.files.list(limit=2).iter_pages()] == [["a", "b"], ["c"]]


def test_pages_by_hand_async(sdk: ModuleType, loopback: Loopback) -> None:
    case = CASES["cursor"]

    async def run() -> None:
        async with sdk.AsyncPaging(api_key="sk-test", base_url=loopback.url + "/v1") as client:
            paginator = client.files.list(limit=2)
            assert loopback.requests == []  # nothing is sent before it is awaited or iterated
            serve(loopback, case, [["a", "b"], ["c"]], [True, False])
            page = await paginator
            assert isinstance(page, sdk.pagination.AsyncCursorPage)
            assert ids(page.data) == ["a", "b"] and page.has_next_page()
            second = await page.get_next_page()
            assert ids(second.items) == ["c"] and not second.has_next_page()
            serve(loopback, case, [["a", "b"], ["c"]], [True, False])
            first = await client.files.list(limit=2)
            assert [ids(p.data) async for p in first.iter_pages()] == [["a", "b"], ["c"]]
            serve(loopback, case, [["a", "b"], ["c"]], [True, False])
            assert ids([t async for t in await client.files.list(limit=2)]) == ["a", "b", "c"]

    asyncio.run(run())
    assert len(loopback.requests) == 6


@pytest.mark.parametrize("async_", [False, True], ids=["sync", "async"])
def test_a_single_page_list(sdk: ModuleType, loopback: Loopback, async_: bool) -> None:
    loopback.reply(Reply(200, {"object": "list", "data": [thing("m1"), thing("m2")]}))
    seen: list[Any] = []
    walk(sdk, loopback, Case("models", {}, CASES["cursor"].page, CASES["cursor"].moves), async_, seen)
    assert ids(seen) == ["m1", "m2"]
    assert len(loopback.requests) == 1


def test_with_raw_response_gives_the_response_and_parses_to_the_page(
    sdk: ModuleType, loopback: Loopback
) -> None:
    case = CASES["cursor"]
    serve(loopback, case, [["a", "b"], ["c"]], [True, False])
    with sdk.Paging(api_key="sk-test", base_url=loopback.url + "/v1") as client:
        response = client.files.with_raw_response.list(limit=2)
        assert isinstance(response, sdk.APIResponse)
        assert response.status_code == 200 and response.json()["has_more"] is True
        page = response.parse()
        assert page is response.parse()
        assert ids(list(page)) == ["a", "b", "c"]

    async def run() -> None:
        serve(loopback, case, [["a", "b"], ["c"]], [True, False])
        async with sdk.AsyncPaging(api_key="sk-test", base_url=loopback.url + "/v1") as client:
            raw = await client.files.with_raw_response.list(limit=2)
            assert isinstance(raw, sdk.AsyncAPIResponse) and raw.status_code == 200
            page = await raw.parse()
            assert ids([t async for t in page]) == ["a", "b", "c"]

    asyncio.run(run())
    assert len(loopback.requests) == 4


def test_extra_query_keeps_moving(sdk: ModuleType, loopback: Loopback) -> None:
    """A paging parameter given in extra_query moves on too (else every page would ask the same)."""
    case = CASES["page"]
    serve(loopback, case, [["a"], ["b"], []], [True, True, True])
    with sdk.Paging(api_key="sk-test", base_url=loopback.url + "/v1") as client:
        items = list(client.articles.list(extra_query={"page": 4, "lang": "en"}))
    assert ids(items) == ["a", "b"]
    assert [r.query_string for r in loopback.requests] == [
        "page=4&lang=en",
        "page=5&lang=en",
        "page=6&lang=en",
    ]


def test_typed_for_mypy_strict(sdk_dir: Path, tmp_path: Path) -> None:
    """A user's code over pages type-checks under mypy --strict, items typed as the item model."""
    usage = tmp_path / "usage.py"
    usage.write_text(
        """
from typing import List

from paging_sdk import AsyncPaging, Paging
from paging_sdk.pagination import AsyncCursorPage, SyncCursorPage, SyncPage
from paging_sdk.types import Thing


def names(client: Paging) -> List[str]:
    page: SyncCursorPage[Thing] = client.files.list(limit=2)
    first: List[Thing] = page.data
    more = page.get_next_page() if page.has_next_page() else None
    models: SyncPage[Thing] = client.models.list()
    raw = client.files.with_raw_response.list()
    again: SyncCursorPage[Thing] = raw.parse()
    return [t.id for t in page] + [t.id for p in page.iter_pages() for t in p.items] + [
        m.id for m in models
    ] + [t.id for t in first] + ([] if more is None else [t.id for t in more.data]) + [
        t.id for t in again
    ]


async def anames(client: AsyncPaging) -> List[str]:
    page: AsyncCursorPage[Thing] = await client.files.list()
    nxt: AsyncCursorPage[Thing] = await page.get_next_page()
    out = [t.id async for t in client.files.list()] + [t.id for t in nxt.data]
    raw = await client.files.with_raw_response.list()
    parsed: AsyncCursorPage[Thing] = await raw.parse()
    return out + [t.id async for t in parsed] + [t.id async for p in page.iter_pages() for t in p.items]
""".lstrip(),
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(usage)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "MYPYPATH": str(sdk_dir)},
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# -- the command line ------------------------------------------------------------------------------


def cli(sdk_dir: Path, server: Loopback, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("PAGING_")},
        "PYTHONPATH": str(sdk_dir),
        "PAGING_API_KEY": "sk-cli",
        "PAGING_BASE_URL": server.url + "/v1",
    }
    return subprocess.run(
        [sys.executable, "-m", PACKAGE, *args], capture_output=True, text=True, env=env, timeout=60
    )


def test_cli_all_prints_every_item_as_json_lines(sdk_dir: Path, loopback: Loopback) -> None:
    case = CASES["cursor"]
    serve(loopback, case, [["a", "b"], ["c", "d"], ["e"]], [True, True, False])
    result = cli(sdk_dir, loopback, "files", "list", "--limit", "2", "--purpose", "fine-tune", "--all")
    assert result.returncode == 0, result.stderr
    assert [json.loads(line) for line in result.stdout.splitlines()] == [
        thing(i) for i in "abcde"
    ]
    assert queries(loopback) == expected_queries(
        Case("files", {"limit": 2, "purpose": "fine-tune"}, case.page, case.moves),
        [["a", "b"], ["c", "d"], ["e"]],
    )


def test_cli_all_with_transform_and_format(sdk_dir: Path, loopback: Loopback) -> None:
    case = CASES["next_url"]
    serve(loopback, case, [["a", "b"], ["c"]], [True, False])
    result = cli(sdk_dir, loopback, "tracks", "list", "--limit", "2", "--all", "--transform", "id")
    assert result.returncode == 0, result.stderr
    assert result.stdout == '"a"\n"b"\n"c"\n'
    serve(loopback, case, [["a", "b"], ["c"]], [True, False])
    result = cli(sdk_dir, loopback, "tracks", "list", "--all", "--format", "json")
    assert json.loads(result.stdout) == [thing(i) for i in "abc"]


def test_cli_without_all_prints_the_first_page_as_returned(sdk_dir: Path, loopback: Loopback) -> None:
    case = CASES["cursor"]
    serve(loopback, case, [["a", "b"], ["c"]], [True, False])
    result = cli(sdk_dir, loopback, "files", "list", "--limit", "2", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "object": "list",
        "data": [thing("a"), thing("b")],
        "has_more": True,
    }
    assert len(loopback.requests) == 1


def test_cli_all_error_on_page_two(sdk_dir: Path, loopback: Loopback) -> None:
    case = CASES["offset"]
    serve(loopback, case, [["a", "b"]], [True])
    loopback.reply(Reply(404, {"error": {"message": "gone"}}))
    result = cli(sdk_dir, loopback, "records", "list", "--limit", "2", "--all")
    assert result.returncode == 1
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["a", "b"]
    assert "404: gone" in result.stderr


def test_cli_help_says_what_all_does(sdk_dir: Path, loopback: Loopback) -> None:
    result = cli(sdk_dir, loopback, "files", "list", "--help")
    assert "--all" in result.stdout and "every item" in result.stdout
    assert "--all" not in cli(sdk_dir, loopback, "--help").stdout
    usage = cli(sdk_dir, loopback, "files", "list", "--all", "--raw")
    assert usage.returncode == 2 and "--all" in usage.stderr

