"""Pagination in the generated TypeScript SDK (tests/typescript/pagination/spec.yaml, a list per scheme).

Built with the real tsc, run by node against the loopback server: `for await` over a list method walks every
item across pages (a cursor from the last item's id or from the body, page numbers, offsets, a next URL
in the body, the `Link` header, a whole list in one answer); the awaited page has `data`, `hasNextPage()`,
`getNextPage()` and `iterPages()`. It stops on an empty page, on `has_more` false (even with items
promised and none given), on a repeated cursor or URL; an error on page two is the typed error, thrown
inside the loop, and a page whose connection breaks mid-body is retried, then an APIConnectionError. The next pages keep the first request's other query parameters and its headers.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from generator.pipeline import generate
from generator.targets.base import Job
from generator.write import write
from tests.support.loopback import Loopback, Recorded, Reply
from tests.support.paging import CASES, SPEC, Case, faulty_page_two, sent
from tests.typescript.support import NPM, build_package, compile_app, make_app, require_node

ROOT = Path(__file__).resolve().parents[2]

DRIVER = """\
import Pager, { APIError, type CursorPage, type Item, type ItemList, type PagePromise } from 'pager-sdk';

const maxRetries = Number(process.env['RETRIES'] ?? '0');
const client = new Pager({ apiKey: 'sk-test', baseURL: process.env['BASE_URL'] ?? '', maxRetries });
const out: Record<string, unknown> = {};
const [which, params] = process.argv.slice(2) as [string, string];

if (which === 'pages') {
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
} else {
  // a list of the client's, called first (its module not loaded yet): `for await` straight on the call
  const lists = client as unknown as Record<string, { list(...args: object[]): AsyncIterable<Item> }>;
  const given = JSON.parse(params) as object | null;
  const options = { headers: { 'X-Trace': 'trace-1' } };
  const ids: string[] = [];
  try {
    for await (const item of lists[which]!.list(...(given ? [given, options] : [options]))) ids.push(item.id);
  } catch (error) {
    out['error'] = error instanceof APIError ? [error.constructor.name, error.status] : String(error);
  }
  out['ids'] = ids;
}
console.log(JSON.stringify(out));
"""

# The same walk over `files.list` with ours and with the official package (whose `files` has this shape).
PARITY = """\
import Pager from 'pager-sdk';
import OpenAI from 'openai';

const which = process.argv[2];
const options = { apiKey: 'sk-test', baseURL: process.env['BASE_URL'] ?? '', maxRetries: 0 };
const client: { files: { list(params: object): AsyncIterable<{ id: string }> } } =
  which === 'ours' ? new Pager(options) : new OpenAI(options);
const ids: string[] = [];
for await (const file of client.files.list({ limit: 2, order: 'asc' })) ids.push(file.id);
console.log(JSON.stringify(ids));
"""


# The page classes as values, from the package's `pagination` subpath: `instanceof` on what lists return.
CLASSES = """\
import Pager from 'pager-sdk';
import { AbstractPage, CursorPage, LinkPage, Page } from 'pager-sdk/pagination';

const client = new Pager({ apiKey: 'sk-test', baseURL: process.env['BASE_URL'] ?? '', maxRetries: 0 });
const files = await client.files.list({ limit: 2 });
const repos = await client.repos.list({ per_page: 2 });
const models = await client.models.list();
console.log(JSON.stringify([
  files instanceof CursorPage, files instanceof AbstractPage, files instanceof LinkPage,
  repos instanceof LinkPage, models instanceof Page,
]));
"""
# The same with `require`; the root's module alone loads no pagination code.
CLASSES_CJS = """\
const loaded = () => Object.keys(require.cache).filter((f) => f.endsWith('pagination.js')).length;
const { default: Pager } = require('pager-sdk');
const before = loaded();
const { CursorPage } = require('pager-sdk/pagination');
const client = new Pager({ apiKey: 'sk-test', baseURL: process.env.BASE_URL, maxRetries: 0 });
client.files.list({ limit: 2 }).then((page) => {
  console.log(JSON.stringify([before, loaded(), page instanceof CursorPage]));
});
"""


def readme_program(readme: str) -> str:
    """The README's TypeScript blocks as one program that tsc checks: their imports first, each block
    the body of a function (the client of the first block also global)."""
    found = re.findall(r"```ts\n(.*?)```", readme, flags=re.S)
    assert len(found) >= 4 and "for await (const item of client.files.list(" in readme
    assert "'pager-sdk/pagination'" not in readme and "`pager-sdk/pagination`" in readme
    imports: list[str] = []
    bodies = []
    for n, block in enumerate(found):
        lines = block.splitlines()
        imports += [line for line in lines if line.startswith("import ") and line not in imports]
        body = "\n".join("  " + line for line in lines if not line.startswith("import "))
        bodies.append(f"export async function block{n}(): Promise<void> {{\n{body}\n}}\n")
    client = "const client = new Pager({ apiKey: 'k' });\n"
    return "\n".join(imports) + "\n\n" + client + "\n" + "\n".join(bodies)


def page(ids: list[str], **extra: Any) -> dict[str, Any]:
    return {"object": "list", "data": [{"id": i, "name": i.upper()} for i in ids], **extra}


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_node()
    where = tmp_path_factory.mktemp("ts-pagination")
    job = Job(spec=SPEC, target="typescript", out="x", package_name="pager-sdk", root=str(ROOT))
    write(where / "src-pkg", generate(job).files)
    package = build_package(where / "src-pkg", where / "pager-sdk")
    packages = {"pager-sdk": package, "openai": NPM / "openai"}
    sources = {"driver.ts": DRIVER, "parity.ts": PARITY, "classes.ts": CLASSES}
    sources["readme.ts"] = readme_program((where / "src-pkg" / "README.md").read_text())
    app = make_app(where / "app", packages, sources)
    compile_app(app)
    (app / "classes.cjs").write_text(CLASSES_CJS)
    return app


def run(
    app: Path, loopback: Loopback, which: str, *replies: Reply, params: dict[str, Any] | None = None,
    retries: int = 0,
) -> tuple[dict[str, Any], list[Recorded]]:
    loopback.reply(*replies)
    done = subprocess.run(
        ["node", str(app / "dist" / "driver.js"), which, json.dumps(params)], cwd=app,
        capture_output=True, text=True,
        env={**os.environ, "BASE_URL": loopback.url + "/v1", "RETRIES": str(retries)}, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout), loopback.requests


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_for_await_walks_every_page(app: Path, loopback: Loopback, case: Case) -> None:
    out, requests = run(app, loopback, case.resource, *case.replies(loopback.url), params=case.params)
    expected: dict[str, Any] = {"ids": case.ids}
    if case.error is not None:
        expected["error"] = ["NotFoundError", case.error]
    assert out == expected
    assert sent(requests) == case.requests
    # every page is asked for with the first request's headers
    assert {(r.header("x-trace"), r.header("authorization")) for r in requests} == {
        ("trace-1", "Bearer sk-test")
    }


@pytest.mark.parametrize("drop", [False, True], ids=["cut", "drop"])
def test_a_page_whose_connection_breaks_is_retried_then_throws_in_the_loop(
    app: Path, loopback: Loopback, drop: bool
) -> None:
    failing = faulty_page_two(tries=2, then_whole=False, drop=drop)
    out, requests = run(app, loopback, failing.resource, *failing.replies(loopback.url), params=failing.params,
                        retries=1)  # fmt: skip
    assert out == {"ids": failing.ids, "error": ["APIConnectionError", None]}
    assert sent(requests) == failing.requests
    loopback.requests.clear()
    recovering = faulty_page_two(tries=1, then_whole=True, drop=drop)
    out, requests = run(app, loopback, recovering.resource, *recovering.replies(loopback.url),
                        params=recovering.params, retries=1)  # fmt: skip
    assert out == {"ids": recovering.ids}
    assert sent(requests) == recovering.requests


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


def test_files_list_pages_as_the_official_package_does(app: Path, loopback: Loopback) -> None:
    case = CASES["cursor-from-last-item"]
    walked = {}
    for which in ("official", "ours"):
        loopback.requests.clear()
        loopback.reply(*case.replies(loopback.url))
        done = subprocess.run(
            ["node", str(app / "dist" / "parity.js"), which], cwd=app, capture_output=True, text=True,
            env={**os.environ, "BASE_URL": loopback.url + "/v1"}, timeout=60,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        requests = [(r.method, r.path, r.query, r.header("authorization")) for r in loopback.requests]
        walked[which] = (json.loads(done.stdout), requests)
    assert walked["ours"] == walked["official"]
    assert walked["ours"][0] == case.ids and len(walked["ours"][1]) == 3


def test_the_page_classes_come_from_the_pagination_subpath(app: Path, loopback: Loopback) -> None:
    """`pkg/pagination` exports the page classes as values (ESM and CommonJS) for `instanceof`; the
    root module does not import them: its emitted code names no pagination module."""
    listing = page(["f1"], has_more=False)
    env = {**os.environ, "BASE_URL": loopback.url + "/v1"}
    loopback.reply(Reply(200, listing), Reply(200, [{"id": "g1"}]), Reply(200, listing))
    done = subprocess.run(
        ["node", str(app / "dist" / "classes.js")], cwd=app, capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [True, True, False, True, True]
    loopback.reply(Reply(200, listing))
    done = subprocess.run(
        ["node", str(app / "classes.cjs")], cwd=app, capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [0, 1, True]
    package = app / "node_modules" / "pager-sdk" / "dist"
    for entry in (package / "index.js", package / "cjs" / "index.js"):
        imported = re.findall(r"(?:from |require\()['\"]([^'\"]+)['\"]", entry.read_text())
        assert imported and not any("pagination" in name for name in imported), imported
