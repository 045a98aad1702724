"""Our SDK and the official `openai` package, side by side against the same loopback recorder.

Compared on the wire (`wire`, `assert_same_wire`): method, path, query, Authorization, content type (less
the multipart boundary) and each multipart part's name, filename, content type and bytes (in any order).
Compared after: the values both parse from the same response.

Where the two differ by design (documented in the runtime and here):
- the official package sends its own headers (User-Agent `OpenAI/Python <version>`, X-Stainless-*,
  an Idempotency-Key): not compared;
- the official `APIStatusError.body` is the `error` member of the JSON body, ours the whole body;
  the messages are the same when the body has `error.message`;
- the official package honours Retry-After up to 120 s and does not retry at all beyond that; ours
  honours it up to 60 s and falls back to its backoff beyond;
- the official package encodes query arrays as `key[]=a&key[]=b`; ours as the spec's style says
  (`key=a&key=b`), or as the job's `query-arrays` option says (tests/sdk/test_query_formats.py).
"""

from __future__ import annotations

import asyncio
import io
from pathlib import Path
from types import ModuleType
from typing import Any

import openai
import pytest

from tests.support.images import IMAGES_RESPONSE, PNG
from tests.support.loopback import Loopback, Recorded, Reply

RESPONSE = IMAGES_RESPONSE
PARAMS: dict[str, dict[str, Any]] = {
    "none": {},
    "all": {"model": "dall-e-2", "n": 2, "response_format": "b64_json", "size": "512x512", "user": "u-1"},
    "some": {"n": 3, "size": "256x256"},
    "nulls": {"model": None, "n": None, "response_format": None, "size": None, "user": "u"},
    "url": {"response_format": "url", "n": 10, "size": "1024x1024"},
}

FILE_KINDS = [
    "open file",
    "positioned file",
    "bytes",
    "path",
    "tuple of 2",
    "tuple of 3",
    "tuple with a path",
    "tuple without a filename",
    "BytesIO",
    "named BytesIO",
]


def wire(request: Recorded) -> dict[str, Any]:
    """What is compared of one request."""
    return {
        "method": request.method,
        "path": request.path,
        "query": sorted(request.query),
        "authorization": request.header("authorization"),
        "content_type": request.media_type,
        "parts": sorted(request.parts()),
    }


def assert_same_wire(loopback: Loopback) -> list[dict[str, Any]]:
    """The recorded requests are ours, then as many of theirs: each pair the same on the wire (ours returned)."""
    requests = loopback.requests
    assert requests and len(requests) % 2 == 0, f"{len(requests)} requests: not ours then as many of theirs"
    half = len(requests) // 2
    ours = [wire(r) for r in requests[:half]]
    assert ours == [wire(r) for r in requests[half:]]
    return ours


def clients(sdk: ModuleType, server: Loopback, **options: Any) -> tuple[Any, Any]:
    options = {"api_key": "sk-test", "base_url": server.url + "/v1", "max_retries": 0, **options}
    return sdk.OpenAI(**options), openai.OpenAI(**options)


@pytest.fixture
def otter(tmp_path: Path) -> Path:
    path = tmp_path / "otter.png"
    path.write_bytes(PNG)
    return path


def file_value(kind: str, path: Path) -> Any:
    if kind in ("open file", "positioned file"):
        handle = open(path, "rb")
        if kind == "positioned file":
            handle.seek(100)
        return handle
    named = io.BytesIO(PNG)
    named.name = "dir/photo.webp"
    return {
        "bytes": PNG,
        "path": path,
        "tuple of 2": ("custom.png", PNG),
        "tuple of 3": ("custom.bin", PNG, "image/png"),
        "tuple with a path": ("p.png", path),
        "tuple without a filename": (None, PNG),
        "BytesIO": io.BytesIO(PNG),
        "named BytesIO": named,
    }[kind]


@pytest.mark.parametrize("kind", FILE_KINDS)
@pytest.mark.parametrize("params", list(PARAMS))
def test_sync_create_variation_matches_the_official_sdk(
    sdk: ModuleType, loopback: Loopback, otter: Path, params: str, kind: str
) -> None:
    loopback.default = Reply(200, RESPONSE)
    ours, theirs = clients(sdk, loopback)
    mine_image, their_image = file_value(kind, otter), file_value(kind, otter)
    try:
        our_result = ours.images.create_variation(image=mine_image, **PARAMS[params])
        their_result = theirs.images.create_variation(image=their_image, **PARAMS[params])
    finally:
        for handle in (mine_image, their_image):
            if hasattr(handle, "close"):
                handle.close()
    (sent,) = assert_same_wire(loopback)
    assert sent["method"] == "POST" and sent["path"] == "/v1/images/variations"
    assert sent["content_type"] == "multipart/form-data" and sent["authorization"] == "Bearer sk-test"
    expected = {k for k, v in PARAMS[params].items() if v is not None} | {"image"}
    assert {p.name for p in sent["parts"]} == expected  # omitted and None: not sent
    assert our_result.to_dict() == their_result.model_dump(exclude_unset=True) == RESPONSE
    assert (
        our_result.usage.input_tokens_details.image_tokens
        == their_result.usage.input_tokens_details.image_tokens
        == 40
    )


@pytest.mark.parametrize("params", list(PARAMS))
def test_async_create_variation_matches_the_official_sdk(
    sdk: ModuleType, loopback: Loopback, params: str
) -> None:
    loopback.default = Reply(200, RESPONSE)
    options = {"api_key": "sk-test", "base_url": loopback.url + "/v1", "max_retries": 0}

    async def main() -> tuple[Any, Any]:
        async with sdk.AsyncOpenAI(**options) as ours:
            mine = await ours.images.create_variation(image=PNG, **PARAMS[params])
        async with openai.AsyncOpenAI(**options) as theirs:
            their = await theirs.images.create_variation(image=PNG, **PARAMS[params])
        return mine, their

    mine, their = asyncio.run(main())
    assert_same_wire(loopback)
    assert mine.to_dict() == their.model_dump(exclude_unset=True) == RESPONSE


def test_the_parts_themselves(sdk: ModuleType, loopback: Loopback, otter: Path) -> None:
    loopback.default = Reply(200, RESPONSE)
    ours = sdk.OpenAI(api_key="sk-test", base_url=loopback.url)
    with open(otter, "rb") as f:
        ours.images.create_variation(image=f, n=2, size="512x512", response_format="b64_json")
    (sent,) = loopback.requests
    assert sent.header("authorization") == "Bearer sk-test"
    parts = {p.name: p for p in sent.parts()}
    assert parts["image"].filename == "otter.png" and parts["image"].data == PNG
    assert parts["image"].content_type == "image/png"
    assert (parts["n"].data, parts["size"].data, parts["response_format"].data) == (
        b"2",
        b"512x512",
        b"b64_json",
    )
    assert set(parts) == {"image", "n", "size", "response_format"}  # omitted params are not sent


def test_extra_body_headers_and_query_match_the_official_sdk(sdk: ModuleType, loopback: Loopback) -> None:
    loopback.default = Reply(200, RESPONSE)
    ours, theirs = clients(sdk, loopback)
    extra: dict[str, Any] = {
        "extra_body": {"meta": {"a": 1, "b": {"c": True}}, "tags": ["x", "y"], "flag": False, "none": None},
        "extra_query": {"debug": "1", "v": 2},
        "extra_headers": {"X-Trace": "t1"},
    }
    ours.images.create_variation(image=PNG, size="256x256", **extra)
    theirs.images.create_variation(image=PNG, size="256x256", **extra)
    (sent,) = assert_same_wire(loopback)
    assert ("meta[b][c]", None, None, b"true") in [
        (p.name, p.filename, p.content_type, p.data) for p in sent["parts"]
    ]
    assert all(r.header("x-trace") == "t1" for r in loopback.requests)


def test_retries_send_the_same_as_the_official_sdk(sdk: ModuleType, loopback: Loopback) -> None:
    fast = {"retry-after-ms": "5"}
    script = [Reply(429, {}, fast), Reply(500, {}, fast), Reply(200, RESPONSE)]
    ours, theirs = clients(sdk, loopback, max_retries=2)
    loopback.reply(*script)
    ours.images.create_variation(image=io.BytesIO(PNG), n=2)
    assert len(loopback.requests) == 3
    loopback.reply(*script)
    theirs.images.create_variation(image=io.BytesIO(PNG), n=2)
    assert len(loopback.requests) == 6
    assert len(assert_same_wire(loopback)) == 3


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 422, 429, 500, 418])
def test_errors_match_the_official_sdk(sdk: ModuleType, loopback: Loopback, status: int) -> None:
    loopback.default = Reply(status, {"error": {"message": f"nope {status}", "type": "x"}})
    ours, theirs = clients(sdk, loopback)
    with pytest.raises(sdk.APIStatusError) as mine:
        ours.images.create_variation(image=PNG)
    with pytest.raises(openai.APIStatusError) as their:
        theirs.images.create_variation(image=PNG)
    assert type(mine.value).__name__ == type(their.value).__name__
    assert mine.value.message == their.value.message == f"Error code: {status} - nope {status}"
    assert mine.value.status_code == their.value.status_code == status
    assert mine.value.body == {"error": their.value.body}  # theirs keeps only the `error` member


def test_unknown_fields_parse_alike(sdk: ModuleType, loopback: Loopback) -> None:
    novel = {
        **RESPONSE,
        "background": "glitter",
        "moderation": {"flagged": False},
        "data": [{"url": "u", "x": 1}],
    }
    loopback.default = Reply(200, novel)
    ours, theirs = clients(sdk, loopback)
    mine = ours.images.create_variation(image=PNG)
    their = theirs.images.create_variation(image=PNG)
    assert mine.to_dict() == their.model_dump(exclude_unset=True) == novel
    assert mine.background == their.background == "glitter"
    assert mine.moderation == their.moderation and mine.data[0].x == their.data[0].x == 1


def test_with_raw_response_matches_the_official_sdk(sdk: ModuleType, loopback: Loopback) -> None:
    loopback.default = Reply(200, RESPONSE, {"x-request-id": "req_1"})
    ours, theirs = clients(sdk, loopback)
    mine = ours.images.with_raw_response.create_variation(image=PNG)
    their = theirs.images.with_raw_response.create_variation(image=PNG)
    assert mine.headers["x-request-id"] == their.headers["x-request-id"] == "req_1"
    assert mine.status_code == their.status_code == 200
    assert mine.parse().to_dict() == their.parse().model_dump(exclude_unset=True)
    assert_same_wire(loopback)
    ours_sent, theirs_sent = loopback.requests
    # the official package marks raw calls with a header; ours sends nothing extra
    assert theirs_sent.header("x-stainless-raw-response") == "true"
    assert ours_sent.header("x-stainless-raw-response") is None
