"""File parameters: every accepted form, as the parts arrive at the server; files opened and closed."""

from __future__ import annotations

import asyncio
import io
import os
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.support.loopback import Loopback, Part, Reply

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
OK = {"created": 1, "data": []}


def image_part(loopback: Loopback) -> Part:
    (request,) = loopback.requests
    (part,) = [p for p in request.parts() if p.name == "image"]
    return part


@pytest.fixture
def pic(tmp_path: Path) -> Path:
    path = tmp_path / "pic.png"
    path.write_bytes(PNG)
    return path


@pytest.mark.parametrize(
    ("kind", "filename", "content_type"),
    [
        ("bytes", "upload", "application/octet-stream"),
        ("bytearray", "upload", "application/octet-stream"),
        ("path", "pic.png", "image/png"),
        ("str path in a tuple", "named.png", "image/png"),
        ("tuple of 2", "named.png", "image/png"),
        ("tuple of 3", "named.bin", "image/png"),
        ("tuple with a path", "other.png", "image/png"),
        ("tuple without a filename", None, None),
        ("open file", "pic.png", "image/png"),
        ("BytesIO", "upload", "application/octet-stream"),
        ("named BytesIO", "x.jpeg", "image/jpeg"),
    ],
)
def test_each_kind_of_file(
    loopback: Loopback,
    make_client: Callable[..., Any],
    pic: Path,
    kind: str,
    filename: str | None,
    content_type: str | None,
) -> None:
    loopback.default = Reply(200, OK)
    named = io.BytesIO(PNG)
    named.name = "/some/dir/x.jpeg"
    handle = open(pic, "rb")
    value = {
        "bytes": PNG,
        "bytearray": bytearray(PNG),
        "path": pic,
        "str path in a tuple": ("named.png", pic),
        "tuple of 2": ("named.png", PNG),
        "tuple of 3": ("named.bin", PNG, "image/png"),
        "tuple with a path": ("other.png", pic, None),
        "tuple without a filename": (None, PNG),
        "open file": handle,
        "BytesIO": io.BytesIO(PNG),
        "named BytesIO": named,
    }[kind]
    with handle:
        make_client().images.create_variation(image=value)
        assert not handle.closed  # the caller's file stays the caller's
    part = image_part(loopback)
    assert (part.filename, part.content_type, part.data) == (filename, content_type, PNG)


def test_a_str_is_not_a_file(sdk: ModuleType, loopback: Loopback, make_client: Callable[..., Any]) -> None:
    with pytest.raises(TypeError, match="binary file object"):
        make_client().images.create_variation(image="pic.png")
    assert loopback.requests == []


def test_a_text_mode_file_is_refused(loopback: Loopback, make_client: Callable[..., Any], pic: Path) -> None:
    with open(pic, encoding="latin-1") as text, pytest.raises(TypeError, match="binary"):
        make_client().images.create_variation(image=text)
    assert loopback.requests == []


def open_paths() -> list[str]:
    fds = "/proc/self/fd"
    out = []
    for fd in os.listdir(fds):
        try:
            out.append(os.readlink(f"{fds}/{fd}"))
        except OSError:
            pass
    return out


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc")
def test_files_the_sdk_opens_are_closed(
    loopback: Loopback, make_client: Callable[..., Any], pic: Path
) -> None:
    loopback.default = Reply(200, OK)
    client = make_client()
    for value in (pic, ("x.png", pic), ("x.png", pic, "image/png")):
        client.images.create_variation(image=value)
        assert str(pic) not in open_paths()

    async def main() -> None:
        async with make_client(async_=True) as async_client:
            await async_client.images.create_variation(image=pic)
            assert str(pic) not in open_paths()

    asyncio.run(main())
    assert all(p.data == PNG for r in loopback.requests for p in r.parts() if p.name == "image")


def test_async_file_kinds(loopback: Loopback, make_client: Callable[..., Any], pic: Path) -> None:
    loopback.default = Reply(200, OK)

    async def main() -> None:
        async with make_client(async_=True) as client:
            with open(pic, "rb") as handle:
                for value in (PNG, pic, ("n.png", PNG, "image/png"), handle):
                    await client.images.create_variation(image=value)

    asyncio.run(main())
    parts = [next(p for p in r.parts() if p.name == "image") for r in loopback.requests]
    assert [(p.filename, p.content_type) for p in parts] == [
        ("upload", "application/octet-stream"),
        ("pic.png", "image/png"),
        ("n.png", "image/png"),
        ("pic.png", "image/png"),
    ]
    assert all(p.data == PNG for p in parts)
