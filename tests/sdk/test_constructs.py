"""The constructs of tests/golden/*/spec.yaml, on the wire and back, in the Python and TypeScript SDKs
(and the query styles in Perl).

Both SDKs are generated from the same small specs, call the loopback server the same way, and must
send the same requests: query styles (form, exploded or not, space- and pipe-delimited, deepObject,
spread objects), header and cookie parameters, an API key in a header, form-urlencoded, multipart with
an array of files, binary and JSON array bodies. Responses come back typed: discriminated unions pick
their variant by the tag, undiscriminated ones the first that fits, recursion nests, binary and text
responses are bytes and text, a 202 parses like a 200.
"""

from __future__ import annotations

import importlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from generator.pipeline import generate
from generator.targets.base import Job
from generator.write import write
from tests.support.loopback import Loopback, Recorded, Reply
from tests.typescript.support import build_package, compile_app, make_app, node, require_node

ROOT = Path(__file__).resolve().parents[2]
CASES = ("params", "bodies", "models")


@pytest.fixture(scope="module")
def sdks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ModuleType]:
    where = tmp_path_factory.mktemp("constructs-py")
    out = {}
    for case in CASES:
        job = Job(spec=f"tests/golden/{case}/spec.yaml", target="python", out="x", package_name=f"{case}_sdk",
                  root=str(ROOT))  # fmt: skip
        write(where / case, generate(job).files)
        sys.path.insert(0, str(where / case))
        out[case] = importlib.import_module(f"{case}_sdk")
    return out


def wire(request: Recorded) -> dict[str, Any]:
    parts = (
        [(p.name, p.filename, p.data) for p in request.parts()] if "multipart" in request.media_type else []
    )
    parts.sort(key=str)  # httpx sends data fields before files, fetch in the order given: both are right
    return {
        "method": request.method,
        "path": request.path,
        "query": request.query,
        "api_key": request.header("x-api-key"),
        "trace": request.header("x-trace-id"),
        "cookie": request.header("cookie"),
        "media_type": request.media_type,
        "body": request.body if not parts else b"",
        "parts": parts,
    }


EXPECTED_QUERY = [
    ("tags", "a"),
    ("tags", "b"),
    ("ids", "1,2"),
    ("words", "a b"),
    ("pipes", "a|b"),
    ("filter[color]", "red"),
    ("filter[size]", "2"),
    ("x", "1"),
    ("y", "2"),
    ("limit", "5"),
]


def python_calls(sdks: dict[str, ModuleType], url: str) -> dict[str, Any]:
    """Every call, in order; returns what came back."""
    params = sdks["params"].Params(api_key="key-1", base_url=url)
    bodies = sdks["bodies"].Bodies(api_key="unused", base_url=url)
    models = sdks["models"].Models(api_key="unused", base_url=url)
    out: dict[str, Any] = {}
    out["things"] = params.items.things.list(
        item_id=7, tags=["a", "b"], ids=[1, 2], words=["a", "b"], pipes=["a", "b"],
        filter={"color": "red", "size": 2}, point={"x": 1, "y": 2}, limit=5, x_trace_id="t-1", session="s-1",
    )  # fmt: skip
    bodies.forms.create(name="n", agree=True, colors=["r", "g"])
    out["upload"] = bodies.uploads.create(files=[("a.txt", b"A"), ("b.bin", b"\x00\x01")], purpose="p")
    bodies.blobs.update(blob_id="b 1", body=b"\x00raw\xff")
    out["blob"] = bodies.blobs.retrieve(blob_id="b1").content  # binary: bytes as they came
    out["readme"] = bodies.readme.retrieve().text
    out["job"] = bodies.jobs.create(body=["x", "y"])
    out["pet"] = models.pets.create(name="Rex", kind="dog", secret="s", tags=["t"], attributes={"a": 1})
    out["toys"] = models.pets.toys.list(pet_id="p1")
    out["tree"] = models.trees.retrieve()
    return out


TS_DRIVER = """\
import Params from 'params-sdk';
import Bodies from 'bodies-sdk';
import Models from 'models-sdk';

const url = process.env['BASE_URL'] ?? '';
const params = new Params({ apiKey: 'key-1', baseURL: url });
const bodies = new Bodies({ apiKey: 'unused', baseURL: url });
const models = new Models({ apiKey: 'unused', baseURL: url });
const out: Record<string, unknown> = {};
out['things'] = await params.items.things.list(7, {
  tags: ['a', 'b'], ids: [1, 2], words: ['a', 'b'], pipes: ['a', 'b'],
  filter: { color: 'red', size: 2 }, point: { x: 1, y: 2 }, limit: 5, 'X-Trace-Id': 't-1', session: 's-1',
});
await bodies.forms.create({ name: 'n', agree: true, colors: ['r', 'g'] });
out['upload'] = await bodies.uploads.create({
  files: [new File([new Uint8Array([65])], 'a.txt'), new File([new Uint8Array([0, 1])], 'b.bin')],
  purpose: 'p',
});
await bodies.blobs.update('b 1', { body: new Uint8Array([0, 114, 97, 119, 255]) });
const blob = await bodies.blobs.retrieve('b1');
out['blob'] = Array.from(new Uint8Array(await blob.arrayBuffer()));
out['readme'] = await (await bodies.readme.retrieve()).text(); // text/plain: the Response, unread
out['job'] = await bodies.jobs.create({ body: ['x', 'y'] });
out['pet'] = await models.pets.create({ name: 'Rex', kind: 'dog', secret: 's', tags: ['t'], attributes: { a: 1 } });
out['toys'] = await models.pets.toys.list('p1');
out['tree'] = await models.trees.retrieve();
console.log(JSON.stringify(out));
"""

PET = {
    "id": "p1", "name": "Rex", "kind": "dog", "status": "a-status-we-do-not-know",
    "animal": {"type": "cat", "lives": 7}, "favourite": {"name": "ball", "price": 1.5}, "level": 2,
}  # fmt: skip
TREE = {"value": 1, "children": [{"value": 2, "children": [], "owner": {"nodes": [{"value": 3}]}}]}


def respond(request: Recorded) -> Reply:
    path = request.path
    if path.startswith("/items/"):
        return Reply(200, {"query": request.query_string})
    if path == "/uploads":
        return Reply(200, {"count": len(request.parts())})
    if path.startswith("/blobs/") and request.method == "GET":
        return Reply(200, b"\x00\x01bytes", {"Content-Type": "application/octet-stream"})
    if path == "/readme":
        return Reply(200, "# Read me\n")
    if path == "/jobs":
        return Reply(202, {"id": "j1", "state": "queued"})
    if path == "/pets":
        return Reply(201, PET)
    if path.endswith("/toys"):
        return Reply(200, [{"name": "ball"}, {"name": "rope", "price": 2}])
    if path == "/trees":
        return Reply(200, TREE)
    return Reply(204)


def test_python_sends_each_construct_as_the_spec_says(
    sdks: dict[str, ModuleType], loopback: Loopback
) -> None:
    loopback.responder = respond
    out = python_calls(sdks, loopback.url)
    sent = [wire(r) for r in loopback.requests]
    things, form, upload, put, _, _, job, pet, _, _ = sent
    assert things["path"] == "/items/7/things" and things["query"] == EXPECTED_QUERY
    assert (things["api_key"], things["trace"], things["cookie"]) == ("key-1", "t-1", "session=s-1")
    assert form["media_type"] == "application/x-www-form-urlencoded"
    assert form["body"] == b"name=n&agree=true&colors%5B%5D=r&colors%5B%5D=g"
    assert upload["parts"] == [  # sorted
        ("files[]", "a.txt", b"A"),
        ("files[]", "b.bin", b"\x00\x01"),
        ("purpose", None, b"p"),
    ]
    assert put["path"] == "/blobs/b%201" and put["media_type"] == "application/octet-stream"
    assert put["body"] == b"\x00raw\xff"
    assert job["body"] == b'["x", "y"]' or json.loads(job["body"]) == ["x", "y"]
    assert json.loads(pet["body"]) == {
        "name": "Rex",
        "kind": "dog",
        "secret": "s",
        "tags": ["t"],
        "attributes": {"a": 1},
    }
    # responses, typed
    assert out["upload"].count == 3 and out["blob"] == b"\x00\x01bytes" and out["readme"] == "# Read me\n"
    assert out["job"].id == "j1" and out["job"].state == "queued"
    models = importlib.import_module("models_sdk")
    pet_out = out["pet"]
    assert isinstance(pet_out, models.types.Pet) and pet_out.status == "a-status-we-do-not-know"
    assert type(pet_out.animal).__name__ == "Cat" and pet_out.animal.lives == 7  # by the discriminator
    assert type(pet_out.favourite).__name__ == "Toy" and pet_out.favourite.price == 1.5  # the first that fits
    assert [t.name for t in out["toys"]] == ["ball", "rope"]
    assert out["tree"].children[0].owner.nodes[0].value == 3  # recursive and mutually recursive


def test_typescript_sends_what_python_sends(
    sdks: dict[str, ModuleType], loopback: Loopback, tmp_path: Path
) -> None:
    require_node()
    packages = {}
    for case in CASES:
        job = Job(spec=f"tests/golden/{case}/spec.yaml", target="typescript", out="x",
                  package_name=f"{case}-sdk", root=str(ROOT))  # fmt: skip
        write(tmp_path / "src" / case, generate(job).files)
        packages[f"{case}-sdk"] = build_package(tmp_path / "src" / case, tmp_path / f"{case}-sdk")
    app = make_app(tmp_path / "app", packages, {"driver.ts": TS_DRIVER})
    compile_app(app)
    loopback.responder = respond
    python_calls(sdks, loopback.url)
    from_python = [wire(r) for r in loopback.requests]
    loopback.requests.clear()
    run = node(app, "driver.js", env={"BASE_URL": loopback.url})
    assert run.returncode == 0, run.stderr
    from_ts = [wire(r) for r in loopback.requests]
    assert len(from_ts) == len(from_python)
    for mine, theirs in zip(from_ts, from_python, strict=True):
        if mine["path"] == "/jobs":  # JSON texts may differ in spacing; the values may not
            assert json.loads(mine.pop("body")) == json.loads(theirs.pop("body"))
        if mine["path"] == "/pets":
            assert json.loads(mine.pop("body")) == json.loads(theirs.pop("body"))
        assert mine == theirs
    out = json.loads(run.stdout)
    assert out["things"] == {"query": loopback.requests[0].query_string}
    assert out["blob"] == list(b"\x00\x01bytes") and out["readme"] == "# Read me\n"
    assert out["job"] == {"id": "j1", "state": "queued"} and out["pet"] == PET and out["tree"] == TREE


PERL_CALL = r"""
use strict; use warnings;
use Golden::Params;
my $client = Golden::Params->new(api_key => 'key-1', base_url => $ENV{BASE_URL});
$client->list_item_things({
    item_id => 7, tags => ['a', 'b'], ids => [1, 2], words => ['a', 'b'], pipes => ['a', 'b'],
    filter => { color => 'red', size => 2 }, point => { x => 1, y => 2 }, limit => 5,
    'X-Trace-Id' => 't-1', session => 's-1',
});
"""


def test_perl_sends_the_query_styles_too(loopback: Loopback, tmp_path: Path) -> None:
    if shutil.which("perl") is None:
        pytest.skip("perl is not installed")
    job = Job(spec="tests/golden/params/spec.yaml", target="perl", out="x", package_name="Golden::Params",
              root=str(ROOT))  # fmt: skip
    write(tmp_path / "dist", generate(job).files)
    loopback.responder = respond
    run = subprocess.run(
        ["perl", f"-I{tmp_path / 'dist' / 'lib'}", "-e", PERL_CALL], capture_output=True, text=True, timeout=60,
        env={**os.environ, "BASE_URL": loopback.url},
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    (sent,) = [wire(r) for r in loopback.requests]
    assert sent["path"] == "/items/7/things" and sent["query"] == EXPECTED_QUERY
    assert (sent["api_key"], sent["trace"], sent["cookie"]) == ("key-1", "t-1", "session=s-1")


def test_the_cli_reaches_nested_resources(sdks: dict[str, ModuleType], loopback: Loopback) -> None:
    loopback.responder = respond
    folder = Path(sdks["models"].__file__ or "").parent.parent
    run = subprocess.run(
        [sys.executable, "-m", "models_sdk", "--api-key", "k", "--base-url", loopback.url, "pets", "toys", "list",
         "--pet-id", "p 1"],
        capture_output=True, text=True, timeout=60, env={**os.environ, "PYTHONPATH": str(folder)},
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == [{"name": "ball"}, {"name": "rope", "price": 2}]
    (sent,) = loopback.requests
    assert (sent.method, sent.path) == ("GET", "/pets/p%201/toys")
