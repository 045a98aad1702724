"""Retries against the loopback server: what is retried, how often, how long it waits, what is resent."""

from __future__ import annotations

import asyncio
import email.utils
import importlib
import io
import itertools
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx2
import pytest

from tests.support.loopback import Loopback, Recorded, Reply, dead_port

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 3
OK = {"created": 1, "data": [{"url": "https://example.com/x.png"}]}
FAST = {"retry-after-ms": "5"}  # keeps the tests quick: the SDK honours the server's wish


def without_boundary(request: Recorded) -> bytes:
    """The raw body with its (random, per attempt) multipart boundary taken out."""
    boundary = (request.header("content-type") or "").split("boundary=", 1)[1].encode()
    return request.body.replace(boundary, b"BOUNDARY")


def test_429_twice_then_200_resends_identical_bodies(
    loopback: Loopback, make_client: Callable[..., Any], tmp_path: Path
) -> None:
    loopback.reply(Reply(429, {"error": {"message": "slow down"}}, FAST), Reply(429, {}, FAST))
    loopback.default = Reply(200, OK)
    path = tmp_path / "otter.png"
    path.write_bytes(PNG)
    with open(path, "rb") as image:  # a file object is read again from its start on each attempt
        result = make_client().images.create_variation(image=image, n=2, size="256x256")
    assert result.data[0].url == "https://example.com/x.png"
    assert len(loopback.requests) == 3
    first = without_boundary(loopback.requests[0])
    assert PNG in first
    assert all(without_boundary(r) == first for r in loopback.requests)
    assert all(r.parts() == loopback.requests[0].parts() for r in loopback.requests)


@pytest.mark.parametrize("kind", ["bytes", "path", "tuple", "bytesio"])
def test_every_kind_of_file_is_resent_whole(
    loopback: Loopback, make_client: Callable[..., Any], tmp_path: Path, kind: str
) -> None:
    path = tmp_path / "otter.png"
    path.write_bytes(PNG)
    value = {
        "bytes": PNG,
        "path": path,
        "tuple": ("a.png", PNG, "image/png"),
        "bytesio": io.BytesIO(PNG),
    }[kind]
    loopback.reply(Reply(503, {}, FAST))
    loopback.default = Reply(200, OK)
    make_client().images.create_variation(image=value)
    first, second = loopback.requests
    assert [p.data for p in first.parts() if p.name == "image"] == [PNG]
    assert second.parts() == first.parts()


def test_a_multipart_file_object_is_sent_whole_on_every_attempt(
    loopback: Loopback, make_client: Callable[..., Any]
) -> None:
    # httpx2 reads a multipart file object from its start whatever its position (so does the
    # official SDK, which hands httpx2 the same object); a binary body starts where the file stood:
    # see test_runtime_requests.py
    handle = io.BytesIO(b"HEADER" + PNG)
    handle.seek(6)
    loopback.reply(Reply(500, {}, FAST))
    loopback.default = Reply(200, OK)
    make_client().images.create_variation(image=handle)
    sent = [[p.data for p in r.parts() if p.name == "image"] for r in loopback.requests]
    assert sent == [[b"HEADER" + PNG], [b"HEADER" + PNG]]


class OneWay(io.RawIOBase):
    """A readable stream that cannot seek (a pipe, a socket)."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        chunk = self._data.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


def test_a_body_that_cannot_be_resent_is_not_retried(
    sdk: ModuleType, loopback: Loopback, make_client: Callable[..., Any]
) -> None:
    loopback.default = Reply(500, {}, FAST)
    with pytest.raises(sdk.InternalServerError):
        make_client().images.create_variation(image=OneWay(PNG))
    assert len(loopback.requests) == 1


def test_500_until_the_retries_run_out(
    sdk: ModuleType, loopback: Loopback, make_client: Callable[..., Any]
) -> None:
    loopback.default = Reply(500, {"error": {"message": "boom"}}, FAST)
    with pytest.raises(sdk.InternalServerError) as info:
        make_client(max_retries=3).images.create_variation(image=PNG)
    assert len(loopback.requests) == 4
    assert info.value.status_code == 500 and info.value.message == "Error code: 500 - boom"


def test_the_default_is_two_retries(
    sdk: ModuleType, loopback: Loopback, make_client: Callable[..., Any]
) -> None:
    loopback.default = Reply(502, "bad gateway", FAST)
    with pytest.raises(sdk.InternalServerError):
        make_client().images.create_variation(image=PNG)
    assert len(loopback.requests) == 3


@pytest.mark.parametrize(("client_retries", "call_retries", "sent"), [(5, 1, 2), (0, 2, 3), (3, 0, 1)])
def test_max_retries_per_call_overrides_the_client(
    sdk: ModuleType,
    loopback: Loopback,
    make_client: Callable[..., Any],
    client_retries: int,
    call_retries: int,
    sent: int,
) -> None:
    loopback.default = Reply(503, {}, FAST)
    with pytest.raises(sdk.InternalServerError):
        make_client(max_retries=client_retries).images.create_variation(image=PNG, max_retries=call_retries)
    assert len(loopback.requests) == sent


@pytest.mark.parametrize("status", [408, 409, 429, 500, 503, 599])
def test_retried_statuses(loopback: Loopback, make_client: Callable[..., Any], status: int) -> None:
    loopback.reply(Reply(status, {}, FAST))
    loopback.default = Reply(200, OK)
    assert make_client().images.create_variation(image=PNG).created == 1
    assert len(loopback.requests) == 2


@pytest.mark.parametrize("status", [400, 401, 403, 404, 418, 422])
def test_other_client_errors_are_not_retried(
    sdk: ModuleType, loopback: Loopback, make_client: Callable[..., Any], status: int
) -> None:
    loopback.default = Reply(status, {}, FAST)
    with pytest.raises(sdk.APIStatusError):
        make_client().images.create_variation(image=PNG)
    assert len(loopback.requests) == 1


def test_x_should_retry_overrides_the_status(
    sdk: ModuleType, loopback: Loopback, make_client: Callable[..., Any]
) -> None:
    loopback.default = Reply(500, {}, {"x-should-retry": "false"})
    with pytest.raises(sdk.InternalServerError):
        make_client().images.create_variation(image=PNG)
    assert len(loopback.requests) == 1
    loopback.requests.clear()
    loopback.reply(Reply(400, {}, {"x-should-retry": "true", **FAST}))
    loopback.default = Reply(200, OK)
    make_client().images.create_variation(image=PNG)
    assert len(loopback.requests) == 2


def gaps(loopback: Loopback) -> list[float]:
    times = [r.at for r in loopback.requests]
    return [b - a for a, b in itertools.pairwise(times)]


def test_retry_after_ms_and_seconds_are_honoured(loopback: Loopback, make_client: Callable[..., Any]) -> None:
    loopback.reply(
        Reply(429, {}, {"retry-after-ms": "150"}),
        Reply(429, {}, {"Retry-After": "0.3"}),
        Reply(200, OK),
    )
    make_client().images.create_variation(image=PNG)
    first, second = gaps(loopback)
    assert 0.14 <= first < 0.45  # not the 0.5 s default backoff
    assert 0.29 <= second < 0.6


def test_unusable_retry_after_falls_back_to_backoff(
    loopback: Loopback, make_client: Callable[..., Any]
) -> None:
    loopback.reply(Reply(429, {}, {"Retry-After": "61"}), Reply(200, OK))  # more than a minute
    make_client().images.create_variation(image=PNG)
    (gap,) = gaps(loopback)
    assert 0.37 <= gap < 0.9  # the first backoff: 0.5 s less up to 25 % jitter


@pytest.mark.parametrize(
    ("headers", "low", "high"),
    [
        ({"retry-after-ms": "1500"}, 1.5, 1.5),
        ({"retry-after-ms": "20", "retry-after": "9"}, 0.02, 0.02),  # milliseconds win
        ({"Retry-After": "2.5"}, 2.5, 2.5),
        ({"Retry-After": "60"}, 60, 60),
        ({"Retry-After": "DATE+30"}, 28, 30.5),
        ({"Retry-After": "61"}, 0.375, 0.5),  # too long: the backoff instead
        ({"Retry-After": "0"}, 0.375, 0.5),
        ({"Retry-After": "-3"}, 0.375, 0.5),
        ({"Retry-After": "soon"}, 0.375, 0.5),
        ({"Retry-After": "DATE-3600"}, 0.375, 0.5),
        ({"retry-after-ms": "x", "Retry-After": "1"}, 1, 1),
        ({}, 0.375, 0.5),
    ],
)
def test_the_delay_a_server_asks_for(
    sdk: ModuleType, headers: dict[str, str], low: float, high: float
) -> None:
    base = importlib.import_module("openai_images._base_client")
    for name, value in headers.items():
        if value.startswith("DATE"):  # an HTTP date that many seconds from now
            headers[name] = email.utils.formatdate(time.time() + float(value[4:]), usegmt=True)
    assert low <= base.retry_delay(0, httpx2.Headers(headers)) <= high


def test_backoff_doubles_with_jitter_up_to_8_seconds(sdk: ModuleType) -> None:
    base = importlib.import_module("openai_images._base_client")
    for taken, full in [(0, 0.5), (1, 1.0), (2, 2.0), (3, 4.0), (4, 8.0), (9, 8.0), (10**6, 8.0)]:
        delays = [base.retry_delay(taken) for _ in range(200)]
        assert all(0.75 * full <= d <= full for d in delays)
        assert max(delays) - min(delays) > 0.05 * full  # jittered


def test_timeouts_are_retried(sdk: ModuleType, loopback: Loopback, make_client: Callable[..., Any]) -> None:
    loopback.reply(Reply(200, OK, delay=1.0))
    loopback.default = Reply(200, OK)
    result = make_client(timeout=0.25, max_retries=1).images.create_variation(image=PNG)
    assert result.created == 1 and len(loopback.requests) == 2


def test_connection_errors_are_retried_then_raised(sdk: ModuleType) -> None:
    client = sdk.OpenAI(api_key="sk-x", base_url=f"http://127.0.0.1:{dead_port()}", max_retries=1)
    start = time.monotonic()
    with pytest.raises(sdk.APIConnectionError) as info:
        client.images.create_variation(image=PNG)
    assert not isinstance(info.value, sdk.APITimeoutError)
    assert 0.37 <= time.monotonic() - start < 3  # one backoff between the two attempts


def test_async_retries(sdk: ModuleType, loopback: Loopback, make_client: Callable[..., Any]) -> None:
    loopback.reply(Reply(429, {}, FAST), Reply(500, {}, FAST))
    loopback.default = Reply(200, OK)

    async def main() -> Any:
        async with make_client(async_=True) as client:
            return await client.images.create_variation(image=io.BytesIO(PNG))

    assert asyncio.run(main()).created == 1
    assert len(loopback.requests) == 3
    assert all(r.parts() == loopback.requests[0].parts() for r in loopback.requests)

    loopback.requests.clear()
    loopback.default = Reply(503, {}, FAST)

    async def failing() -> None:
        async with make_client(async_=True, max_retries=1) as client:
            await client.images.create_variation(image=PNG)

    with pytest.raises(sdk.InternalServerError):
        asyncio.run(failing())
    assert len(loopback.requests) == 2
