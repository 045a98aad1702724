"""A next page on another host never gets the API key: Python (sync and async), TypeScript and Perl.

The SDKs are generated from tests/typescript/pagination/spec.yaml with every operation sending the key
four ways at once (the Authorization header, an `X-Api-Key` header, an `api_key` query parameter, a
`session` cookie; tests/support/paging.py). Two loopback servers: the client's base URL is A's; A's first
page says the next one is on B (another port: another origin), B's says the third is back on A. Every
item comes through; A's requests carry the key all four ways, B's in none.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.naming import snake, split_words
from generator.pipeline import generate
from generator.targets.base import Job
from generator.write import write
from tests.support.loopback import Loopback
from tests.support.paging import CROSS_HOST, KEY, CrossHost, keyed_spec, keys_sent
from tests.typescript.support import build_package, compile_app, make_app, require_node

ALL_WAYS = ["bearer", "header", "query", "cookie"]

PYTHON = f"""\
import asyncio, json, sys
import keyed_pager

base, resource, params, mode = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), sys.argv[4]
options = dict(api_key={KEY!r}, base_url=base, max_retries=0)
if mode == "sync":
    ids = [item.id for item in getattr(keyed_pager.Pager(**options), resource).list(**params)]
else:
    async def main():
        client = keyed_pager.AsyncPager(**options)
        return [item.id async for item in getattr(client, resource).list(**params)]
    ids = asyncio.run(main())
print(json.dumps(ids))
"""

TYPESCRIPT = f"""\
import Pager from 'keyed-pager';

const [base, resource, params] = process.argv.slice(2) as [string, string, string];
const client = new Pager({{ apiKey: '{KEY}', baseURL: base, maxRetries: 0 }});
const lists = client as unknown as Record<string, {{ list(params: object): AsyncIterable<{{ id: string }}> }}>;
const ids: string[] = [];
for await (const item of lists[resource]!.list(JSON.parse(params) as object)) ids.push(item.id);
console.log(JSON.stringify(ids));
"""

PERL = r"""
use strict; use warnings;
use JSON::PP;
use Pager;
my ($base, $sub, $params) = @ARGV;
my $client = Pager->new(api_key => $ENV{KEY}, base_url => $base, max_retries => 0);
my $items = $client->${\ "${sub}_all"}(JSON::PP->new->decode($params));
print JSON::PP->new->encode([map { $_->{id} } @$items]);
"""


@pytest.fixture(scope="module")
def spec(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return keyed_spec(tmp_path_factory.mktemp("keyed-spec"))


def generated(spec: Path, where: Path, target: str, package: str) -> Path:
    job = Job(spec=str(spec), target=target, out=str(where), package_name=package)
    write(where, generate(job).files)
    return where


def walk(case: CrossHost, command: list[str], args: list[str], env: dict[str, str] | None = None) -> None:
    """Runs one walk of `case` over two servers; checks the items and which requests carried the key."""
    with Loopback() as a, Loopback() as b:
        on_a, on_b = case.replies(a.url, b.url)
        a.reply(*on_a)
        b.reply(*on_b)
        done = subprocess.run(
            [*command, a.url + "/v1", *args], capture_output=True, text=True, timeout=120,
            env={**os.environ, **(env or {})},
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout) == case.ids
        assert [keys_sent(r) for r in a.requests] == [ALL_WAYS, ALL_WAYS]
        assert [keys_sent(r) for r in b.requests] == [[]]
        (on_b_request,) = b.requests
        assert on_b_request.header("authorization") is None and on_b_request.header("x-api-key") is None
        assert KEY not in on_b_request.target and KEY not in (on_b_request.header("cookie") or "")


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("case", CROSS_HOST.values(), ids=CROSS_HOST.keys())
def test_python(spec: Path, tmp_path: Path, case: CrossHost, mode: str) -> None:
    sdk = generated(spec, tmp_path / "py", "python", "keyed_pager")
    args = [case.resource, json.dumps(case.params), mode]
    walk(case, [sys.executable, "-c", PYTHON], args, {"PYTHONPATH": str(sdk)})


@pytest.fixture(scope="module")
def ts_app(spec: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_node()
    where = tmp_path_factory.mktemp("keyed-ts")
    package = build_package(generated(spec, where / "src-pkg", "typescript", "keyed-pager"), where / "pkg")
    app = make_app(where / "app", {"keyed-pager": package}, {"walk.ts": TYPESCRIPT})
    compile_app(app)
    return app


@pytest.mark.parametrize("case", CROSS_HOST.values(), ids=CROSS_HOST.keys())
def test_typescript(ts_app: Path, case: CrossHost) -> None:
    walk(case, ["node", str(ts_app / "dist" / "walk.js")], [case.resource, json.dumps(case.params)])


@pytest.mark.skipif(shutil.which("perl") is None, reason="perl is not installed")
@pytest.mark.parametrize("case", CROSS_HOST.values(), ids=CROSS_HOST.keys())
def test_perl(spec: Path, tmp_path: Path, case: CrossHost) -> None:
    dist = generated(spec, tmp_path / "perl", "perl", "Pager")
    sub = snake(split_words(case.op_id))
    walk(case, ["perl", f"-I{dist / 'lib'}", "-e", PERL], [sub, json.dumps(case.params)], {"KEY": KEY})
