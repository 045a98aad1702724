"""The clients: raw responses, context managers, configuration from the environment, logging."""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
from collections.abc import Callable
from types import ModuleType
from typing import Any

import httpx2
import pytest

from tests.conftest import API_KEY, SDK_PATH
from tests.support.loopback import Loopback, Reply

PNG = b"\x89PNG\r\n\x1a\n"
OK = {"created": 1, "data": [{"url": "https://example.com/x.png"}]}


def test_with_raw_response(sdk: ModuleType, loopback: Loopback, make_client: Callable[..., Any]) -> None:
    loopback.default = Reply(200, OK, {"x-request-id": "req_123"})
    raw = make_client().images.with_raw_response.create_variation(image=PNG, n=1)
    assert isinstance(raw, sdk.APIResponse)
    assert raw.status_code == 200 and raw.headers["x-request-id"] == "req_123"
    assert raw.http_response.request.method == "POST"
    assert raw.json() == OK and raw.content == raw.text.encode()
    parsed = raw.parse()
    assert isinstance(parsed, sdk.types.ImagesResponse) and parsed.data[0].url == "https://example.com/x.png"
    assert raw.parse() is parsed  # parsed once
    (sent,) = loopback.requests
    assert not any("raw" in name.lower() for name, _ in sent.header_list)  # nothing on the wire
    # the switch does not leak: the next ordinary call parses again
    assert isinstance(make_client().images.create_variation(image=PNG), sdk.types.ImagesResponse)


def test_async_with_raw_response(
    sdk: ModuleType, loopback: Loopback, make_client: Callable[..., Any]
) -> None:
    loopback.default = Reply(200, OK, {"x-request-id": "req_456"})

    async def main() -> None:
        async with make_client(async_=True) as client:
            raw, plain = await asyncio.gather(
                client.images.with_raw_response.create_variation(image=PNG),
                client.images.create_variation(image=PNG),  # concurrently: not raw
            )
            assert isinstance(raw, sdk.AsyncAPIResponse) and raw.headers["x-request-id"] == "req_456"
            parsed = await raw.parse()
            assert parsed.created == 1 and isinstance(plain, sdk.types.ImagesResponse)

    asyncio.run(main())


def test_raw_responses_still_raise_errors(
    sdk: ModuleType, loopback: Loopback, make_client: Callable[..., Any]
) -> None:
    loopback.default = Reply(404, {"error": {"message": "gone"}})
    with pytest.raises(sdk.NotFoundError):
        make_client().images.with_raw_response.create_variation(image=PNG)


def test_context_managers_close_the_connections(loopback: Loopback, make_client: Callable[..., Any]) -> None:
    loopback.default = Reply(200, OK)
    with make_client() as client:
        client.images.create_variation(image=PNG)
    assert client._client.is_closed

    async def main() -> Any:
        async with make_client(async_=True) as async_client:
            await async_client.images.create_variation(image=PNG)
        return async_client

    assert asyncio.run(main())._client.is_closed


def test_a_users_http_client_is_used_and_left_open(
    loopback: Loopback, make_client: Callable[..., Any]
) -> None:
    loopback.default = Reply(200, OK)
    mine = httpx2.Client(headers={"X-Mine": "1"})
    with make_client(http_client=mine) as client:
        client.images.create_variation(image=PNG)
    assert not mine.is_closed and loopback.requests[0].header("x-mine") == "1"
    mine.close()
    # its timeout applies unless it is httpx2's default; a timeout given to the SDK always wins
    assert make_client(http_client=httpx2.Client(timeout=7.0)).timeout == httpx2.Timeout(7.0)
    assert make_client(http_client=httpx2.Client()).timeout == httpx2.Timeout(600.0, connect=5.0)
    assert make_client(http_client=httpx2.Client(timeout=7.0), timeout=2.0).timeout == httpx2.Timeout(2.0)


def test_env_vars_give_the_key_and_url(
    sdk: ModuleType, loopback: Loopback, monkeypatch: pytest.MonkeyPatch
) -> None:
    loopback.default = Reply(200, OK)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-env")
    monkeypatch.setenv("OPENAI_BASE_URL", loopback.url + "/v9")
    sdk.OpenAI().images.create_variation(image=PNG)
    asyncio.run(sdk.AsyncOpenAI().images.create_variation(image=PNG))
    for sent in loopback.requests:
        assert sent.header("authorization") == "Bearer sk-from-env" and sent.path == "/v9/images/variations"
    monkeypatch.delenv("OPENAI_BASE_URL")
    assert str(sdk.OpenAI().base_url) == "https://api.openai.com/v1/"


def test_info_logging_in_process_never_shows_the_key(
    loopback: Loopback, make_client: Callable[..., Any], caplog: pytest.LogCaptureFixture
) -> None:
    loopback.reply(Reply(503, {}, {"retry-after-ms": "5"}))
    loopback.default = Reply(200, OK)
    caplog.set_level(logging.DEBUG, logger="openai_images")
    make_client().images.create_variation(image=PNG)
    text = caplog.text
    assert "POST" in text and "/v1/images/variations" in text
    assert "503" in text and "200" in text and "Retrying" in text
    assert API_KEY not in text and "<redacted>" in text


def run_logged(loopback: Loopback, level: str | None) -> subprocess.CompletedProcess[str]:
    code = (
        "import openai_images\n"
        f"c = openai_images.OpenAI(api_key='sk-secret-key', base_url='{loopback.url}/v1')\n"
        "c.images.create_variation(image=b'png')\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "OPENAI_LOG"}
    env["PYTHONPATH"] = str(SDK_PATH)
    if level is not None:
        env["OPENAI_LOG"] = level
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)


def test_openai_log_debug_shows_requests_and_retries_never_the_key(loopback: Loopback) -> None:
    loopback.reply(Reply(500, {}, {"retry-after-ms": "5"}))
    loopback.default = Reply(200, OK)
    result = run_logged(loopback, "debug")
    assert result.returncode == 0, result.stderr
    err = result.stderr
    assert "POST" in err and f"{loopback.url}/v1/images/variations" in err
    assert '"500 Internal Server Error"' in err and '"200 OK"' in err
    assert "Retrying POST" in err and "in 0.005 seconds (status 500; retry 1 of 2)" in err
    assert "DEBUG" in err and "INFO" in err
    assert "sk-secret-key" not in err and "<redacted>" in err


def test_openai_log_info_and_unset(loopback: Loopback) -> None:
    loopback.default = Reply(200, OK)
    info = run_logged(loopback, "info")
    assert info.returncode == 0 and "HTTP Request: POST" in info.stderr and "DEBUG" not in info.stderr
    quiet = run_logged(loopback, None)
    assert quiet.returncode == 0 and quiet.stderr == ""


def test_importing_the_package_is_light() -> None:
    code = "import sys, openai_images; print(sorted({'anyio', 'openai'} & set(sys.modules)))"
    env = {**os.environ, "PYTHONPATH": str(SDK_PATH)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"  # not the official package; anyio only once an async client waits
