"""Server-sent events in the generated Python SDK, against the loopback server (and the official package).

The SDK is generated from tests/golden/streaming/spec.yaml into a temporary folder and imported from there:
`events.list()` only streams (`Stream[LogEvent]`); `chat.completions.create()` answers JSON, or a
`Stream[ChatCompletionChunk]` with `stream=True`, as the OpenAI API does.

Where our SDK and the official `openai` package differ on the wire by design: ours asks for
`Accept: text/event-stream` when it streams; the official package always sends `Accept: application/json`.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import openai
import pytest

from generator.pipeline import generate
from generator.targets.base import Job
from tests.support.loopback import Loopback, Recorded, Reply

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = "streaming_sdk"
SSE = {"Content-Type": "text/event-stream; charset=utf-8"}
MESSAGES = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}]


@pytest.fixture(scope="module")
def sdk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """The SDK of the streaming spec, generated into a temporary folder and imported from it."""
    out = tmp_path_factory.mktemp("streaming-sdk")
    job = Job(spec="tests/golden/streaming/spec.yaml", target="python", out=str(out), package_name=PACKAGE)
    for path, text in generate(job).files.items():
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
        del sys.modules[name]
    sys.path.insert(0, str(out))
    try:
        module = importlib.import_module(PACKAGE)
        importlib.import_module(PACKAGE + ".types")
        yield module
    finally:
        sys.path.remove(str(out))


@pytest.fixture
def streaming(sdk: ModuleType) -> ModuleType:
    return importlib.import_module(PACKAGE + "._streaming")


def client(sdk: ModuleType, server: Loopback, *, async_: bool = False, **options: Any) -> Any:
    options = {"api_key": "sk-test", "base_url": server.url + "/v1", "max_retries": 0, **options}
    return (sdk.AsyncStreaming if async_ else sdk.Streaming)(**options)


def sse(data: object, event: str = "") -> str:
    text = data if isinstance(data, str) else json.dumps(data)
    return (
        (f"event: {event}\n" if event else "")
        + "".join(f"data: {line}\n" for line in text.split("\n"))
        + "\n"
    )


def log_event(seq: int) -> dict[str, Any]:
    return {"seq": seq, "message": f"entry {seq}"}


def chunk(content: str, index: int = 0, finish: str | None = None) -> dict[str, Any]:
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion.chunk",
        "created": 1700000000,
        "model": "m-1",
        "choices": [{"index": index, "delta": {"content": content}, "finish_reason": finish}],
    }


COMPLETION = {
    "id": "chatcmpl-1",
    "object": "chat.completion",
    "created": 1700000000,
    "model": "m-1",
    "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hello"}, "finish_reason": "stop"}],
}
CHUNKS = [sse(chunk("Hel")), sse(chunk("lo")), sse(chunk("", finish="stop")), "data: [DONE]\n\n"]


# -- the stream-only operation -----------------------------------------------------------------------


def test_events_are_parsed_into_the_typed_model(sdk: ModuleType, loopback: Loopback) -> None:
    loopback.reply(Reply(200, headers=SSE, chunks=[": hello\n\n", sse(log_event(1)), sse(log_event(2))]))
    with client(sdk, loopback) as c:
        stream = c.events.list(since=3)
        assert isinstance(stream, sdk._streaming.Stream)
        events = list(stream)
    assert [type(e) for e in events] == [sdk.types.LogEvent] * 2
    assert [(e.seq, e.message) for e in events] == [(1, "entry 1"), (2, "entry 2")]
    assert stream.response.is_closed
    (sent,) = loopback.requests
    assert (sent.method, sent.path, sent.query) == ("GET", "/v1/events", [("since", "3")])
    assert sent.header("accept") == "text/event-stream"
    assert sent.header("authorization") == "Bearer sk-test"


def test_async_events_are_parsed_into_the_typed_model(sdk: ModuleType, loopback: Loopback) -> None:
    loopback.reply(Reply(200, headers=SSE, chunks=[sse(log_event(1)), sse(log_event(2))]))

    async def main() -> list[Any]:
        async with client(sdk, loopback, async_=True) as c:
            stream = await c.events.list()
            assert isinstance(stream, sdk._streaming.AsyncStream)
            return [event async for event in stream]

    events = asyncio.run(main())
    assert [(type(e), e.seq) for e in events] == [(sdk.types.LogEvent, 1), (sdk.types.LogEvent, 2)]
    assert loopback.requests[0].header("accept") == "text/event-stream"


def test_untyped_events_are_the_decoded_json(sdk: ModuleType, loopback: Loopback) -> None:
    loopback.reply(Reply(200, headers=SSE, chunks=[sse({"a": [1, 2]}), sse("3"), sse('"text"')]))
    with client(sdk, loopback) as c:
        assert list(c.events.raw()) == [{"a": [1, 2]}, 3, "text"]


# -- events arrive as they are sent ------------------------------------------------------------------


def test_events_are_yielded_as_they_arrive(sdk: ModuleType, loopback: Loopback) -> None:
    reply = Reply(200, headers=SSE, chunks=[sse(log_event(1)), sse(log_event(2))], chunk_delay=0.5)
    loopback.reply(reply)
    seen: list[tuple[int, float]] = []
    with client(sdk, loopback) as c:
        for event in c.events.list():
            seen.append((event.seq, time.monotonic()))
    assert [seq for seq, _ in seen] == [1, 2]
    first_sent, second_sent = reply.sent
    assert second_sent - first_sent >= 0.45
    # event 1 was in the caller's hands before the server even sent event 2
    assert seen[0][1] < second_sent
    assert seen[1][1] >= second_sent


def test_async_events_are_yielded_as_they_arrive(sdk: ModuleType, loopback: Loopback) -> None:
    reply = Reply(200, headers=SSE, chunks=[sse(log_event(1)), sse(log_event(2))], chunk_delay=0.5)
    loopback.reply(reply)

    async def main() -> list[tuple[int, float]]:
        seen = []
        async with client(sdk, loopback, async_=True) as c:
            async for event in await c.events.list():
                seen.append((event.seq, time.monotonic()))
        return seen

    seen = asyncio.run(main())
    assert [seq for seq, _ in seen] == [1, 2]
    assert seen[0][1] < reply.sent[1] <= seen[1][1]


def test_an_event_split_across_chunks_waits_for_its_blank_line(sdk: ModuleType, loopback: Loopback) -> None:
    text = sse(log_event(7))
    reply = Reply(200, headers=SSE, chunks=[text[:5], text[5:-1], text[-1:]], chunk_delay=0.2)
    loopback.reply(reply)
    with client(sdk, loopback) as c:
        stream = c.events.list()
        event = next(stream)
        arrived = time.monotonic()
        assert event.seq == 7 and arrived >= reply.sent[2]
        with pytest.raises(StopIteration):
            next(stream)


# -- the end of a stream -----------------------------------------------------------------------------


def test_done_ends_the_stream(sdk: ModuleType, loopback: Loopback) -> None:
    after = sse(chunk("never"))
    loopback.reply(Reply(200, headers=SSE, chunks=[*CHUNKS, after], chunk_delay=0.05))
    with client(sdk, loopback) as c:
        stream = c.chat.completions.create(model="m-1", messages=MESSAGES, stream=True)
        contents = [e.choices[0].delta.content for e in stream]
    assert contents == ["Hel", "lo", ""]
    assert stream.response.is_closed


def test_break_closes_the_stream_and_its_connection(sdk: ModuleType, loopback: Loopback) -> None:
    reply = Reply(200, headers=SSE, chunks=[sse(log_event(i)) for i in range(50)], chunk_delay=0.05)
    loopback.reply(reply)
    with client(sdk, loopback) as c:
        stream = c.events.list()
        for event in stream:
            assert event.seq == 0
            break
        assert stream.response.is_closed  # at once, without a `with` block
        assert reply.finished.wait(5)
    assert reply.aborted and len(reply.sent) < 50  # the server saw the client hang up


def test_with_block_and_close(sdk: ModuleType, loopback: Loopback) -> None:
    reply = Reply(200, headers=SSE, chunks=[sse(log_event(i)) for i in range(50)], chunk_delay=0.05)
    loopback.reply(reply)
    with client(sdk, loopback) as c:
        with c.events.list() as stream:
            assert next(stream).seq == 0
        assert stream.response.is_closed
        assert list(stream) == []  # a closed stream has nothing more
        assert reply.finished.wait(5) and reply.aborted


def test_async_break_closes_the_stream(sdk: ModuleType, loopback: Loopback) -> None:
    reply = Reply(200, headers=SSE, chunks=[sse(log_event(i)) for i in range(50)], chunk_delay=0.05)
    loopback.reply(reply)
    loopback.reply(Reply(200, headers=SSE, chunks=[sse(log_event(i)) for i in range(50)], chunk_delay=0.05))

    async def main() -> None:
        async with client(sdk, loopback, async_=True) as c:
            stream = await c.events.list()
            async for event in stream:
                assert event.seq == 0
                break
            for _ in range(10):  # asyncio closes an abandoned async generator in a task of its own
                await asyncio.sleep(0.01)
            assert stream.response.is_closed
            async with await c.events.list() as second:
                assert (await second.__anext__()).seq == 0
            assert second.response.is_closed

    asyncio.run(main())
    assert reply.finished.wait(5) and reply.aborted


# -- errors ------------------------------------------------------------------------------------------

ERROR_STREAMS = {
    "error-event": sse({"error": {"message": "The server had an error", "type": "server_error"}}, "error"),
    "error-payload": sse({"error": {"message": "The server had an error", "type": "server_error"}}),
}


@pytest.mark.parametrize("error", list(ERROR_STREAMS))
def test_an_error_event_raises_as_the_official_package_does(
    sdk: ModuleType, loopback: Loopback, error: str
) -> None:
    chunks = [sse(chunk("Hel")), ERROR_STREAMS[error], sse(chunk("never"))]
    loopback.reply(Reply(200, headers=SSE, chunks=chunks), Reply(200, headers=SSE, chunks=chunks))
    got: list[str] = []
    with client(sdk, loopback) as c:
        stream = c.chat.completions.create(model="m-1", messages=MESSAGES, stream=True)
        with pytest.raises(sdk.APIError) as ours:
            for event in stream:
                got.append(event.choices[0].delta.content)
        assert stream.response.is_closed
    official_got: list[str] = []
    with openai.OpenAI(api_key="sk-test", base_url=loopback.url + "/v1", max_retries=0) as official:
        official_stream = official.chat.completions.create(model="m-1", messages=MESSAGES, stream=True)  # type: ignore[arg-type]
        with pytest.raises(openai.APIError) as theirs:
            for official_event in official_stream:
                official_got.append(official_event.choices[0].delta.content or "")
    assert got == official_got == ["Hel"]
    assert ours.value.message == theirs.value.message == "The server had an error"
    assert (
        ours.value.body == theirs.value.body == {"message": "The server had an error", "type": "server_error"}
    )
    assert not isinstance(ours.value, sdk.APIStatusError)


def test_a_status_error_raises_the_typed_error_before_any_stream(sdk: ModuleType, loopback: Loopback) -> None:
    loopback.reply(Reply(400, {"error": {"message": "bad model"}}))
    with client(sdk, loopback) as c:
        with pytest.raises(sdk.BadRequestError) as info:
            c.chat.completions.create(model="nope", messages=MESSAGES, stream=True)
    assert info.value.message == "Error code: 400 - bad model"
    assert info.value.body == {"error": {"message": "bad model"}}


def test_retries_apply_until_the_stream_starts(sdk: ModuleType, loopback: Loopback) -> None:
    loopback.reply(
        Reply(503, {"error": {"message": "busy"}}, {"retry-after-ms": "10"}),
        Reply(200, headers=SSE, chunks=CHUNKS),
    )
    with client(sdk, loopback, max_retries=2) as c:
        stream = c.chat.completions.create(model="m-1", messages=MESSAGES, stream=True)
        assert [e.choices[0].delta.content for e in stream] == ["Hel", "lo", ""]
    assert len(loopback.requests) == 2

    async def main() -> None:
        async with client(sdk, loopback, async_=True, max_retries=2) as c:
            stream = await c.chat.completions.create(model="m-1", messages=MESSAGES, stream=True)
            assert [e.choices[0].delta.content async for e in stream] == ["Hel", "lo", ""]

    loopback.reply(Reply(500, {}, {"retry-after-ms": "10"}), Reply(200, headers=SSE, chunks=CHUNKS))
    asyncio.run(main())
    assert len(loopback.requests) == 4


def test_data_that_is_not_json_raises_a_validation_error(sdk: ModuleType, loopback: Loopback) -> None:
    loopback.reply(Reply(200, headers=SSE, chunks=["data: {not json\n\n"]))
    with client(sdk, loopback) as c:
        with pytest.raises(sdk.APIResponseValidationError):
            list(c.events.list())


# -- the JSON-or-stream operation --------------------------------------------------------------------


def test_without_stream_the_method_returns_json(sdk: ModuleType, loopback: Loopback) -> None:
    loopback.reply(Reply(200, COMPLETION), Reply(200, COMPLETION))
    with client(sdk, loopback) as c:
        completion = c.chat.completions.create(model="m-1", messages=MESSAGES)
        assert isinstance(completion, sdk.types.ChatCompletion)
        assert completion.choices[0].message.content == "Hello"
        assert isinstance(
            c.chat.completions.create(model="m-1", messages=MESSAGES, stream=False), sdk.types.ChatCompletion
        )
    first, second = loopback.requests
    assert first.header("accept") == second.header("accept") == "application/json"
    assert first.json() == {"model": "m-1", "messages": MESSAGES}
    assert second.json() == {"model": "m-1", "messages": MESSAGES, "stream": False}

    async def main() -> Any:
        async with client(sdk, loopback, async_=True) as c:
            return await c.chat.completions.create(model="m-1", messages=MESSAGES)

    loopback.reply(Reply(200, COMPLETION))
    assert isinstance(asyncio.run(main()), sdk.types.ChatCompletion)


def _wire(request: Recorded) -> dict[str, Any]:
    return {
        "method": request.method,
        "path": request.path,
        "content_type": request.header("content-type"),
        "authorization": request.header("authorization"),
        "body": request.json(),
    }


def test_a_streamed_request_matches_the_official_package(sdk: ModuleType, loopback: Loopback) -> None:
    loopback.reply(Reply(200, headers=SSE, chunks=CHUNKS), Reply(200, headers=SSE, chunks=CHUNKS))
    with client(sdk, loopback) as c:
        ours = [
            e.choices[0].delta.content
            for e in c.chat.completions.create(model="m-1", messages=MESSAGES, stream=True)
        ]
    with openai.OpenAI(api_key="sk-test", base_url=loopback.url + "/v1", max_retries=0) as official:
        stream = official.chat.completions.create(model="m-1", messages=MESSAGES, stream=True)  # type: ignore[arg-type]
        theirs = [e.choices[0].delta.content for e in stream]
    assert ours == theirs == ["Hel", "lo", ""]
    mine, official_request = loopback.requests
    assert _wire(mine) == _wire(official_request)
    assert mine.json() == {"model": "m-1", "messages": MESSAGES, "stream": True}
    assert mine.header("content-type") == "application/json"
    # by design: we ask for the event stream; the official package always sends Accept: application/json
    assert mine.header("accept") == "text/event-stream"
    assert official_request.header("accept") == "application/json"


def test_async_streamed_request_matches_the_official_package(sdk: ModuleType, loopback: Loopback) -> None:
    loopback.reply(Reply(200, headers=SSE, chunks=CHUNKS), Reply(200, headers=SSE, chunks=CHUNKS))

    async def main() -> tuple[list[Any], list[Any]]:
        async with client(sdk, loopback, async_=True) as c:
            stream = await c.chat.completions.create(model="m-1", messages=MESSAGES, stream=True)
            ours = [e.choices[0].delta.content async for e in stream]
        async with openai.AsyncOpenAI(api_key="sk-test", base_url=loopback.url + "/v1", max_retries=0) as o:
            official = await o.chat.completions.create(model="m-1", messages=MESSAGES, stream=True)  # type: ignore[arg-type]
            theirs = [e.choices[0].delta.content async for e in official]
        return ours, theirs

    ours, theirs = asyncio.run(main())
    assert ours == theirs == ["Hel", "lo", ""]
    mine, official_request = loopback.requests
    assert _wire(mine) == _wire(official_request)


def test_raw_response_of_a_stream(sdk: ModuleType, loopback: Loopback) -> None:
    loopback.reply(Reply(200, headers={**SSE, "x-request-id": "req_1"}, chunks=CHUNKS))
    with client(sdk, loopback) as c:
        raw = c.chat.completions.with_raw_response.create(model="m-1", messages=MESSAGES, stream=True)
        assert raw.headers["x-request-id"] == "req_1"
        stream = raw.parse()
        assert [e.choices[0].delta.content for e in stream] == ["Hel", "lo", ""]


def test_the_command_line_prints_one_json_line_per_event(
    sdk: ModuleType, loopback: Loopback, capsys: pytest.CaptureFixture[str]
) -> None:
    loopback.reply(Reply(200, headers=SSE, chunks=[sse(log_event(1)), sse(log_event(2))]))
    cli = importlib.import_module(PACKAGE + "._cli")
    code = cli.main(
        ["--api-key", "sk-test", "--base-url", loopback.url + "/v1", "events", "list", "--since", "0"]
    )
    assert code == 0
    lines = capsys.readouterr().out.splitlines()
    assert [json.loads(line) for line in lines] == [log_event(1), log_event(2)]


# -- the decoder -------------------------------------------------------------------------------------


def _decode(streaming: ModuleType, chunks: list[bytes]) -> list[tuple[str, str, str, int | None]]:
    decoder = streaming.SSEDecoder()
    events = [e for c in chunks for e in decoder.feed(c)] + decoder.end()
    return [(e.event, e.data, e.id, e.retry) for e in events]


STANDARD = (
    b"\xef\xbb\xbf: a comment\r\n"
    b"data: first\r\n"
    b"data:second\r\n"
    b"data\r\n"
    b"\r\n"
    b'event: update\rid: 42\rretry: 1500\rdata: {"x": 1}\r\r'
    b"id: 4\x002\nretry: soon\nunknown: field\ndata:  two spaces\n\n"
    b"event: empty\n\n"
    b"data: caf\xc3\xa9 \xe2\x9c\x93\n\n"
    b"data: no blank line at the end"
)
EXPECTED = [
    ("message", "first\nsecond\n", "", None),
    ("update", '{"x": 1}', "42", 1500),
    ("message", " two spaces", "42", 1500),
    ("message", "café ✓", "42", 1500),
]


def test_the_decoder_follows_the_standard(streaming: ModuleType) -> None:
    assert _decode(streaming, [STANDARD]) == EXPECTED


def test_the_decoder_is_incremental_at_any_split(streaming: ModuleType) -> None:
    assert _decode(streaming, [STANDARD[i : i + 1] for i in range(len(STANDARD))]) == EXPECTED
    for cut in range(1, len(STANDARD)):
        assert _decode(streaming, [STANDARD[:cut], STANDARD[cut:]]) == EXPECTED, cut


def test_the_decoder_hands_back_an_event_at_its_blank_line(streaming: ModuleType) -> None:
    decoder = streaming.SSEDecoder()
    assert decoder.feed(b"data: 1\n") == []
    assert [e.data for e in decoder.feed(b"\ndata: 2")] == ["1"]
    assert [e.data for e in decoder.feed(b"\r")] == []
    assert [e.data for e in decoder.feed(b"\n\r\n")] == ["2"]  # CRLF split across chunks is one line end
    assert decoder.end() == []


# -- faults: a stream or a body that ends too soon is an error, never a quiet end (issue 22) --------------


@pytest.mark.parametrize("where", ["mid-event", "between-events"])
def test_a_stream_whose_connection_drops_raises(sdk: ModuleType, loopback: Loopback, where: str) -> None:
    tail = ['data: {"id": "c", "obj'] if where == "mid-event" else []
    loopback.reply(Reply(200, headers=SSE, chunks=[sse(chunk("Hel")), *tail], drop=True))
    got: list[Any] = []
    with pytest.raises(sdk.APIConnectionError):
        for event in client(sdk, loopback).chat.completions.create(model="m-1", messages=MESSAGES, stream=True):
            got.append(event)
    assert [e.choices[0].delta.content for e in got] == ["Hel"]  # what came whole was handed over first


def test_an_async_stream_whose_connection_drops_raises(sdk: ModuleType, loopback: Loopback) -> None:
    loopback.reply(Reply(200, headers=SSE, chunks=[sse(chunk("Hel")), "data: {"], drop=True))

    async def consume() -> list[Any]:
        got: list[Any] = []
        async with client(sdk, loopback, async_=True) as c:
            stream = await c.chat.completions.create(model="m-1", messages=MESSAGES, stream=True)
            async for event in stream:
                got.append(event)
        return got

    with pytest.raises(sdk.APIConnectionError):
        asyncio.run(consume())


def test_a_body_cut_short_raises_and_is_retried_as_any_request(sdk: ModuleType, loopback: Loopback) -> None:
    whole = {"id": "c", "object": "chat.completion", "created": 1, "model": "m-1", "choices": []}
    loopback.reply(Reply(200, whole, cut=15))
    with pytest.raises(sdk.APIConnectionError):
        client(sdk, loopback).chat.completions.create(model="m-1", messages=MESSAGES)
    loopback.reply(Reply(200, whole, cut=15), Reply(200, whole))
    answer = client(sdk, loopback, max_retries=1).chat.completions.create(model="m-1", messages=MESSAGES)
    assert answer.id == "c" and len(loopback.requests) == 3

    async def cut_async(**options: Any) -> Any:
        async with client(sdk, loopback, async_=True, **options) as c:
            return await c.chat.completions.create(model="m-1", messages=MESSAGES)

    loopback.reply(Reply(200, whole, cut=15))
    with pytest.raises(sdk.APIConnectionError):
        asyncio.run(cut_async())
    loopback.requests.clear()
    loopback.reply(Reply(200, whole, cut=15), Reply(200, whole))
    assert asyncio.run(cut_async(max_retries=1)).id == "c" and len(loopback.requests) == 2
