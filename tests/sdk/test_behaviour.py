"""The generated SDK on bad days: retries, timeouts, errors, raw responses, resources, logging.

Everything runs against the real loopback server, which answers from a script.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx2
import pytest

from tests.conftest import SDK_PATH
from tests.support.loopback import Loopback, Reply

PNG = b"\x89PNG\r\n\x1a\n" + b"\x01" * 300
OK = {"created": 1, "data": [{"url": "https://example.com/x.png"}]}
FAST = {"retry-after-ms": "10"}


def client(sdk: ModuleType, server: Loopback, **kwargs: Any) -> Any:
    return sdk.OpenAI(api_key="sk-secret-key", base_url=server.url + "/v1", **kwargs)


def test_429_twice_then_200_is_retried_with_identical_bodies(
    sdk: ModuleType, loopback: Loopback, tmp_path: Path
) -> None:
    loopback.reply(
        Reply(429, {"error": {"message": "slow down"}}, FAST), Reply(429, {}, FAST), Reply(200, OK)
    )
    otter = tmp_path / "otter.png"
    otter.write_bytes(PNG)
    with open(otter, "rb") as image:  # a file object is read again from its start on each attempt
        result = client(sdk, loopback).images.create_variation(image=image, n=2)
    assert result.data[0].url == "https://example.com/x.png"
    assert len(loopback.requests) == 3
    first = loopback.requests[0].parts()
    assert all(r.parts() == first for r in loopback.requests)
    assert any(p.name == "image" and p.data == PNG for p in first)


def test_500_until_retries_run_out(sdk: ModuleType, loopback: Loopback) -> None:
    loopback.default = Reply(500, {"error": {"message": "boom"}}, FAST)
    with pytest.raises(sdk.InternalServerError) as info:
        client(sdk, loopback, max_retries=3).images.create_variation(image=PNG)
    assert len(loopback.requests) == 4
    assert info.value.status_code == 500 and info.value.message == "Error code: 500 - boom"


def test_max_retries_per_call_overrides_the_client(sdk: ModuleType, loopback: Loopback) -> None:
    loopback.default = Reply(503, {}, FAST)
    with pytest.raises(sdk.InternalServerError):
        client(sdk, loopback, max_retries=5).images.create_variation(image=PNG, max_retries=1)
    assert len(loopback.requests) == 2


def test_retry_after_in_seconds_and_as_a_date_are_honoured(sdk: ModuleType, loopback: Loopback) -> None:
    loopback.reply(Reply(429, {}, {"Retry-After": "0.2"}), Reply(200, OK))
    start = time.monotonic()
    client(sdk, loopback).images.create_variation(image=PNG)
    assert 0.18 <= time.monotonic() - start < 2
    loopback.reply(Reply(429, {}, {"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}), Reply(200, OK))
    client(sdk, loopback).images.create_variation(image=PNG)  # a past date: backoff instead, still retried
    assert len(loopback.requests) == 4


def test_x_should_retry_false_is_obeyed(sdk: ModuleType, loopback: Loopback) -> None:
    loopback.default = Reply(500, {}, {"x-should-retry": "false"})
    with pytest.raises(sdk.InternalServerError):
        client(sdk, loopback).images.create_variation(image=PNG)
    assert len(loopback.requests) == 1


def test_400_is_not_retried_and_carries_the_message(sdk: ModuleType, loopback: Loopback) -> None:
    body = {"error": {"message": "Invalid image: not square", "type": "invalid_request_error"}}
    loopback.default = Reply(400, body)
    with pytest.raises(sdk.BadRequestError) as info:
        client(sdk, loopback).images.create_variation(image=PNG)
    assert len(loopback.requests) == 1
    error = info.value
    assert (error.status_code, error.body) == (400, body)
    assert error.message == "Error code: 400 - Invalid image: not square"
    assert error.response.status_code == 400 and isinstance(error, sdk.APIStatusError)


@pytest.mark.parametrize(
    ("status", "name"),
    [
        (401, "AuthenticationError"),
        (403, "PermissionDeniedError"),
        (404, "NotFoundError"),
        (409, "ConflictError"),
        (422, "UnprocessableEntityError"),
        (418, "APIStatusError"),
    ],
)
def test_status_codes_map_to_error_classes(
    sdk: ModuleType, loopback: Loopback, status: int, name: str
) -> None:
    loopback.default = Reply(status, "plain text error", FAST)
    with pytest.raises(getattr(sdk, name)) as info:
        client(sdk, loopback, max_retries=1).images.create_variation(image=PNG)
    assert type(info.value).__name__ == name
    assert info.value.body == "plain text error"
    assert len(loopback.requests) == (2 if status == 409 else 1)  # 409 is retried, as by the official SDK


def test_a_slow_server_times_out(sdk: ModuleType, loopback: Loopback) -> None:
    loopback.default = Reply(200, OK, delay=2.0)
    start = time.monotonic()
    with pytest.raises(sdk.APITimeoutError):
        client(sdk, loopback, timeout=0.3, max_retries=0).images.create_variation(image=PNG)
    assert 0.25 < time.monotonic() - start < 1.5
    start = time.monotonic()
    with pytest.raises(sdk.APITimeoutError):  # per call, as a float and as an httpx2.Timeout
        client(sdk, loopback, max_retries=0).images.create_variation(image=PNG, timeout=httpx2.Timeout(0.3))
    assert time.monotonic() - start < 1.5
    assert issubclass(sdk.APITimeoutError, sdk.APIConnectionError)


def test_a_refused_connection(sdk: ModuleType) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    c = sdk.OpenAI(api_key="k", base_url=f"http://127.0.0.1:{port}/v1", max_retries=1)
    start = time.monotonic()
    with pytest.raises(sdk.APIConnectionError) as info:
        c.images.create_variation(image=PNG)
    assert not isinstance(info.value, sdk.APITimeoutError)
    assert time.monotonic() - start < 5


def test_unknown_fields_and_enum_values_are_returned_not_raised(sdk: ModuleType, loopback: Loopback) -> None:
    loopback.default = Reply(
        200,
        {
            "created": 5,
            "quality": "ultra",  # an enum value this SDK does not know
            "moderation": {"flagged": False},  # a field it does not know
            "data": [{"url": "u", "seed": 42}],
            "usage": {"input_tokens": "many"},  # a wrong type is kept as received
        },
    )
    result = client(sdk, loopback).images.create_variation(image=PNG)
    assert result.quality == "ultra"
    assert result.moderation == {"flagged": False} and result.model_extra == {
        "moderation": {"flagged": False}
    }
    assert result.data[0].seed == 42
    assert result.usage.input_tokens == "many"
    with pytest.raises(AttributeError):
        _ = result.no_such_field


@pytest.mark.parametrize("kind", ["bytes", "path", "tuple", "file"])
def test_image_as_bytes_path_tuple_and_file(
    sdk: ModuleType, loopback: Loopback, tmp_path: Path, kind: str
) -> None:
    loopback.default = Reply(200, OK)
    path = tmp_path / "pic.png"
    path.write_bytes(PNG)
    handle = open(path, "rb")
    value = {"bytes": PNG, "path": path, "tuple": ("named.png", PNG, "image/png"), "file": handle}[kind]
    client(sdk, loopback).images.create_variation(image=value)
    handle.close()
    (part,) = [p for p in loopback.requests[0].parts() if p.name == "image"]
    assert part.data == PNG
    assert (
        part.filename == {"bytes": "upload", "path": "pic.png", "tuple": "named.png", "file": "pic.png"}[kind]
    )


def test_files_the_sdk_opens_are_closed(sdk: ModuleType, loopback: Loopback, tmp_path: Path) -> None:
    loopback.default = Reply(200, OK)
    path = tmp_path / "pic.png"
    path.write_bytes(PNG)
    before = set(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else set()
    for _ in range(20):
        client(sdk, loopback).images.create_variation(image=path)
    if before:
        opened = [
            os.readlink(f"/proc/self/fd/{fd}")
            for fd in set(os.listdir("/proc/self/fd")) - before
            if os.path.exists(f"/proc/self/fd/{fd}")
        ]
        assert str(path) not in opened


def test_with_raw_response(sdk: ModuleType, loopback: Loopback) -> None:
    loopback.default = Reply(200, OK, {"x-request-id": "req_123"})
    raw = client(sdk, loopback).images.with_raw_response.create_variation(image=PNG)
    assert raw.status_code == 200 and raw.headers["x-request-id"] == "req_123"
    parsed = raw.parse()
    from openai_images.types import ImagesResponse

    assert isinstance(parsed, ImagesResponse) and parsed.created == 1
    assert raw.json() == OK

    async def main() -> None:
        async with sdk.AsyncOpenAI(api_key="k", base_url=loopback.url) as c:
            araw = await c.images.with_raw_response.create_variation(image=PNG)
            assert araw.headers["x-request-id"] == "req_123"
            assert (await araw.parse()).created == 1

    asyncio.run(main())


def test_clients_are_context_managers_that_close(sdk: ModuleType, loopback: Loopback) -> None:
    loopback.default = Reply(200, OK)
    with client(sdk, loopback) as c:
        c.images.create_variation(image=PNG)
    assert c._client.is_closed

    async def main() -> Any:
        async with sdk.AsyncOpenAI(api_key="k", base_url=loopback.url) as ac:
            await ac.images.create_variation(image=PNG)
        return ac

    assert asyncio.run(main())._client.is_closed


def test_async_retries_and_errors(sdk: ModuleType, loopback: Loopback) -> None:
    loopback.reply(Reply(429, {}, FAST), Reply(400, {"error": {"message": "bad"}}))

    async def main() -> None:
        async with sdk.AsyncOpenAI(api_key="k", base_url=loopback.url) as c:
            with pytest.raises(sdk.BadRequestError, match="bad"):
                await c.images.create_variation(image=PNG)

    asyncio.run(main())
    assert len(loopback.requests) == 2


def test_no_api_key_anywhere_names_the_env_var(sdk: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with pytest.raises(sdk.SDKError, match="OPENAI_API_KEY"):
        sdk.OpenAI()
    with pytest.raises(sdk.SDKError, match="OPENAI_API_KEY"):
        sdk.AsyncOpenAI()


def test_env_vars_give_the_key_and_url(
    sdk: ModuleType, loopback: Loopback, monkeypatch: pytest.MonkeyPatch
) -> None:
    loopback.default = Reply(200, OK)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-env")
    monkeypatch.setenv("OPENAI_BASE_URL", loopback.url + "/v9")
    sdk.OpenAI().images.create_variation(image=PNG)
    (sent,) = loopback.requests
    assert sent.header("authorization") == "Bearer sk-from-env" and sent.path == "/v9/images/variations"


def test_extra_headers_query_and_body(sdk: ModuleType, loopback: Loopback) -> None:
    loopback.default = Reply(200, OK)
    client(sdk, loopback, default_headers={"X-Team": "a"}).images.create_variation(
        image=PNG, extra_headers={"X-Trace": "t1"}, extra_query={"debug": True}, extra_body={"note": "hi"}
    )
    (sent,) = loopback.requests
    assert sent.header("x-team") == "a" and sent.header("x-trace") == "t1"
    assert sent.query == [("debug", "true")]
    assert any(p.name == "note" and p.data == b"hi" for p in sent.parts())


def test_debug_logging_shows_requests_and_retries_never_the_key(loopback: Loopback) -> None:
    loopback.reply(Reply(500, {}, FAST), Reply(200, OK))
    code = (
        "import openai_images\n"
        f"c = openai_images.OpenAI(api_key='sk-secret-key', base_url='{loopback.url}/v1')\n"
        "c.images.create_variation(image=b'png')\n"
    )
    env = {**os.environ, "OPENAI_LOG": "debug", "PYTHONPATH": str(SDK_PATH)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "POST" in result.stderr and "/v1/images/variations" in result.stderr
    assert '"500' in result.stderr and '"200' in result.stderr and "Retrying" in result.stderr
    assert "sk-secret-key" not in result.stderr
