"""Pagination in the generated TypeScript SDK (tests/typescript/pagination/spec.yaml, a list per scheme).

Built with the real tsc, run by node against the loopback server: `for await` over a list method walks every
item across pages (a cursor from the last item's id or from the body, page numbers, offsets, a next URL
in the body, the `Link` header, a whole list in one answer); the awaited page has `data`, `hasNextPage()`,
`getNextPage()` and `iterPages()`. It stops on an empty page, on `has_more` false (even with items
promised and none given), on a repeated cursor or URL; an error on page two is the typed error, thrown
inside the loop. The next pages keep the first request's other query parameters and its headers.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from generator.pipeline import generate
from generator.targets.base import Job
from generator.write import write
from tests.support.loopback import Loopback, Recorded, Reply
from tests.typescript.support import build_package, compile_app, make_app, require_node

ROOT = Path(__file__).resolve().parents[2]
SPEC = "tests/typescript/pagination/spec.yaml"

DRIVER = """\
import Pager, { NotFoundError, type CursorPage, type Item, type ItemList, type PagePromise } from 'pager-sdk';

const client = new Pager({ apiKey: 'sk-test', baseURL: process.env['BASE_URL'] ?? '', maxRetries: 0 });
const headers = { 'X-Trace': 'trace-1' };
const out: Record<string, unknown> = {};

async function all<T extends { id: string }>(items: AsyncIterable<T>): Promise<string[]> {
  const ids: string[] = [];
  for await (const item of items) ids.push(item.id);
  return ids;
}

switch (process.argv[2]) {
  case 'files':
    out['ids'] = await all(client.files.list({ limit: 2, order: 'asc' }, { headers }));
    break;
  case 'events':
    out['ids'] = await all(client.events.list({ page_size: 2 }));
    break;
  case 'people':
    out['ids'] = await all(client.people.list({ per_page: 2 }));
    break;
  case 'records':
    out['ids'] = await all(client.records.list({ limit: 2 }));
    break;
  case 'notes':
    out['ids'] = await all(client.notes.list({ tag: 'red' }));
    break;
  case 'repos':
    out['ids'] = await all(client.repos.list({ per_page: 2 }));
    break;
  case 'models':
    out['ids'] = await all(client.models.list());
    break;
  case 'error': {
    const ids: string[] = [];
    try {
      for await (const file of client.files.list({ limit: 2 })) ids.push(file.id);
    } catch (error) {
      out['error'] = error instanceof NotFoundError ? ['NotFoundError', error.status] : String(error);
    }
    out['ids'] = ids;
    break;
  }
  case 'pages': {
    // the module loaded first by another call: the promise is the method's own
    await client.models.retrieve('m-1');
    const promise: PagePromise<CursorPage<Item, ItemList>, Item> = client.files.list({ limit: 2 });
    const first = await promise;
    const data: Item[] = first.data;
    const body: ItemList = first.body;
    out['first'] = [data.map((f) => f.id), body.first_id, first.hasNextPage()];
    const second = await first.getNextPage();
    out['second'] = [second.data.map((f) => f.id), second.hasNextPage()];
    const pages: string[][] = [];
    for await (const page of first.iterPages()) pages.push(page.data.map((f) => f.id));
    out['pages'] = pages;
    try {
      const last = await second.getNextPage();
      await last.getNextPage();
    } catch (error) {
      out['past_the_end'] = (error as Error).constructor.name;
    }
    const { data: raw, response } = await client.files.list({ limit: 1 }).withResponse();
    out['with_response'] = [raw.data.map((f) => f.id), response.status];
    break;
  }
}
console.log(JSON.stringify(out));
"""


def page(ids: list[str], **extra: Any) -> dict[str, Any]:
    return {"object": "list", "data": [{"id": i, "name": i.upper()} for i in ids], **extra}


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_node()
    where = tmp_path_factory.mktemp("ts-pagination")
    job = Job(spec=SPEC, target="typescript", out="x", package_name="pager-sdk", root=str(ROOT))
    write(where / "src-pkg", generate(job).files)
    package = build_package(where / "src-pkg", where / "pager-sdk")
    app = make_app(where / "app", {"pager-sdk": package}, {"driver.ts": DRIVER})
    compile_app(app)
    return app


def run(app: Path, loopback: Loopback, which: str, *replies: Reply) -> tuple[dict[str, Any], list[Recorded]]:
    loopback.reply(*replies)
    done = subprocess.run(
        ["node", str(app / "dist" / "driver.js"), which], cwd=app, capture_output=True, text=True,
        env={**os.environ, "BASE_URL": loopback.url + "/v1"}, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout), loopback.requests


def queries(requests: list[Recorded]) -> list[dict[str, str]]:
    return [dict(r.query) for r in requests]


def test_cursor_from_the_last_item_three_pages_keeping_query_and_headers(
    app: Path, loopback: Loopback
) -> None:
    out, requests = run(
        app, loopback, "files",
        Reply(200, page(["f1", "f2"], has_more=True)),
        Reply(200, page(["f3", "f4"], has_more=True)),
        Reply(200, page(["f5"], has_more=False)),
    )  # fmt: skip
    assert out == {"ids": ["f1", "f2", "f3", "f4", "f5"]}
    assert [r.path for r in requests] == ["/v1/files"] * 3
    assert queries(requests) == [
        {"limit": "2", "order": "asc"},
        {"after": "f2", "limit": "2", "order": "asc"},
        {"after": "f4", "limit": "2", "order": "asc"},
    ]
    assert {(r.header("x-trace"), r.header("authorization")) for r in requests} == {
        ("trace-1", "Bearer sk-test")
    }


def test_has_more_with_no_items_stops(app: Path, loopback: Loopback) -> None:
    out, requests = run(app, loopback, "files", Reply(200, page([], has_more=True)))
    assert out == {"ids": []} and len(requests) == 1


def test_cursor_from_the_body_stops_on_an_empty_last_page(app: Path, loopback: Loopback) -> None:
    def events(ids: list[str], cursor: str | None) -> Reply:
        return Reply(200, {"events": [{"id": i} for i in ids], "next_cursor": cursor})

    out, requests = run(
        app, loopback, "events", events(["e1", "e2"], "c2"), events(["e3"], "c3"), events([], "c4")
    )
    assert out == {"ids": ["e1", "e2", "e3"]}
    assert queries(requests) == [{"page_size": "2"}, {"cursor": "c2", "page_size": "2"},
                                 {"cursor": "c3", "page_size": "2"}]  # fmt: skip


def test_a_repeated_cursor_stops(app: Path, loopback: Loopback) -> None:
    def events(ids: list[str], cursor: str | None) -> Reply:
        return Reply(200, {"events": [{"id": i} for i in ids], "next_cursor": cursor})

    # c1 -> c2 -> c1 again: a circle, walked once
    out, requests = run(
        app, loopback, "events", events(["e1"], "c1"), events(["e2"], "c2"), events(["e3"], "c1")
    )
    assert out == {"ids": ["e1", "e2", "e3"]} and len(requests) == 3
    loopback.requests.clear()
    out, requests = run(app, loopback, "events", events(["e1"], "c1"), events(["e2"], "c1"))
    assert out == {"ids": ["e1", "e2"]} and len(requests) == 2


def test_page_numbers_count_up_until_an_empty_page(app: Path, loopback: Loopback) -> None:
    people = [Reply(200, [{"id": f"p{n}"}, {"id": f"p{n}b"}]) for n in (1, 2, 3)]
    out, requests = run(app, loopback, "people", *people, Reply(200, []))
    assert out == {"ids": ["p1", "p1b", "p2", "p2b", "p3", "p3b"]}
    assert queries(requests) == [{"per_page": "2"}, *({"page": str(n), "per_page": "2"} for n in (2, 3, 4))]


def test_offsets_move_on_by_the_items_received(app: Path, loopback: Loopback) -> None:
    def records(ids: list[str]) -> Reply:
        return Reply(200, {"results": [{"id": i} for i in ids], "total": 5})

    out, requests = run(app, loopback, "records", records(["r1", "r2"]), records(["r3", "r4"]), records(["r5"]),
                        records([]))  # fmt: skip
    assert out == {"ids": ["r1", "r2", "r3", "r4", "r5"]}
    assert queries(requests) == [{"limit": "2"}, {"limit": "2", "offset": "2"}, {"limit": "2", "offset": "4"},
                                 {"limit": "2", "offset": "5"}]  # fmt: skip


def test_a_next_url_in_the_body_relative_then_absolute(app: Path, loopback: Loopback) -> None:
    def notes(ids: list[str], nxt: str | None) -> Reply:
        return Reply(200, {"notes": [{"id": i} for i in ids], "links": {"next": nxt}})

    out, requests = run(
        app, loopback, "notes",
        notes(["n1", "n2"], "/v1/notes?tag=red&cursor=2"),
        notes(["n3"], f"{loopback.url}/v1/notes?tag=red&cursor=3"),
        notes(["n4"], None),
    )  # fmt: skip
    assert out == {"ids": ["n1", "n2", "n3", "n4"]}
    assert [r.target for r in requests] == ["/v1/notes?tag=red", "/v1/notes?tag=red&cursor=2",
                                            "/v1/notes?tag=red&cursor=3"]  # fmt: skip
    assert {r.header("authorization") for r in requests} == {"Bearer sk-test"}


def test_the_link_header_next_until_there_is_none(app: Path, loopback: Loopback) -> None:
    def repos(ids: list[str], link: str | None) -> Reply:
        return Reply(200, [{"id": i} for i in ids], headers={"Link": link} if link else {})

    base = f"{loopback.url}/v1/repos"
    out, requests = run(
        app, loopback, "repos",
        repos(["g1", "g2"], f'<{base}?per_page=2&page=2>; rel="next", <{base}?per_page=2&page=3>; rel="last"'),
        repos(["g3", "g4"], f'<{base}?per_page=2&page=1>; rel="prev", <{base}?per_page=2&page=3>; rel="next"'),
        repos(["g5"], f'<{base}?per_page=2&page=1>; rel="first"'),
    )  # fmt: skip
    assert out == {"ids": ["g1", "g2", "g3", "g4", "g5"]}
    assert [r.target for r in requests] == ["/v1/repos?per_page=2", "/v1/repos?per_page=2&page=2",
                                            "/v1/repos?per_page=2&page=3"]  # fmt: skip


def test_a_whole_list_in_one_answer_is_iterable(app: Path, loopback: Loopback) -> None:
    out, requests = run(app, loopback, "models", Reply(200, page(["m1", "m2", "m3"])))
    assert out == {"ids": ["m1", "m2", "m3"]} and len(requests) == 1


def test_an_error_on_page_two_is_the_typed_error_in_the_loop(app: Path, loopback: Loopback) -> None:
    out, requests = run(
        app, loopback, "error",
        Reply(200, page(["f1", "f2"], has_more=True)),
        Reply(404, {"error": {"message": "gone", "type": "invalid_request_error"}}),
    )  # fmt: skip
    assert out == {"ids": ["f1", "f2"], "error": ["NotFoundError", 404]}
    assert queries(requests) == [{"limit": "2"}, {"after": "f2", "limit": "2"}]


def test_the_page_objects(app: Path, loopback: Loopback) -> None:
    pages = [
        page(["f1", "f2"], has_more=True, first_id="f1"),
        page(["f3"], has_more=True),
        page([], has_more=False),
    ]
    out, requests = run(
        app, loopback, "pages",
        Reply(200, {"id": "m-1"}),
        Reply(200, pages[0]),  # awaited
        Reply(200, pages[1]),  # its next page
        *(Reply(200, p) for p in pages[1:]),  # iterPages() from the first: the second and the third
        Reply(200, pages[2]),  # the second's next page again, which has none after it
        Reply(200, page(["f9"], has_more=False)),  # withResponse()
    )  # fmt: skip
    assert out == {
        "first": [["f1", "f2"], "f1", True],
        "second": [["f3"], True],
        "pages": [["f1", "f2"], ["f3"], []],
        "past_the_end": "PagerError",
        "with_response": [["f9"], 200],
    }
    # the past-the-end call fetched the empty third page, then threw without a request
    assert [dict(r.query).get("after") for r in requests[1:]] == [None, "f2", "f2", "f3", "f3", None]
