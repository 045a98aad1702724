"""Call shapes and names of the generated TypeScript SDK as the official `openai` npm package has them.

tests/typescript/shapes/spec.yaml, generated with a names table that fixes its resources and methods:
the last path parameter is a positional argument and the others are members of the params object
(`client.stores.files.retrieve('f_1', { store_id: 'vs_1' })`); `delete` and `import` are methods' names
and `default` a resource's; the resource `batch`, whose class is `Batch` as the schema `Batch` is, leaves the
type its name. A program using all of that compiles with tsc --strict (the old shapes must not: it says so
with `@ts-expect-error`) and runs with node against the loopback server, which records what arrives. The
docs target's TypeScript example of every operation is in that shape too: each compiles and sends its request.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from generator.pipeline import generate
from generator.targets.base import Job
from generator.write import write
from tests.support.loopback import Loopback, Recorded, Reply
from tests.typescript.support import build_package, compile_app, make_app, node, require_node

ROOT = Path(__file__).resolve().parents[2]
NAMES = {
    "listBatches": "batch.list",
    "retrieveBatch": "batch.retrieve",
    "deleteBatch": "batch.delete",
    "cancelBatch": "batch.cancel",
    "listStoreFiles": "stores.files.list",
    "createStoreFile": "stores.files.create",
    "retrieveStoreFile": "stores.files.retrieve",
    "updateStoreFile": "stores.files.update",
    "deleteStoreFile": "stores.files.delete",
    "retrieveStoreFileContent": "stores.files.content",
    "createImport": "default.import",
}

CALLS = """\
import * as resources from 'shapes-sdk/resources';
import Shapes, {
  type Batch,
  type BatchList,
  type Deleted,
  type StoreFile,
  type StoreFileRetrieveParams,
  type StoreFileUpdateParams,
} from 'shapes-sdk';

const client = new Shapes({ apiKey: 'sk-shapes', baseURL: process.env['BASE_URL'] ?? '', maxRetries: 0 });
const out: Array<unknown> = [];

const batch: Batch = await client.batch.retrieve('b_1');
const status: 'in_progress' | 'cancelled' = batch.status;
out.push(status);
out.push(await client.batch.cancel('b 2'));
const deleted: Deleted = await client.batch.delete('b_3');
out.push(deleted.deleted);
const list: BatchList = await client.batch.list({ limit: 2 });
out.push(list.data.length);
await client.batch.list();

const where: StoreFileRetrieveParams = { store_id: 'vs_1' };
const file: StoreFile = await client.stores.files.retrieve('f_1', where);
out.push(file.store_id);
const update: StoreFileUpdateParams = { store_id: 'vs_2', attributes: { colour: 'red' } };
out.push(await client.stores.files.update('f_2', update));
out.push(await client.stores.files.delete('f_3', { store_id: 'vs_3' }));
const content: Response = await client.stores.files.content('f/4', { store_id: 'vs 4', page: 2 });
out.push(await content.text());
out.push(await client.stores.files.list('vs_5', { limit: 1 }));
out.push(await client.stores.files.create('vs_6', { file_id: 'f_6' }));
out.push(await client.default.import({ source: 's3://bucket' }));

// the resource classes are `resources.X`, whatever the types are called
const resource: resources.Batch = client.batch;
out.push(resource instanceof resources.Batch, client.stores.files instanceof resources.StoresFiles);
console.log(JSON.stringify(out));
"""

# Compiled, never run: each marked line must be a type error, else tsc fails on the unused directive.
OLD_SHAPES = """\
import Shapes from 'shapes-sdk';

const client = new Shapes({ apiKey: 'k' });
export async function old(): Promise<void> {
  // @ts-expect-error every path parameter but the last goes in the params object
  await client.stores.files.retrieve('vs_1', 'f_1');
  // @ts-expect-error the params object is required: the store's ID is in it
  await client.stores.files.retrieve('f_1');
  // @ts-expect-error the store's ID is required
  await client.stores.files.delete('f_1', {});
  // @ts-expect-error the update's body needs its attributes
  await client.stores.files.update('f_1', { store_id: 'vs_1' });
  // @ts-expect-error a method whose params object would be empty takes none
  await client.batch.cancel('b_1', { limit: 1 });
  // @ts-expect-error the method is `delete`
  await client.batch.delete_('b_1');
}
"""

BATCH = {"id": "b_1", "status": "in_progress"}
FILE = {"id": "f_1", "store_id": "vs_1"}
DELETED = {"id": "x", "deleted": True}


def _respond(request: Recorded) -> Reply:
    path, method = request.path, request.method
    if path.endswith("/content"):
        return Reply(200, "the content")
    if path.startswith("/v1/batch"):
        if method == "DELETE":
            return Reply(200, DELETED)
        return Reply(200, {"data": [BATCH, BATCH]} if path == "/v1/batch" else BATCH)
    if path.startswith("/v1/stores/"):
        if method == "DELETE":
            return Reply(200, DELETED)
        return Reply(200, [FILE] if path.endswith("/files") and method == "GET" else FILE)
    return Reply(200, {"source": "s3://bucket"})


def _generate(target: str, where: Path) -> Path:
    job = Job(spec="tests/typescript/shapes/spec.yaml", target=target, out="x", package_name="shapes-sdk",
              names=NAMES, options={"typescript-package": "shapes-sdk"} if target == "docs" else {},
              root=str(ROOT))  # fmt: skip
    write(where, generate(job).files)
    return where


@pytest.fixture(scope="module")
def sdk(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The generated package's sources (src/ and the rest), before any build."""
    return _generate("typescript", tmp_path_factory.mktemp("ts-shapes") / "shapes-sdk-src")


@pytest.fixture(scope="module")
def docs(sdk: Path) -> dict[str, tuple[str, str, str]]:
    """{name: (method, path template, TypeScript example)} for every operation's page of the docs."""
    pages = _generate("docs", sdk.parent / "docs")
    out = {}
    for page in sorted(pages.rglob("*.md")):
        text = page.read_text()
        head = re.search(r"^\*\*(\w+)\*\* `([^`]+)`", text, re.M)
        example = re.search(r"### TypeScript\n\n```typescript\n(.*?)\n```", text, re.S)
        if head and example:
            name = page.relative_to(pages).with_suffix("").as_posix().replace("/", "_")
            out[name] = (head[1].upper(), head[2], example[1] + "\n")
    return out


@pytest.fixture(scope="module")
def app(sdk: Path, docs: dict[str, tuple[str, str, str]]) -> Path:
    require_node()
    package = build_package(sdk, sdk.parent / "shapes-sdk")
    sources = {"calls.ts": CALLS, "old.ts": OLD_SHAPES}
    sources.update({f"doc_{name}.ts": code for name, (_, _, code) in docs.items()})
    built = make_app(sdk.parent / "app", {"shapes-sdk": package}, sources)
    compile_app(built)
    return built


def test_the_schema_keeps_its_name_beside_a_resource_class_of_the_same(sdk: Path) -> None:
    texts = {p.relative_to(sdk).as_posix(): p.read_text() for p in (sdk / "src").rglob("*.ts")}
    numbered = [path for path, text in texts.items() if re.search(r"\b(Batch|Default|Import)_?\d\b", text)]
    assert not numbered
    assert "export type { Batch } from './batch.js';" in texts["src/types/index.ts"]
    assert "export interface Batch {" in texts["src/types/batch.ts"]
    batch = texts["src/resources/batch.ts"]
    assert "export class Batch extends APIResource {" in batch
    # the module refers to the type through the types' namespace: its own `Batch` is the class
    assert "import type * as Types from '../types/index.js';" in batch
    assert "retrieve(batchId: string, options?: RequestOptions): APIPromise<Types.Batch> {" in batch
    assert "import type { Batch }" not in batch
    # the client refers to its resources' types through their index module; their modules load lazily
    client = texts["src/client.ts"]
    assert "import type * as API from './resources/index.js';" in client
    assert "  get batch(): API.Batch {" in client
    assert "load: () => import('./resources/batch.js')," in client
    # a module without such a class imports its types by name
    assert "import type * as" not in texts["src/resources/stores/files.ts"]


def test_methods_take_the_last_path_parameter_first(sdk: Path) -> None:
    files = (sdk / "src" / "resources" / "stores" / "files.ts").read_text()
    signatures = re.findall(r"^  (\w+)\((.*)\): APIPromise", files, re.M)
    assert signatures == [
        ("list", "storeId: string, params: StoreFileListParams = {}, options?: RequestOptions"),
        ("create", "storeId: string, params: StoreFileCreateParams, options?: RequestOptions"),
        ("retrieve", "fileId: string, params: StoreFileRetrieveParams, options?: RequestOptions"),
        ("update", "fileId: string, params: StoreFileUpdateParams, options?: RequestOptions"),
        ("delete", "fileId: string, params: StoreFileDeleteParams, options?: RequestOptions"),
        ("content", "fileId: string, params: StoreFileContentParams, options?: RequestOptions"),
    ]
    batch = (sdk / "src" / "resources" / "batch.ts").read_text()
    assert "  cancel(batchId: string, options?: RequestOptions): APIPromise<Types.Batch> {" in batch
    assert "  delete(batchId: string, options?: RequestOptions): APIPromise<Deleted> {" in batch
    assert "delete_" not in batch and "import_" not in (sdk / "src" / "resources" / "default.ts").read_text()


def _wire(request: Recorded) -> tuple[str, str, list[tuple[str, str]], Any]:
    """The method, path, query and JSON body (None when there is none) of a request."""
    return request.method, request.path, request.query, json.loads(request.body) if request.body else None


def test_new_shapes_compile_and_send_each_parameter_where_it_belongs(app: Path, loopback: Loopback) -> None:
    loopback.responder = _respond
    run = node(app, "calls.js", env={"BASE_URL": loopback.url + "/v1"})
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == [
        "in_progress",
        BATCH,
        True,
        2,
        "vs_1",
        FILE,
        DELETED,
        "the content",
        [FILE],
        FILE,
        {"source": "s3://bucket"},
        True,
        True,
    ]
    assert [_wire(r) for r in loopback.requests] == [
        ("GET", "/v1/batch/b_1", [], None),
        ("POST", "/v1/batch/b%202/cancel", [], None),
        ("DELETE", "/v1/batch/b_3", [], None),
        ("GET", "/v1/batch", [("limit", "2")], None),
        ("GET", "/v1/batch", [], None),
        ("GET", "/v1/stores/vs_1/files/f_1", [], None),
        # the store's ID goes into the path, not into the body
        ("POST", "/v1/stores/vs_2/files/f_2", [], {"attributes": {"colour": "red"}}),
        ("DELETE", "/v1/stores/vs_3/files/f_3", [], None),
        ("GET", "/v1/stores/vs%204/files/f%2F4/content", [("page", "2")], None),
        ("GET", "/v1/stores/vs_5/files", [("limit", "1")], None),
        ("POST", "/v1/stores/vs_6/files", [], {"file_id": "f_6"}),
        ("POST", "/v1/imports", [], {"source": "s3://bucket"}),
    ]
    assert {r.header("authorization") for r in loopback.requests} == {"Bearer sk-shapes"}


def test_every_docs_example_uses_the_shape_and_sends_its_request(
    app: Path, docs: dict[str, tuple[str, str, str]], loopback: Loopback
) -> None:
    assert len(docs) == len(NAMES)
    # the file's ID first, the store's in the params object
    assert re.search(
        r"client\.stores\.files\.retrieve\('[^']*', \{\n  store_id: '[^']*',\n\}\);",
        docs["stores_files_retrieve"][2],
    )
    assert re.search(r"client\.batch\.delete\('[^']*'\);", docs["batch_delete"][2])
    loopback.responder = _respond
    env = {"SHAPES_API_KEY": "sk-docs", "SHAPES_BASE_URL": loopback.url + "/v1"}
    for name, (method, template, _) in docs.items():
        before = len(loopback.requests)
        run = node(app, f"doc_{name}.js", env=env)
        assert run.returncode == 0, f"{name}: {run.stderr}"
        (sent,) = loopback.requests[before:]
        path = "/v1" + "[^/]+".join(re.escape(part) for part in re.split(r"\{[^}]+\}", template))
        assert sent.method == method and re.fullmatch(path, sent.path), (name, sent.method, sent.path)
