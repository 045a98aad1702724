"""Errors: status codes to classes, messages and bodies, timeouts, refused connections, no API key."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from types import ModuleType
from typing import Any

import httpx2
import pytest

from tests.support.loopback import Loopback, Reply, dead_port

PNG = b"\x89PNG\r\n\x1a\n" + b"\x01" * 64
OK = {"created": 1, "data": [{"url": "https://example.com/x.png"}]}


def test_400_carries_the_server_message_and_is_sent_once(
    sdk: ModuleType, loopback: Loopback, make_client: Callable[..., Any]
) -> None:
    body = {"error": {"message": "Invalid image: not square", "type": "invalid_request_error"}}
    loopback.default = Reply(400, body, {"x-request-id": "req_42"})
    with pytest.raises(sdk.BadRequestError) as info:
        make_client().images.create_variation(image=PNG)
    assert len(loopback.requests) == 1
    error = info.value
    assert (error.status_code, error.body) == (400, body)
    assert error.message == "Error code: 400 - Invalid image: not square" == str(error)
    assert error.response.status_code == 400 and error.request_id == "req_42"
    assert error.request.method == "POST" and error.request.url.path == "/v1/images/variations"
    assert isinstance(error, sdk.APIStatusError) and isinstance(error, sdk.APIError)
    assert isinstance(error, sdk.SDKError)


@pytest.mark.parametrize(
    ("status", "name"),
    [
        (400, "BadRequestError"),
        (401, "AuthenticationError"),
        (403, "PermissionDeniedError"),
        (404, "NotFoundError"),
        (409, "ConflictError"),
        (422, "UnprocessableEntityError"),
        (429, "RateLimitError"),
        (500, "InternalServerError"),
        (503, "InternalServerError"),
        (418, "APIStatusError"),
    ],
)
def test_status_codes_map_to_error_classes(
    sdk: ModuleType, loopback: Loopback, make_client: Callable[..., Any], status: int, name: str
) -> None:
    loopback.default = Reply(status, {"error": {"message": f"no ({status})"}})
    with pytest.raises(sdk.APIStatusError) as info:
        make_client(max_retries=0).images.create_variation(image=PNG)
    assert type(info.value) is getattr(sdk, name)
    assert info.value.status_code == status
    assert info.value.message == f"Error code: {status} - no ({status})"


@pytest.mark.parametrize(
    ("reply", "message", "body"),
    [
        (Reply(404, "no such thing"), "Error code: 404 - no such thing", "no such thing"),
        (Reply(404, b""), "Error code: 404", None),
        (Reply(404, {"message": "top level"}), "Error code: 404 - top level", {"message": "top level"}),
        (Reply(404, {"detail": 1}), 'Error code: 404 - {"detail": 1}', {"detail": 1}),
        (Reply(404, {"error": "plain"}), "Error code: 404 - plain", {"error": "plain"}),
    ],
)
def test_error_bodies_that_are_not_the_usual_shape(
    sdk: ModuleType,
    loopback: Loopback,
    make_client: Callable[..., Any],
    reply: Reply,
    message: str,
    body: object,
) -> None:
    loopback.default = reply
    with pytest.raises(sdk.NotFoundError) as info:
        make_client().images.create_variation(image=PNG)
    assert (info.value.message, info.value.body) == (message, body)


def test_a_huge_error_page_is_shortened_in_the_message(
    sdk: ModuleType, loopback: Loopback, make_client: Callable[..., Any]
) -> None:
    page = "<html>" + "x" * 100_000 + "</html>"
    loopback.default = Reply(403, page, {"Content-Type": "text/html"})
    with pytest.raises(sdk.PermissionDeniedError) as info:
        make_client().images.create_variation(image=PNG)
    assert len(info.value.message) < 600 and info.value.body == page


def test_a_success_that_is_not_json_is_a_validation_error(
    sdk: ModuleType, loopback: Loopback, make_client: Callable[..., Any]
) -> None:
    loopback.default = Reply(200, "<html>a captive portal</html>", {"Content-Type": "text/html"})
    with pytest.raises(sdk.APIResponseValidationError) as info:
        make_client().images.create_variation(image=PNG)
    assert info.value.status_code == 200 and "text/html" in info.value.message


def test_a_slow_server_times_out_in_about_the_timeout(
    sdk: ModuleType, loopback: Loopback, make_client: Callable[..., Any]
) -> None:
    loopback.default = Reply(200, OK, delay=1.5)
    for client_options, call_options in [
        ({"timeout": 0.2}, {}),
        ({}, {"timeout": 0.2}),
        ({"timeout": 60.0}, {"timeout": httpx2.Timeout(0.2)}),
    ]:
        client = make_client(max_retries=0, **client_options)
        start = time.monotonic()
        with pytest.raises(sdk.APITimeoutError) as info:
            client.images.create_variation(image=PNG, **call_options)
        assert 0.18 < time.monotonic() - start < 1.0
        assert info.value.message == "Request timed out."
    assert issubclass(sdk.APITimeoutError, sdk.APIConnectionError)


def test_the_default_timeout_is_ten_minutes_with_five_seconds_to_connect(
    make_client: Callable[..., Any],
) -> None:
    assert make_client().timeout == httpx2.Timeout(600.0, connect=5.0)
    assert make_client(timeout=3.0).timeout == httpx2.Timeout(3.0)
    assert make_client(timeout=None).timeout is None


def test_a_refused_connection(sdk: ModuleType) -> None:
    client = sdk.OpenAI(api_key="sk-x", base_url=f"http://127.0.0.1:{dead_port()}/v1", max_retries=0)
    with pytest.raises(sdk.APIConnectionError) as info:
        client.images.create_variation(image=PNG)
    assert not isinstance(info.value, sdk.APITimeoutError)
    assert info.value.message == "Connection error." and info.value.body is None
    assert isinstance(info.value.__cause__, httpx2.ConnectError)


def test_async_errors(sdk: ModuleType, loopback: Loopback, make_client: Callable[..., Any]) -> None:
    loopback.reply(Reply(422, {"error": {"message": "bad size"}}), Reply(200, OK, delay=1.5))

    async def main() -> None:
        async with make_client(async_=True, max_retries=0) as client:
            with pytest.raises(sdk.UnprocessableEntityError, match="bad size"):
                await client.images.create_variation(image=PNG)
            with pytest.raises(sdk.APITimeoutError):
                await client.images.create_variation(image=PNG, timeout=0.2)
        refused = sdk.AsyncOpenAI(api_key="k", base_url=f"http://127.0.0.1:{dead_port()}")
        with pytest.raises(sdk.APIConnectionError):
            await refused.images.create_variation(image=PNG, max_retries=0)

    asyncio.run(main())


def test_no_api_key_anywhere_names_the_env_var(sdk: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    for cls in (sdk.OpenAI, sdk.AsyncOpenAI):
        with pytest.raises(sdk.SDKError, match="OPENAI_API_KEY"):
            cls()


def test_negative_max_retries_is_refused(make_client: Callable[..., Any]) -> None:
    with pytest.raises(ValueError, match="max_retries"):
        make_client(max_retries=-1)
