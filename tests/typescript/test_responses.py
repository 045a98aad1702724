"""Issue 17, TypeScript: answers by media type, client options, errors, request ids, CommonJS, wire bugs.

tests/typescript/responses/spec.yaml's SDK, built with the real tsc (ES modules and CommonJS) and run with
node against the loopback server:
- a file's bytes (the spec's JSON `string`, as OpenAI's `GET /files/{id}/content` says), a PNG, JSON Lines,
  plain text and audio come back as the fetch `Response`, unread, byte for byte (0x89, 0xFF), with `Accept`
  from the spec's media types; JSON is parsed and carries `_request_id`;
- `withOptions`, `withResponse()`'s `request_id`, and the errors' fields are those of the official `openai`
  npm package, which makes the same calls (`files.content`, `audio.speech.create`, `files.retrieve`) with
  the same requests;
- `require` works (a .cjs program, a typed .cts program) beside `import`;
- a path key carrying a query (`/responses?beta=true`) sends it as the query; an array header parameter is
  sent comma-joined (`openai-beta: a,b`).
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
from tests.typescript.support import NPM, build_package, compile_app, make_app, node, require_node

ROOT = Path(__file__).resolve().parents[2]
NAMES = {"createSpeech": "audio.speech.create"}
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) + b"\xff\xd8\xff"
JSONL = '{"a": 1}\n{"b": "ü"}\n'.encode()
AUDIO = b"ID3\x04\x00\xff\xfb\x90\x64" + bytes(range(255, -1, -1))
FILE = {"id": "file-abc", "object": "file", "bytes": 3}
NOT_FOUND = {
    "error": {
        "message": "No such file: missing",
        "type": "invalid_request_error",
        "param": "file_id",
        "code": "file_not_found",
    }
}
FLAT = {"message": "Flat.", "code": "flat_code", "param": "p", "type": "flat_type"}

DRIVER = """\
import Ours from 'responses-sdk';
import Official from 'openai';

const which = process.argv[2];
const baseURL = process.env['BASE_URL'] ?? '';
const Client: any = which === 'ours' ? Ours : Official;
const client = new Client({ apiKey: 'sk-parity', baseURL: `${baseURL}/v1`, maxRetries: 0 });
const out: Record<string, unknown> = {};
const hex = async (r: Response): Promise<string> => Buffer.from(await r.arrayBuffer()).toString('hex');
const fields = (err: any) => ({
  name: err.constructor.name, status: err.status, message: err.message, error: err.error ?? null,
  code: err.code ?? null, param: err.param ?? null, type: err.type ?? null, requestID: err.requestID ?? null,
  headers: err.headers instanceof Headers ? err.headers.get('x-request-id') : 'not Headers',
});

const png = await client.files.content('file-png');
out['png'] = {
  isResponse: png instanceof Response, bodyUsed: png.bodyUsed, type: png.headers.get('content-type'),
  hex: await hex(png),
};
out['jsonl'] = await hex(await client.files.content('file-jsonl'));
const speech = await client.audio.speech.create({ model: 'tts-1', input: 'Hi', voice: 'alloy' });
out['speech'] = { isResponse: speech instanceof Response, hex: await hex(speech) };
const file = await client.files.retrieve('file-abc');
out['file'] = { json: JSON.stringify(file), keys: Object.keys(file), requestID: file._request_id };
const { data, response, request_id } = await client.files.retrieve('file-abc').withResponse();
out['withResponse'] = { id: data.id, status: response.status, request_id, dataRequestID: data._request_id };
const raw = await client.files.content('file-png').withResponse();
out['rawDownload'] = { same: raw.data === raw.response, request_id: raw.request_id };
out['error'] = await client.files.retrieve('missing').then(() => 'resolved', fields);
const derived = client.withOptions({
  baseURL: `${baseURL}/v2`, maxRetries: 1, timeout: 4321, defaultHeaders: { 'X-Derived': 'yes' },
});
out['derived'] = {
  sameClass: derived.constructor === client.constructor, distinct: derived !== client,
  maxRetries: derived.maxRetries, timeout: derived.timeout, baseURL: derived.baseURL === `${baseURL}/v2`,
  original: [client.maxRetries, client.timeout, client.baseURL === `${baseURL}/v1`],
};
out['retried'] = (await derived.files.retrieve('retry-once')).id;
out['stillOriginal'] = await client.files.retrieve('retry-once').then(() => 'resolved', (err: any) => err.status);
if (which === 'ours') {
  out['image'] = await hex(await client.images.content('img'));
  out['export'] = await (await client.exports.retrieve('e1')).text();
  out['note'] = await (await client.notes.retrieve('n1')).text();
  out['created'] = await client.responses.create({ model: 'm', 'openai-beta': ['responses_multi_agent=v1', 'x=v2'] });
  out['retrieved'] = await client.responses.retrieve('resp_1', { include: ['a', 'b'], 'openai-beta': ['x=v1'] });
  const list = await client.files.list();
  out['list'] = { requestID: list._request_id, dataRequestID: (list.data as any)._request_id ?? 'none' };
  out['flat'] = await client.files.retrieve('flat').then(() => 'resolved', fields);
}
console.log(JSON.stringify(out));
"""

TYPED = """\
import OpenAI, { APIError, NotFoundError, type APIPromise, type FileObject, type Response_2 } from 'responses-sdk';

const client = new OpenAI({ apiKey: 'sk-typed', baseURL: process.env['BASE_URL'] ?? '', maxRetries: 0 });
const download: APIPromise<Response> = client.files.content('file-png');
const bytes: Uint8Array = new Uint8Array(await (await download).arrayBuffer());
const audio: Response = await client.audio.speech.create({ model: 'tts-1', input: 'Hi', voice: 'alloy' });
const file = await client.files.retrieve('file-abc');
const record: FileObject = file;
const requestID: string | null | undefined = file._request_id;
const raw: { data: FileObject; response: Response; request_id: string | null } =
  await client.files.retrieve('file-abc').withResponse();
const derived: OpenAI = client.withOptions({ timeout: 1000, maxRetries: 0 });
const created: Response_2 = await derived.responses.create({ model: 'm', 'openai-beta': ['x=v1'] });
let code: string | null | undefined;
let status: number | undefined;
try {
  await client.files.retrieve('missing');
} catch (err) {
  if (err instanceof NotFoundError) code = err.code;
  if (err instanceof APIError) status = err.status;
}
console.log(JSON.stringify({
  bytes: bytes.length, first: bytes[0], audio: audio.headers.get('content-type'), id: record.id, requestID,
  rawRequestID: raw.request_id, created: created.id, timeout: derived.timeout, code, status,
}));

// compiled, never run: each marked line must be a type error, else tsc fails on the unused directive
export async function wrong(): Promise<void> {
  // @ts-expect-error a download is a Response, not text
  const text: string = await client.files.content('x');
  // @ts-expect-error an array header parameter takes an array
  await client.responses.create({ model: 'm', 'openai-beta': 'x=v1' });
  // @ts-expect-error withOptions takes the client's options
  client.withOptions({ timeOut: 5 });
  void text;
}
"""

# a typed CommonJS program: tsc compiles it to dist/typed.cjs, whose imports are `require` calls
TYPED_CTS = """\
import OpenAI, { NotFoundError, type FileObject } from 'responses-sdk';
import sdk = require('responses-sdk');

async function main(): Promise<void> {
  const client = new OpenAI({ apiKey: 'sk-cts', baseURL: process.env['BASE_URL'] ?? '', maxRetries: 0 });
  const file = await client.files.retrieve('file-abc');
  const record: FileObject = file;
  const png: Response = await client.files.content('file-png');
  const bytes = Array.from(new Uint8Array(await png.arrayBuffer()).slice(0, 4));
  const notFound = await client.files.retrieve('missing').then(
    () => false,
    (err: unknown) => err instanceof NotFoundError && err instanceof sdk.APIError,
  );
  const derived: OpenAI = client.withOptions({ maxRetries: 0 });
  console.log(JSON.stringify({
    id: record.id, requestID: file._request_id, bytes, notFound, derived: derived instanceof sdk.OpenAI,
    same: sdk.default === OpenAI && sdk.OpenAI === OpenAI, resolved: require.resolve('responses-sdk'),
  }));
}

void main();
"""

PLAIN_CJS = """\
const { OpenAI, NotFoundError } = require('responses-sdk');
const Default = require('responses-sdk').default;
const resources = require('responses-sdk/resources');

const client = new Default({ apiKey: 'sk-cjs', baseURL: process.env.BASE_URL, maxRetries: 0 });
(async () => {
  const png = await client.files.content('file-png');
  const bytes = Buffer.from(await png.arrayBuffer()).toString('hex');
  const err = await client.files.retrieve('missing').catch((e) => e);
  console.log(JSON.stringify({
    same: Default === OpenAI, bytes, notFound: err instanceof NotFoundError, code: err.code,
    instance: client.files instanceof resources.Files,
  }));
})();
"""


class Server:
    """The loopback's answers for both SDKs; a retry path fails once per run, then answers."""

    def __init__(self) -> None:
        self.failed: set[str] = set()

    def __call__(self, request: Recorded) -> Reply:
        path, method = request.path, request.method
        rid = {"x-request-id": "req_" + path.rsplit("/", 1)[-1]}
        if path.endswith("/retry-once"):
            if path not in self.failed:
                self.failed.add(path)
                return Reply(500, {"error": {"message": "try again"}}, rid)
            return Reply(200, {**FILE, "id": "file-retried"}, rid)
        if path == "/v1/files/file-png/content" or path == "/v1/images/img/content":
            kind = "image/png" if "images" in path else "application/octet-stream"
            return Reply(200, PNG, {"Content-Type": kind, **rid})
        if path in ("/v1/files/file-jsonl/content", "/v1/exports/e1"):
            return Reply(200, JSONL, {"Content-Type": "application/jsonl", **rid})
        if path == "/v1/notes/n1":
            return Reply(200, "héllo\n", rid)
        if path == "/v1/audio/speech" and method == "POST":
            return Reply(200, AUDIO, {"Content-Type": "audio/mpeg", **rid})
        if path.endswith("/files/missing"):
            return Reply(404, NOT_FOUND, rid)
        if path.endswith("/files/flat"):
            return Reply(400, FLAT, rid)
        if path == "/v1/files":
            return Reply(200, {"data": [FILE]}, rid)
        if path.startswith("/v1/responses"):
            return Reply(200, {"id": "resp_1", "model": "m"}, rid)
        return Reply(200, FILE, rid)


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_node()
    where = tmp_path_factory.mktemp("ts-responses")
    job = Job(spec="tests/typescript/responses/spec.yaml", target="typescript", out="x",
              package_name="responses-sdk", client_name="OpenAI", names=NAMES, root=str(ROOT))  # fmt: skip
    write(where / "src-sdk", generate(job).files)
    package = build_package(where / "src-sdk", where / "responses-sdk")
    sources = {"driver.ts": DRIVER, "typed.ts": TYPED, "typed.cts": TYPED_CTS}
    built = make_app(where / "app", {"responses-sdk": package, "openai": NPM / "openai"}, sources)
    compile_app(built)
    (built / "plain.cjs").write_text(PLAIN_CJS)
    return built


def _run(app: Path, loopback: Loopback, which: str) -> tuple[dict[str, Any], list[Recorded]]:
    loopback.requests.clear()
    loopback.responder = Server()
    run = node(app, "driver.js", which, env={"BASE_URL": loopback.url})
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout), list(loopback.requests)


def _wire(request: Recorded) -> dict[str, Any]:
    return {
        "method": request.method,
        "path": request.path,
        "query": request.query,
        "authorization": request.header("authorization"),
        "content_type": request.media_type,
        "body": request.json() if request.body else None,
        "derived": request.header("x-derived"),
    }


def test_answers_errors_options_and_requests_match_the_official_package(app: Path, loopback: Loopback) -> None:
    ours, ours_sent = _run(app, loopback, "ours")
    official, official_sent = _run(app, loopback, "official")
    shared = {k: v for k, v in ours.items() if k in official}
    assert shared == official
    assert [_wire(r) for r in ours_sent[: len(official_sent)]] == [_wire(r) for r in official_sent]
    # and what both give: the bytes as sent, a Response unread, the request id where the official has it
    assert official["png"] == {
        "isResponse": True, "bodyUsed": False, "type": "application/octet-stream", "hex": PNG.hex(),
    }  # fmt: skip
    assert official["jsonl"] == JSONL.hex() and official["speech"] == {"isResponse": True, "hex": AUDIO.hex()}
    assert official["file"] == {
        "json": json.dumps(FILE, separators=(",", ":")), "keys": list(FILE), "requestID": "req_file-abc",
    }  # fmt: skip
    assert official["withResponse"] == {
        "id": "file-abc", "status": 200, "request_id": "req_file-abc", "dataRequestID": "req_file-abc",
    }  # fmt: skip
    assert official["rawDownload"] == {"same": True, "request_id": "req_content"}  # the Response is the data
    assert official["error"] == {
        "name": "NotFoundError", "status": 404, "message": "404 No such file: missing",
        "error": NOT_FOUND["error"], "code": "file_not_found", "param": "file_id",
        "type": "invalid_request_error", "requestID": "req_missing", "headers": "req_missing",
    }  # fmt: skip
    assert official["derived"] == {
        "sameClass": True, "distinct": True, "maxRetries": 1, "timeout": 4321, "baseURL": True,
        "original": [0, 600000, True],
    }  # fmt: skip
    assert official["retried"] == "file-retried" and official["stillOriginal"] == 500
    retried = [r for r in ours_sent if r.path == "/v2/files/retry-once"]
    assert len(retried) == 2 and {r.header("x-derived") for r in retried} == {"yes"}
    assert [r.path for r in ours_sent].count("/v1/files/retry-once") == 1  # the original: no retries


def test_accept_is_the_spec_media_types_of_the_answer(app: Path, loopback: Loopback) -> None:
    _, sent = _run(app, loopback, "ours")
    accept = {(r.method, r.path): r.header("accept") for r in sent}
    assert accept[("GET", "/v1/files/file-png/content")] == "*/*"  # the spec says JSON: it is not
    assert accept[("POST", "/v1/audio/speech")] == "application/octet-stream"  # the events left out
    assert accept[("GET", "/v1/images/img/content")] == "image/png, image/webp"
    assert accept[("GET", "/v1/exports/e1")] == "application/jsonl"
    assert accept[("GET", "/v1/notes/n1")] == "text/plain"
    assert accept[("GET", "/v1/files/file-abc")] == "application/json"
    _, official = _run(app, loopback, "official")  # the same as ours where the spec and it agree
    speech = next(r for r in official if r.path == "/v1/audio/speech")
    assert speech.header("accept") == "application/octet-stream"


def test_binary_and_text_answers_come_back_unread_and_byte_identical(app: Path, loopback: Loopback) -> None:
    ours, _ = _run(app, loopback, "ours")
    assert ours["image"] == PNG.hex()
    assert ours["export"] == JSONL.decode() and ours["note"] == "héllo\n"
    assert ours["list"] == {"requestID": "req_files", "dataRequestID": "none"}  # objects only, not arrays
    assert ours["flat"] == {  # a body without `error`: its own fields
        "name": "BadRequestError", "status": 400, "message": "400 Flat.", "error": FLAT,
        "code": "flat_code", "param": "p", "type": "flat_type", "requestID": "req_flat", "headers": "req_flat",
    }  # fmt: skip


def test_a_path_key_with_a_query_and_an_array_header_on_the_wire(app: Path, loopback: Loopback) -> None:
    ours, sent = _run(app, loopback, "ours")
    assert ours["created"] == ours["retrieved"] == {"id": "resp_1", "model": "m"}
    create, retrieve = (r for r in sent if r.path.startswith("/v1/responses"))
    assert (create.method, create.target) == ("POST", "/v1/responses?beta=true")
    assert create.header("openai-beta") == "responses_multi_agent=v1,x=v2"
    assert create.json() == {"model": "m"}
    assert (retrieve.method, retrieve.target) == ("GET", "/v1/responses/resp_1?beta=true&include=a&include=b")
    assert retrieve.header("openai-beta") == "x=v1"


def test_typed_use_compiles_and_runs(app: Path, loopback: Loopback) -> None:
    loopback.responder = Server()
    run = node(app, "typed.js", env={"BASE_URL": loopback.url + "/v1"})
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == {
        "bytes": len(PNG), "first": 0x89, "audio": "audio/mpeg", "id": "file-abc", "requestID": "req_file-abc",
        "rawRequestID": "req_file-abc", "created": "resp_1", "timeout": 1000, "code": "file_not_found",
        "status": 404,
    }  # fmt: skip


def test_commonjs_programs_typed_and_plain_require_the_package(app: Path, loopback: Loopback) -> None:
    loopback.responder = Server()
    typed = node(app, "typed.cjs", env={"BASE_URL": loopback.url + "/v1"})
    assert typed.returncode == 0, typed.stderr
    out = json.loads(typed.stdout)
    assert out.pop("resolved").endswith("/responses-sdk/dist/cjs/index.js")  # the `require` condition
    assert out == {
        "id": "file-abc", "requestID": "req_file-abc", "bytes": [0x89, 0x50, 0x4E, 0x47], "notFound": True,
        "derived": True, "same": True,
    }  # fmt: skip
    assert "require(" in (app / "dist" / "typed.cjs").read_text()
    # `require` in a .cjs file: node runs it as CommonJS whatever the package.json around it says
    plain = subprocess.run(
        ["node", "plain.cjs"], cwd=app, capture_output=True, text=True, timeout=60,
        env={"PATH": os.environ["PATH"], "BASE_URL": loopback.url + "/v1"},
    )  # fmt: skip
    assert plain.returncode == 0, plain.stderr
    assert json.loads(plain.stdout) == {
        "same": True, "bytes": PNG.hex(), "notFound": True, "code": "file_not_found", "instance": True,
    }  # fmt: skip


def test_a_resource_named_like_with_options_does_not_hide_it(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /with_options:\n    get:\n"
        "      operationId: listWithOptions\n      responses: {'200': {description: OK}}\n"
    )
    job = Job(spec=str(spec), target="typescript", out="x", package_name="t")
    client = generate(job).files["src/client.ts"]
    assert "get withOptions(" not in client and "get withOptions_2(" in client
