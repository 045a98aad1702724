"""Responses by media type, streamed and raw responses, client options, error fields and request ids.

The SDK is generated from tests/sdk/responses/spec.yaml (shaped as the OpenAI API's downloads, speech,
transcriptions and `?beta=true` paths) into a temporary folder and run against the loopback server, and
where the official `openai` package makes the same call, compared with it on the wire and in what it
returns.
"""

from __future__ import annotations

import asyncio
import datetime
import importlib
import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import openai
import pytest

from generator.pipeline import generate
from generator.targets.base import Job
from tests.support.loopback import Loopback, Recorded, Reply

PACKAGE = "responses_sdk"
SPEC = "tests/sdk/responses/spec.yaml"
NAMES = {"createSpeech": "audio.speech.create"}
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe\xff\x00" + bytes(range(256))
PNG_HEADERS = {"Content-Type": "image/png"}
VERBOSE = {
    "task": "transcribe",
    "language": "english",
    "duration": 1.5,
    "text": "Hello there",
    "words": [{"word": "Hello", "start": 0.0, "end": 0.5}, {"word": "there", "start": 0.6, "end": 1.0}],
    "segments": [{"id": 0, "text": "Hello there"}],
}


@pytest.fixture(scope="module")
def sdk_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("responses-sdk")
    job = Job(spec=SPEC, target="python", out=str(out), package_name=PACKAGE, names=NAMES)
    for path, text in generate(job).files.items():
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def sdk(sdk_path: Path) -> Iterator[ModuleType]:
    for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
        del sys.modules[name]
    sys.path.insert(0, str(sdk_path))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(sdk_path))


def client(sdk: ModuleType, server: Loopback, *, async_: bool = False, **options: Any) -> Any:
    options = {"api_key": "sk-test", "base_url": server.url + "/v1", "max_retries": 0, **options}
    return (sdk.AsyncOpenAI if async_ else sdk.OpenAI)(**options)


def official(server: Loopback, **options: Any) -> openai.OpenAI:
    return openai.OpenAI(api_key="sk-test", base_url=server.url + "/v1", max_retries=0, **options)


def wire(request: Recorded) -> dict[str, Any]:
    """What is compared with the official SDK's request: all but its own headers (User-Agent,
    X-Stainless-*, Accept) and the multipart boundary."""
    multipart = request.media_type == "multipart/form-data"
    return {
        "method": request.method,
        "target": request.target,
        "authorization": request.header("authorization"),
        "content_type": request.media_type,
        "body": sorted(request.parts()) if multipart else request.body,
    }


def only(server: Loopback) -> Recorded:
    (request,) = server.requests
    return request


# -- 1. responses by media type --------------------------------------------------------------------


def test_a_binary_download_is_byte_identical_and_never_parsed(
    sdk: ModuleType, loopback: Loopback, tmp_path: Path
) -> None:
    loopback.default = Reply(200, PNG, {**PNG_HEADERS, "x-request-id": "req_png"})
    image = client(sdk, loopback).images.content(image_id="img_1")
    assert isinstance(image, sdk.BinaryResponseContent)
    assert image.content == PNG and image.read() == PNG
    assert b"".join(image.iter_bytes(7)) == PNG and all(len(c) <= 7 for c in image.iter_bytes(7))
    assert image.request_id == "req_png" and image.status_code == 200
    image.write_to_file(tmp_path / "out.png")
    assert (tmp_path / "out.png").read_bytes() == PNG
    sent = only(loopback)
    assert (sent.method, sent.path, sent.header("accept")) == ("GET", "/v1/images/img_1/content", "image/png")


def test_files_content_matches_the_official_sdk(sdk: ModuleType, loopback: Loopback) -> None:
    """The OpenAI spec says `application/json` with a string schema; a PNG (or JSONL) comes back as it is,
    whatever its content type says, as the official SDK's `HttpxBinaryResponseContent` gives it."""
    for content_type in ("application/json", "application/octet-stream", "application/jsonl"):
        loopback.default = Reply(200, PNG, {"Content-Type": content_type})
        mine = client(sdk, loopback).files.content("file-abc")
        theirs = official(loopback).files.content("file-abc")
        assert mine.content == theirs.content == PNG
        assert mine.text == theirs.text
    requests = loopback.requests
    assert [wire(r) for r in requests[0::2]] == [wire(r) for r in requests[1::2]]
    assert requests[0].path == "/v1/files/file-abc/content"


def test_text_jsonl_and_json_downloads(sdk: ModuleType, loopback: Loopback) -> None:
    lines = [{"custom_id": "a", "n": 1}, {"custom_id": "b", "n": 2}]
    jsonl = "".join(json.dumps(line) + "\n" for line in lines).encode()
    loopback.reply(
        Reply(200, jsonl, {"Content-Type": "application/jsonl"}),
        Reply(200, "naïve note", {"Content-Type": "text/plain; charset=utf-8"}),
        Reply(200, {"id": "exp_1", "items": [{"name": "first"}]}, {"x-request-id": "req_exp"}),
        Reply(200, b'"just a string"', {"Content-Type": "application/json"}),
    )
    c = client(sdk, loopback)
    output = c.batches.output("batch_1")
    assert [json.loads(line) for line in output.iter_lines()] == lines
    note = c.notes.text("note_1")
    assert isinstance(note, sdk.BinaryResponseContent) and note.text == "naïve note"
    export = c.exports.retrieve("exp_1")  # a JSON download still parses, nested models too
    assert isinstance(export, sdk.types.Export) and export.items[0].name == "first"
    assert export._request_id == "req_exp"
    assert c.files.content("f").json() == "just a string"
    accepts = [r.header("accept") for r in loopback.requests]
    assert accepts == ["application/jsonl", "text/plain", "application/json", "application/json"]


def test_async_binary_responses(sdk: ModuleType, loopback: Loopback, tmp_path: Path) -> None:
    loopback.default = Reply(200, PNG, PNG_HEADERS)

    async def main() -> None:
        async with client(sdk, loopback, async_=True) as c:
            image = await c.images.content(image_id="img_1")
            assert isinstance(image, sdk.BinaryResponseContent)
            assert await image.aread() == PNG == image.content
            assert b"".join([chunk async for chunk in image.aiter_bytes(5)]) == PNG
            await image.awrite_to_file(tmp_path / "a.png")

    asyncio.run(main())
    assert (tmp_path / "a.png").read_bytes() == PNG


# -- 2. with_streaming_response ----------------------------------------------------------------------

SPEECH = {"model": "tts-1", "input": "Hello there", "voice": "alloy"}
AUDIO = bytes(range(256)) * 64


def test_streaming_response_matches_the_official_sdk(
    sdk: ModuleType, loopback: Loopback, tmp_path: Path
) -> None:
    loopback.responder = lambda request: Reply(
        200, chunks=[AUDIO[i : i + 1000] for i in range(0, len(AUDIO), 1000)], headers={"x-request-id": "r"}
    )
    with client(sdk, loopback).audio.speech.with_streaming_response.create(**SPEECH) as mine:
        assert not mine.http_response.is_stream_consumed  # the body is not read yet
        assert mine.request_id == "r" and mine.retries_taken == 0
        mine.stream_to_file(tmp_path / "mine.mp3")
    assert mine.is_closed
    with official(loopback).audio.speech.with_streaming_response.create(**SPEECH) as theirs:
        theirs.stream_to_file(tmp_path / "theirs.mp3")
    assert (tmp_path / "mine.mp3").read_bytes() == (tmp_path / "theirs.mp3").read_bytes() == AUDIO
    ours_sent, theirs_sent = loopback.requests
    assert wire(ours_sent) == wire(theirs_sent) and ours_sent.json() == theirs_sent.json() == SPEECH
    assert ours_sent.header("accept") == "audio/mpeg"


def test_streaming_response_iterates_and_parses(sdk: ModuleType, loopback: Loopback) -> None:
    c = client(sdk, loopback)
    loopback.reply(Reply(200, chunks=[b"ab", b"cd", b"ef"]))
    with c.audio.speech.with_streaming_response.create(**SPEECH) as response:
        assert b"".join(response.iter_bytes()) == b"abcdef"
    loopback.reply(Reply(200, VERBOSE))
    with c.audio.transcriptions.with_streaming_response.create(file=PNG, model="whisper-1") as response:
        parsed = response.parse()
    assert parsed.words[0].word == "Hello"
    loopback.reply(Reply(404, {"error": {"message": "no such file"}}))
    with pytest.raises(sdk.NotFoundError):
        with c.files.with_streaming_response.content("file-x"):
            pass


def test_async_streaming_response(sdk: ModuleType, loopback: Loopback, tmp_path: Path) -> None:
    loopback.reply(Reply(200, chunks=[b"ab", b"cd"]), Reply(200, chunks=[b"xyz"]), Reply(200, VERBOSE))

    async def main() -> None:
        async with client(sdk, loopback, async_=True) as c:
            speech = c.audio.speech.with_streaming_response
            async with speech.create(**SPEECH) as response:
                assert b"".join([chunk async for chunk in response.iter_bytes()]) == b"abcd"
            assert response.is_closed
            async with speech.create(**SPEECH) as response:
                await response.stream_to_file(tmp_path / "a.mp3")
            transcriptions = c.audio.transcriptions.with_streaming_response
            async with transcriptions.create(file=PNG, model="whisper-1") as response:
                parsed = await response.parse()
            assert parsed.words[1].word == "there"

    asyncio.run(main())
    assert (tmp_path / "a.mp3").read_bytes() == b"xyz"


def test_raw_and_streamed_responses_from_the_client_and_parent_resources(
    sdk: ModuleType, loopback: Loopback
) -> None:
    """As in the official SDK: `client.with_raw_response.audio.speech.create(...)`,
    `client.audio.with_raw_response.speech.create(...)`, `client.with_streaming_response.files.content(...)`."""
    c = client(sdk, loopback)
    loopback.reply(
        Reply(200, chunks=[b"ab", b"cd"], headers={"x-request-id": "req_1"}),
        Reply(200, b"mp3", headers={"x-request-id": "req_2"}),
        Reply(200, chunks=[b"\xff", b"\x00"]),
        Reply(200, VERBOSE),
    )
    raw = c.with_raw_response.audio.speech.create(**SPEECH)
    assert isinstance(raw, sdk.APIResponse) and raw.request_id == "req_1"
    assert raw.parse().content == b"abcd"
    nested = c.audio.with_raw_response.speech.create(**SPEECH)
    assert (nested.request_id, nested.parse().content) == ("req_2", b"mp3")
    with c.with_streaming_response.files.content("file-1") as streamed:
        assert not streamed.http_response.is_stream_consumed
        assert b"".join(streamed.iter_bytes()) == b"\xff\x00"
    with c.audio.with_streaming_response.transcriptions.create(file=PNG, model="whisper-1") as streamed:
        assert streamed.parse().words[0].word == "Hello"
    assert [r.path for r in loopback.requests] == [
        "/v1/audio/speech", "/v1/audio/speech", "/v1/files/file-1/content", "/v1/audio/transcriptions"
    ]  # fmt: skip
    assert c.with_raw_response.audio is c.with_raw_response.audio  # built once, as resources are


def test_async_raw_and_streamed_responses_from_the_client(sdk: ModuleType, loopback: Loopback) -> None:
    loopback.reply(Reply(200, b"one"), Reply(200, chunks=[b"t", b"wo"]), Reply(200, VERBOSE))

    async def main() -> None:
        async with client(sdk, loopback, async_=True) as c:
            raw = await c.with_raw_response.audio.speech.create(**SPEECH)
            assert isinstance(raw, sdk.AsyncAPIResponse)
            assert (await raw.parse()).content == b"one"
            async with c.with_streaming_response.files.content("file-1") as streamed:
                assert b"".join([chunk async for chunk in streamed.iter_bytes()]) == b"two"
            transcriptions = c.audio.with_raw_response.transcriptions
            parsed = await (await transcriptions.create(file=PNG, model="whisper-1")).parse()
            assert parsed.words[1].word == "there"

    asyncio.run(main())
    assert [r.path for r in loopback.requests] == [
        "/v1/audio/speech", "/v1/files/file-1/content", "/v1/audio/transcriptions"
    ]  # fmt: skip


LAZY_WRAPPERS = """
import sys
import {package}

def loaded():
    return sorted(m.split(".")[-1] for m in sys.modules if m.startswith("{package}.resources."))

c = {package}.OpenAI(api_key="k")
c.with_raw_response
c.with_streaming_response
c.audio.with_raw_response
print(loaded())
c.with_raw_response.files
print(loaded())
c.with_streaming_response.audio.speech
print(loaded())
"""


def test_the_wrappers_load_only_the_resources_used(sdk_path: Path) -> None:
    """Issue 18: the client's and resources' wrappers import a resource's module on first use only."""
    code = LAZY_WRAPPERS.format(package=PACKAGE)
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
        env={**os.environ, "PYTHONPATH": str(sdk_path)},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "['audio']", "['audio', 'files']", "['audio', 'audio_speech', 'files']"
    ]  # fmt: skip


MEMORY_CHILD = """
import asyncio, json, sys
sys.path.insert(0, {path!r})
import {package}

def peak_kb():  # the resident set's high-water mark
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])

speech = dict(model="tts-1", input="x", voice="alloy")
client = {package}.OpenAI(api_key="sk", base_url={url!r}, max_retries=0)
with client.audio.speech.with_streaming_response.create(**speech) as r:  # warm: imports, connection
    r.read()
out = {{}}
start = peak_kb()
with client.audio.speech.with_streaming_response.create(**speech) as r:
    r.stream_to_file({file!r})
out["sync"] = peak_kb() - start

async def main():
    async with {package}.AsyncOpenAI(api_key="sk", base_url={url!r}, max_retries=0) as c:
        async with c.audio.speech.with_streaming_response.create(**speech) as r:
            await r.read()
        start = peak_kb()
        async with c.audio.speech.with_streaming_response.create(**speech) as r:
            await r.stream_to_file({file!r})
        out["async"] = peak_kb() - start

asyncio.run(main())
start = peak_kb()
client.audio.speech.create(**speech)  # the control: read whole, as a plain call does
out["whole"] = peak_kb() - start
print(json.dumps(out))
"""


def test_a_50_mb_body_streams_to_a_file_in_little_memory(
    sdk_path: Path, loopback: Loopback, tmp_path: Path
) -> None:
    """RSS growth measured in a child process (its own VmHWM); the plain call is the control."""
    mb = b"\xff" * (1 << 20)

    def big() -> Reply:
        return Reply(200, chunks=[mb] * 50)  # 50 MB, one chunk of 1 MB after another

    small = Reply(200, chunks=[b"small"])
    loopback.reply(small, big(), Reply(200, chunks=[b"small"]), big(), big())  # in the child's order
    file = tmp_path / "speech.mp3"
    code = MEMORY_CHILD.format(path=str(sdk_path), package=PACKAGE, url=loopback.url + "/v1", file=str(file))
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    growth = json.loads(result.stdout)
    print(f"\nRSS growth, KB: {growth}")
    assert file.stat().st_size == 50 << 20
    assert growth["sync"] < 20 * 1024 and growth["async"] < 20 * 1024
    assert growth["whole"] > 45 * 1024  # the measure sees a body held whole


# -- 3. client options ------------------------------------------------------------------------------


def test_with_options_and_copy(sdk: ModuleType, loopback: Loopback) -> None:
    loopback.default = Reply(200, {"id": "resp_1", "object": "response"})
    base = client(sdk, loopback, default_headers={"x-team": "a"})
    derived = base.with_options(timeout=12.5, max_retries=5, default_headers={"x-extra": "1"})
    assert type(derived) is type(base) and derived is not base
    assert derived._client is base._client  # one connection pool
    assert (derived.timeout.read, derived.max_retries) == (12.5, 5)
    assert (base.timeout.read, base.max_retries) == (600.0, 0)  # the original is untouched
    derived.responses.retrieve("resp_1")
    replaced = base.copy(set_default_headers={"x-only": "1"}, api_key="sk-other")
    replaced.responses.retrieve("resp_1")
    other = Loopback()
    with other:
        other.default = loopback.default
        base.with_options(base_url=other.url + "/v2").responses.retrieve("resp_1")
        assert only(other).path == "/v2/responses/resp_1"
    first, second = loopback.requests
    assert (first.header("x-team"), first.header("x-extra")) == ("a", "1")
    assert (second.header("x-team"), second.header("x-only")) == (None, "1")
    assert second.header("authorization") == "Bearer sk-other"
    assert derived.responses is not base.responses and derived.responses._client is derived
    with derived:
        pass
    assert not base._client.is_closed  # closing a derived client leaves the shared pool open
    with pytest.raises(ValueError):
        base.copy(default_headers={"a": "1"}, set_default_headers={"b": "2"})


def test_with_options_retries_and_timeout_on_the_wire(sdk: ModuleType, loopback: Loopback) -> None:
    loopback.reply(Reply(500, {"error": {"message": "x"}}, {"retry-after-ms": "1"}), Reply(200, {"id": "r"}))
    raw = client(sdk, loopback).with_options(max_retries=1).responses.with_raw_response.retrieve("r")
    assert raw.retries_taken == 1 and len(loopback.requests) == 2
    loopback.reply(Reply(200, {"id": "r"}, delay=1.0))
    with pytest.raises(sdk.APITimeoutError):
        client(sdk, loopback).with_options(timeout=0.2).responses.retrieve("r")


def test_async_with_options(sdk: ModuleType, loopback: Loopback) -> None:
    loopback.default = Reply(200, {"id": "resp_1", "object": "response"})

    async def main() -> None:
        async with client(sdk, loopback, async_=True) as base:
            derived = base.copy(default_headers={"x-extra": "2"}, max_retries=3)
            assert derived._client is base._client and derived.max_retries == 3
            await derived.responses.retrieve("resp_1")
            await derived.close()
            assert not base._client.is_closed

    asyncio.run(main())
    assert only(loopback).header("x-extra") == "2"


# -- 4 and 5. errors, request ids, raw responses ------------------------------------------------------

NESTED = {"error": {"message": "bad file", "type": "invalid_request_error", "param": "file", "code": "bad"}}
FLAT = {"message": "slow down", "type": "rate", "param": None, "code": 42}


@pytest.mark.parametrize(("status", "body"), [(400, NESTED), (429, FLAT), (500, "oops, plain text")])
def test_error_fields_match_the_official_sdk(
    sdk: ModuleType, loopback: Loopback, status: int, body: Any
) -> None:
    loopback.default = Reply(status, body, {"x-request-id": "req_err"})
    with pytest.raises(sdk.APIStatusError) as mine:
        client(sdk, loopback).files.content("f")
    with pytest.raises(openai.APIStatusError) as theirs:
        official(loopback).files.content("f")
    error = mine.value
    assert error.body == body and error.request_id == theirs.value.request_id == "req_err"
    assert (error.type, error.param) == (theirs.value.type, theirs.value.param)
    expected_code = theirs.value.code if not isinstance(theirs.value.code, int) else str(theirs.value.code)
    assert error.code == expected_code
    if body is NESTED:
        assert (error.code, error.param, error.type) == ("bad", "file", "invalid_request_error")


def test_request_ids_on_models_and_raw_responses(sdk: ModuleType, loopback: Loopback) -> None:
    body = {"id": "resp_1", "object": "response"}
    loopback.default = Reply(200, body, {"x-request-id": "req_42"}, delay=0.05)
    mine = client(sdk, loopback).responses.retrieve("resp_1")
    theirs = official(loopback).responses.retrieve("resp_1")
    assert mine._request_id == theirs._request_id == "req_42"
    assert "_request_id" not in mine.to_dict() and mine.to_dict() == body
    raw = client(sdk, loopback).responses.with_raw_response.retrieve("resp_1")
    assert raw.request_id == "req_42" and raw.retries_taken == 0
    assert isinstance(raw.elapsed, datetime.timedelta) and raw.elapsed.total_seconds() >= 0.05
    assert raw.parse()._request_id == "req_42"


# -- 6. wire bugs -------------------------------------------------------------------------------------


def test_fixed_query_and_array_header_match_the_official_sdk(sdk: ModuleType, loopback: Loopback) -> None:
    """`/responses/{response_id}?beta=true` is that path with `beta=true` in the query, not `%3Fbeta=true`
    in the path; an array header goes as its items joined with commas (simple style)."""
    loopback.default = Reply(200, {"id": "resp_1", "object": "response"})
    client(sdk, loopback).responses.retrieve("resp_1", openai_beta=["x=v1"])
    official(loopback).responses.retrieve(
        "resp_1", extra_query={"beta": "true"}, extra_headers={"openai-beta": "x=v1"}
    )
    mine, theirs = loopback.requests
    assert mine.target == theirs.target == "/v1/responses/resp_1?beta=true"
    assert mine.header("openai-beta") == theirs.header("openai-beta") == "x=v1"
    assert wire(mine) == wire(theirs)
    loopback.requests.clear()
    client(sdk, loopback).responses.retrieve("resp_1", openai_beta=["a=1", "b=2"], include=["x", "y"])
    sent = only(loopback)
    assert sent.target == "/v1/responses/resp_1?beta=true&include=x&include=y"
    assert sent.header("openai-beta") == "a=1,b=2"


def test_union_response_builds_the_chosen_variant_with_nested_models(
    sdk: ModuleType, loopback: Loopback
) -> None:
    loopback.default = Reply(200, VERBOSE)
    mine = client(sdk, loopback).audio.transcriptions.create(file=("a.mp3", PNG), model="whisper-1")
    theirs = official(loopback).audio.transcriptions.create(
        file=("a.mp3", PNG), model="whisper-1", response_format="verbose_json"
    )
    assert type(mine).__name__ == "CreateTranscriptionResponseVerboseJson"
    assert isinstance(mine.words[0], sdk.types.TranscriptionWord) and mine.segments[0].id == 0
    assert [w.word for w in mine.words] == [w.word for w in theirs.words] == ["Hello", "there"]
    assert mine.to_dict() == VERBOSE
    loopback.default = Reply(200, {"text": "Hi"})
    plain = client(sdk, loopback).audio.transcriptions.create(file=PNG, model="whisper-1")
    assert type(plain).__name__ == "CreateTranscriptionResponseJson" and plain.text == "Hi"


# -- 7. the CLI -----------------------------------------------------------------------------------------


def test_cli_writes_binary_bodies_untouched(sdk_path: Path, loopback: Loopback, tmp_path: Path) -> None:
    loopback.default = Reply(200, PNG, PNG_HEADERS)
    env = {**os.environ, "PYTHONPATH": str(sdk_path), "OPENAI_API_KEY": "sk", "OPENAI_BASE_URL": loopback.url}
    command = [sys.executable, "-m", PACKAGE, "images", "content", "--image-id", "img_1"]
    to_stdout = subprocess.run(command, capture_output=True, env=env, timeout=60)
    assert to_stdout.returncode == 0, to_stdout.stderr
    assert to_stdout.stdout == PNG
    out = tmp_path / "cli.png"
    to_file = subprocess.run([*command, "--output", str(out)], capture_output=True, env=env, timeout=60)
    assert (to_file.returncode, to_file.stdout) == (0, b"") and out.read_bytes() == PNG
    loopback.default = Reply(200, "plain text\nno newline at the end", {"Content-Type": "text/plain"})
    text = subprocess.run(
        [sys.executable, "-m", PACKAGE, "notes", "text", "--note-id", "n"],
        capture_output=True,
        env=env,
        timeout=60,
    )
    assert text.stdout == b"plain text\nno newline at the end"


CLI_MEMORY_CHILD = """
import sys
from {package}._cli import main

def peak_kb():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])

command = ["--base-url", {url!r}, "--api-key", "sk", "images", "content", "--image-id", "img_1"]
assert main([*command, "--output", {warm!r}]) == 0  # warm: imports, connection
start = peak_kb()
assert main([*command, "--output", {file!r}]) == 0
print(peak_kb() - start)
"""


def test_cli_streams_a_50_mb_body_to_its_output_file(
    sdk_path: Path, loopback: Loopback, tmp_path: Path
) -> None:
    """`--output FILE` writes the body chunk by chunk as it arrives: RSS (the child's VmHWM) grows by
    far less than the body; the bytes are intact."""
    mb = bytes(range(256)) * 4096
    loopback.reply(Reply(200, chunks=[b"warm"]), Reply(200, chunks=[mb] * 50, headers=PNG_HEADERS))
    file, warm = tmp_path / "big.png", tmp_path / "warm.png"
    code = CLI_MEMORY_CHILD.format(
        package=PACKAGE, url=loopback.url + "/v1", file=str(file), warm=str(warm)
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
        env={**os.environ, "PYTHONPATH": str(sdk_path)},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    growth = int(result.stdout)
    print(f"\nCLI --output of a 50 MB body: RSS growth {growth} KB")
    assert warm.read_bytes() == b"warm" and file.stat().st_size == 50 << 20
    with file.open("rb") as written:
        assert all(written.read(len(mb)) == mb for _ in range(50))
    assert growth < 20 * 1024


def test_the_snippets_type_check(sdk_path: Path, tmp_path: Path) -> None:
    """The new surface is typed: mypy --strict on a user's code that uses it."""
    snippet = tmp_path / "use.py"
    snippet.write_text(
        textwrap.dedent(
            f"""
            import datetime
            from typing import Optional
            from {PACKAGE} import APIResponse, AsyncOpenAI, BinaryResponseContent, OpenAI
            from {PACKAGE}.types import Response

            client = OpenAI(api_key="k")
            derived: OpenAI = client.with_options(timeout=3.0, max_retries=1).copy(base_url="http://x")
            content: BinaryResponseContent = client.files.content("f")
            data: bytes = content.content
            with client.audio.speech.with_streaming_response.create(model="m", input="i", voice="v") as r:
                r.stream_to_file("out.mp3")
                elapsed: datetime.timedelta = r.elapsed
                request_id: Optional[str] = r.request_id
            response: Response = client.responses.retrieve("r", openai_beta=["x=v1"])
            rid: Optional[str] = response._request_id


            raw: APIResponse[BinaryResponseContent] = client.with_raw_response.files.content("f")
            speech: BinaryResponseContent = client.audio.with_raw_response.speech.create(
                model="m", input="i", voice="v"
            ).parse()
            with client.with_streaming_response.audio.speech.create(model="m", input="i", voice="v") as s:
                chunks: list[bytes] = list(s.iter_bytes())


            async def main(aclient: AsyncOpenAI) -> bytes:
                araw = await aclient.with_raw_response.audio.speech.create(model="m", input="i", voice="v")
                parsed: BinaryResponseContent = await araw.parse()
                async with aclient.with_streaming_response.files.content("f") as streamed:
                    await streamed.read()
                async with aclient.with_options(max_retries=0).files.with_streaming_response.content("f") as ar:
                    return await ar.read()
            """
        )
    )
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(snippet)],
        capture_output=True, text=True, cwd=sdk_path, env={**os.environ, "MYPYPATH": str(sdk_path)}, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
