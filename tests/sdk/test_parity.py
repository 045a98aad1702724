"""What our SDK sends for create_variation equals what the official `openai` package sends.

Both talk to the same loopback recorder; compared: method, path, query, Authorization, content type (minus the
multipart boundary), and each multipart part's name, filename, content type and bytes (in any order). Both
parse the server's answer to the same values.
"""

from __future__ import annotations

import asyncio
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
    "all": {
        "model": "dall-e-2",
        "n": 2,
        "response_format": "b64_json",
        "size": "512x512",
        "user": "user-1234",
    },
    "some": {"n": 3, "size": "256x256"},
    "null": {"n": None, "response_format": None, "user": "u"},
}


def wire(request: Recorded) -> dict[str, Any]:
    return {
        "method": request.method,
        "path": request.path,
        "query": sorted(request.query),
        "authorization": request.header("authorization"),
        "content_type": request.media_type,
        "parts": sorted(request.parts()),
    }


@pytest.fixture
def otter(tmp_path: Path) -> Path:
    path = tmp_path / "otter.png"
    path.write_bytes(PNG)
    return path


def image_values(kind: str, path: Path) -> Any:
    if kind == "file":
        return open(path, "rb")
    if kind == "bytes":
        return PNG
    if kind == "path":
        return path
    return ("custom.png", PNG, "image/png")


def clients(sdk: ModuleType, server: Loopback) -> tuple[Any, Any]:
    ours = sdk.OpenAI(api_key="sk-test", base_url=server.url + "/v1", max_retries=0)
    theirs = openai.OpenAI(api_key="sk-test", base_url=server.url + "/v1", max_retries=0)
    return ours, theirs


@pytest.mark.parametrize("params", list(PARAMS), ids=list(PARAMS))
@pytest.mark.parametrize("image", ["file", "bytes", "path", "tuple"])
def test_sync_request_matches_official(
    sdk: ModuleType, loopback: Loopback, otter: Path, params: str, image: str
) -> None:
    loopback.default = Reply(200, RESPONSE)
    ours, theirs = clients(sdk, loopback)
    mine_image, their_image = image_values(image, otter), image_values(image, otter)
    try:
        our_result = ours.images.create_variation(image=mine_image, **PARAMS[params])
        their_result = theirs.images.create_variation(image=their_image, **PARAMS[params])
    finally:
        for handle in (mine_image, their_image):
            if hasattr(handle, "close"):
                handle.close()
    ours_sent, theirs_sent = loopback.requests
    assert wire(ours_sent) == wire(theirs_sent)
    assert wire(ours_sent)["content_type"] == "multipart/form-data"
    assert wire(ours_sent)["path"] == "/v1/images/variations"
    assert our_result.to_dict() == their_result.model_dump(exclude_unset=True) == RESPONSE
    assert (
        our_result.usage.input_tokens_details.image_tokens
        == their_result.usage.input_tokens_details.image_tokens
    )


@pytest.mark.parametrize("params", list(PARAMS), ids=list(PARAMS))
def test_async_request_matches_official(
    sdk: ModuleType, loopback: Loopback, otter: Path, params: str
) -> None:
    loopback.default = Reply(200, RESPONSE)

    async def main() -> tuple[Any, Any]:
        async with sdk.AsyncOpenAI(api_key="sk-test", base_url=loopback.url + "/v1", max_retries=0) as ours:
            mine = await ours.images.create_variation(image=otter.read_bytes(), **PARAMS[params])
        theirs = openai.AsyncOpenAI(api_key="sk-test", base_url=loopback.url + "/v1", max_retries=0)
        try:
            their = await theirs.images.create_variation(image=otter.read_bytes(), **PARAMS[params])
        finally:
            await theirs.close()
        return mine, their

    mine, their = asyncio.run(main())
    ours_sent, theirs_sent = loopback.requests
    assert wire(ours_sent) == wire(theirs_sent)
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
