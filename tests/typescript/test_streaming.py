"""Server-sent events through the generated TypeScript SDK (tests/golden/streaming/spec.yaml), on node.

Events are handed to the caller as they arrive: the driver prints each one the moment `for await` yields
it, and this test notes when each line reaches it, against when the loopback server sent each chunk. The
`stream: true` overload streams chunks; without it the same method answers JSON.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

import pytest

from generator.pipeline import generate
from generator.targets.base import Job
from generator.write import write
from tests.support.loopback import Loopback, Reply
from tests.typescript.support import build_package, compile_app, make_app, require_node

ROOT = Path(__file__).resolve().parents[2]
SSE = {"Content-Type": "text/event-stream"}

DRIVER = """\
import Streaming from 'streaming-sdk';

const client = new Streaming({ apiKey: 'sk-test', baseURL: process.env['BASE_URL'] ?? '', maxRetries: 0 });
const which = process.argv[2];
if (which === 'events') {
  for await (const event of await client.events.list()) {
    process.stdout.write(JSON.stringify({ seq: event.seq, message: event.message }) + '\\n');
  }
} else if (which === 'chat-stream') {
  const stream = await client.chat.completions.create({ model: 'm-1', messages: [{ role: 'user', content: 'Hi' }], stream: true });
  const parts: string[] = [];
  for await (const chunk of stream) parts.push(chunk.choices[0]?.delta?.content ?? '');
  console.log(JSON.stringify({ text: parts.join('') }));
} else if (which === 'faults') {
  // a stream that drops, then a body cut short: each must throw, after what came whole
  const seen: string[] = [];
  const errors: string[] = [];
  try {
    const stream = await client.chat.completions.create({ model: 'm-1', messages: [{ role: 'user', content: 'Hi' }], stream: true });
    for await (const chunk of stream) seen.push(chunk.choices[0]?.delta?.content ?? '');
  } catch (error) {
    errors.push((error as Error).constructor.name);
  }
  try {
    await client.chat.completions.create({ model: 'm-1', messages: [{ role: 'user', content: 'Hi' }] });
  } catch (error) {
    errors.push((error as Error).constructor.name);
  }
  console.log(JSON.stringify({ seen, errors }));
} else {
  const completion = await client.chat.completions.create({ model: 'm-1', messages: [{ role: 'user', content: 'Hi' }] });
  console.log(JSON.stringify({ text: completion.choices[0]?.message?.content ?? null }));
}
"""


def sse(data: object) -> str:
    return f"data: {json.dumps(data)}\n\n"


def chunk(content: str) -> dict[str, object]:
    return {"id": "c", "object": "chat.completion.chunk", "created": 1, "model": "m-1",
            "choices": [{"index": 0, "delta": {"content": content}, "finish_reason": None}]}  # fmt: skip


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_node()
    where = tmp_path_factory.mktemp("ts-streaming")
    job = Job(spec="tests/golden/streaming/spec.yaml", target="typescript", out="x", package_name="streaming-sdk",
              root=str(ROOT))  # fmt: skip
    write(where / "src-pkg", generate(job).files)
    package = build_package(where / "src-pkg", where / "streaming-sdk")
    app = make_app(where / "app", {"streaming-sdk": package}, {"driver.ts": DRIVER})
    compile_app(app)
    return app


def test_events_are_yielded_as_they_arrive(app: Path, loopback: Loopback) -> None:
    reply = Reply(200, headers=SSE, chunks=[sse({"seq": 1, "message": "one"}), sse({"seq": 2, "message": "two"})],
                  chunk_delay=0.8)  # fmt: skip
    loopback.reply(reply)
    env = {**os.environ, "BASE_URL": loopback.url}
    process = subprocess.Popen(
        ["node", str(app / "dist" / "driver.js"), "events"],
        cwd=app,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    seen = []
    for line in process.stdout:
        seen.append((json.loads(line), time.monotonic()))
    assert process.wait(timeout=60) == 0
    assert [event for event, _ in seen] == [{"seq": 1, "message": "one"}, {"seq": 2, "message": "two"}]
    first_sent, second_sent = reply.sent
    assert second_sent - first_sent >= 0.7
    assert seen[0][1] < second_sent <= seen[1][1]  # event 1 was out before the server sent event 2
    (request,) = loopback.requests
    assert request.method == "GET" and request.path == "/events"


def test_the_stream_overload_streams_and_the_plain_call_answers_json(app: Path, loopback: Loopback) -> None:
    loopback.reply(
        Reply(200, headers=SSE, chunks=[sse(chunk("Hel")), sse(chunk("lo")), "data: [DONE]\n\n"]),
        Reply(200, {"id": "c", "object": "chat.completion", "created": 1, "model": "m-1",
                    "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hello"},
                                 "finish_reason": "stop"}]}),
    )  # fmt: skip
    env = {**os.environ, "BASE_URL": loopback.url}
    for which in ("chat-stream", "chat"):
        run = subprocess.run(["node", str(app / "dist" / "driver.js"), which], cwd=app, env=env,
                             capture_output=True, text=True, timeout=60)  # fmt: skip
        assert run.returncode == 0, run.stderr
        assert json.loads(run.stdout) == {"text": "Hello"}
    streamed, plain = loopback.requests
    assert json.loads(streamed.body)["stream"] is True and "stream" not in json.loads(plain.body)


def test_a_dropped_stream_and_a_cut_body_throw_typed_errors(app: Path, loopback: Loopback) -> None:
    whole = {"id": "c", "object": "chat.completion", "created": 1, "model": "m-1", "choices": []}
    loopback.reply(
        Reply(200, headers=SSE, chunks=[sse(chunk("Hel")), 'data: {"id": "c", "obj'], drop=True),
        Reply(200, whole, cut=15),
    )
    run = subprocess.run(
        ["node", str(app / "dist" / "driver.js"), "faults"], cwd=app, capture_output=True, text=True,
        env={**os.environ, "BASE_URL": loopback.url}, timeout=60,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == {"seen": ["Hel"], "errors": ["APIConnectionError", "APIConnectionError"]}
