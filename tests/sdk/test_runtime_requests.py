"""Request building, through `client.request(RequestOptions(...))` as generated methods call it.

The images spec has one multipart operation; these cover what other specs generate: path, query,
header and cookie parameters, each kind of body and of response, each way of sending the API key.
"""

from __future__ import annotations

import asyncio
import importlib
import io
import json
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest

from tests.conftest import API_KEY
from tests.support.loopback import Loopback, Recorded, Reply


@pytest.fixture(scope="module")
def rt(sdk: ModuleType) -> Any:
    """The runtime: RequestOptions, T, omit."""

    class Runtime:
        RequestOptions = importlib.import_module("openai_images._base_client").RequestOptions
        T = importlib.import_module("openai_images._models").T
        omit = sdk.omit

    return Runtime


def send(client: Any, rt: Any, cast_to: Any = None, **options: Any) -> Any:
    options.setdefault("method", "post")
    options.setdefault("path", "/things")
    options.setdefault("security", ("bearer",))
    return client.request(rt.RequestOptions(**options), cast_to=cast_to or rt.T.any())


def only(loopback: Loopback) -> Recorded:
    (request,) = loopback.requests
    return request


def test_default_headers(loopback: Loopback, make_client: Callable[..., Any], rt: Any) -> None:
    send(make_client(), rt)
    sent = only(loopback)
    assert sent.header("authorization") == f"Bearer {API_KEY}"
    assert sent.header("accept") == "application/json"
    assert sent.header("user-agent") == "openai_images/python 0.1.0"
    assert sent.header("content-type") is None and sent.body == b""  # no body, no content type


def test_header_precedence_and_removal(loopback: Loopback, make_client: Callable[..., Any], rt: Any) -> None:
    client = make_client(default_headers={"accept": "text/plain", "X-Team": "a", "X-Gone": "g"})
    send(
        client,
        rt,
        headers={"X-Team": "from-param", "X-Count": 3, "X-Flag": True, "X-Unset": rt.omit},
        extra_headers={"x-gone": rt.omit, "User-Agent": rt.omit, "X-Trace": "t1"},
    )
    sent = only(loopback)
    names = [k.lower() for k, _ in sent.header_list]
    assert names.count("accept") == 1 and sent.header("accept") == "text/plain"
    assert sent.header("x-team") == "from-param" and sent.header("x-trace") == "t1"
    assert sent.header("x-count") == "3" and sent.header("x-flag") == "true"
    assert "x-gone" not in names and "x-unset" not in names
    assert "openai_images" not in (sent.header("user-agent") or "")  # httpx2's own default is back


def test_extra_headers_can_replace_the_authorization(
    loopback: Loopback, make_client: Callable[..., Any], rt: Any
) -> None:
    send(make_client(), rt, extra_headers={"authorization": "Bearer other"})
    assert only(loopback).header("authorization") == "Bearer other"


@pytest.mark.parametrize(
    ("security", "where"),
    [
        ((), None),
        (("basic",), ("authorization", "Basic dXNlcjpwYXNz")),
        (("header:X-Api-Key",), ("x-api-key", "user:pass")),
        (("query:key",), ("query", ("key", "user:pass"))),
        (("cookie:sid",), ("cookie", "sid=user:pass")),
    ],
)
def test_ways_of_sending_the_api_key(
    loopback: Loopback, make_client: Callable[..., Any], rt: Any, security: Any, where: Any
) -> None:
    send(make_client(api_key="user:pass"), rt, security=security)
    sent = only(loopback)
    if where is None:
        assert sent.header("authorization") is None and "user:pass" not in json.dumps(sent.headers)
    elif where[0] == "query":
        assert sent.query == [where[1]]
    else:
        assert sent.header(where[0]) == where[1]


def test_path_parameters_are_percent_encoded(
    loopback: Loopback, make_client: Callable[..., Any], rt: Any
) -> None:
    client = make_client(base_url=loopback.url + "/api/v1")  # no trailing slash
    send(
        client,
        rt,
        method="get",
        path="/files/{file_id}/parts/{n}",
        path_params={"file_id": "a b/c?d#e%f", "n": 7},
    )
    assert only(loopback).target == "/api/v1/files/a%20b%2Fc%3Fd%23e%25f/parts/7"
    for bad in (".", ".."):
        with pytest.raises(ValueError, match="file_id"):
            send(client, rt, method="get", path="/files/{file_id}", path_params={"file_id": bad})


def test_query_parameters(loopback: Loopback, make_client: Callable[..., Any], rt: Any) -> None:
    send(
        make_client(base_url=loopback.url + "/v1/"),
        rt,
        method="get",
        query={
            "limit": 10,
            "after": rt.omit,
            "before": None,
            "desc": False,
            "ids": ["a", "b c"],
            "filter": {"kind": "x", "deep": True},
            "ratio": 0.5,
            "name": "é&=",
        },
        extra_query={"limit": 20, "debug": True},
    )
    sent = only(loopback)
    assert sent.path == "/v1/things"
    assert sent.query == [
        ("limit", "20"),
        ("desc", "false"),
        ("ids", "a"),
        ("ids", "b c"),
        ("filter[kind]", "x"),
        ("filter[deep]", "true"),
        ("ratio", "0.5"),
        ("name", "é&="),
        ("debug", "true"),
    ]


def test_json_body(sdk: ModuleType, loopback: Loopback, make_client: Callable[..., Any], rt: Any) -> None:
    image = sdk.types.Image(url="u", b64_json=None)
    send(
        make_client(),
        rt,
        body={"prompt": "un été", "n": rt.omit, "user": None, "image": image, "tags": ("a", "b")},
        content_type="application/json",
        extra_body={"seed": 1, "tags": ["c"]},
    )
    sent = only(loopback)
    assert sent.header("content-type") == "application/json"
    assert (
        sent.body
        == (
            '{"prompt":"un été","user":null,"image":{"b64_json":null,"url":"u"},"tags":["c"],"seed":1}'
        ).encode()
    )


def test_json_body_of_a_vendor_type_and_a_non_object(
    loopback: Loopback, make_client: Callable[..., Any], rt: Any
) -> None:
    client = make_client()
    send(client, rt, body=[1, 2], content_type="application/merge-patch+json")
    assert loopback.requests[0].header("content-type") == "application/merge-patch+json"
    assert loopback.requests[0].json() == [1, 2]
    with pytest.raises(TypeError, match="extra_body"):
        send(client, rt, body=[1], content_type="application/json", extra_body={"a": 1})
    send(client, rt, body=None, content_type="application/json", extra_body={"only": "extra"})
    assert loopback.requests[1].json() == {"only": "extra"}


def test_multipart_data_fields_are_encoded_like_the_official_sdk(
    loopback: Loopback, make_client: Callable[..., Any], rt: Any
) -> None:
    send(
        make_client(),
        rt,
        body={
            "file": b"data",
            "purpose": "fine-tune",
            "stream": True,
            "skip": None,
            "gone": rt.omit,
            "meta": {"a": 1, "b": {"c": False}},
            "include": ["x", "y"],
            "ratio": 1.5,
        },
        content_type="multipart/form-data",
        file_fields=("file",),
        extra_body={"note": "hi"},
    )
    parts = [(p.name, p.filename, p.data) for p in only(loopback).parts()]
    assert sorted(parts, key=str) == sorted(
        [
            ("file", "upload", b"data"),
            ("purpose", None, b"fine-tune"),
            ("stream", None, b"true"),
            ("meta[a]", None, b"1"),
            ("meta[b][c]", None, b"false"),
            ("include[]", None, b"x"),
            ("include[]", None, b"y"),
            ("ratio", None, b"1.5"),
            ("note", None, b"hi"),
        ],
        key=str,
    )


def test_multipart_without_files_and_with_arrays_of_files(
    loopback: Loopback, make_client: Callable[..., Any], rt: Any
) -> None:
    client = make_client()
    send(client, rt, body={"a": "1"}, content_type="multipart/form-data", file_fields=("f",))
    send(
        client,
        rt,
        body={"images": [b"1", ("two.png", b"2")], "one": ("x.txt", b"3", "text/plain")},
        content_type="multipart/form-data",
        file_fields=("images", "one"),
    )
    first, second = loopback.requests
    assert first.media_type == "multipart/form-data" and [p.name for p in first.parts()] == ["a"]
    assert [(p.name, p.filename, p.data) for p in second.parts()] == [
        ("images[]", "upload", b"1"),
        ("images[]", "two.png", b"2"),
        ("one", "x.txt", b"3"),
    ]


def test_form_urlencoded_body(loopback: Loopback, make_client: Callable[..., Any], rt: Any) -> None:
    send(
        make_client(),
        rt,
        body={"grant_type": "client_credentials", "scope": ["a", "b"], "x": rt.omit, "ok": True},
        content_type="application/x-www-form-urlencoded",
    )
    sent = only(loopback)
    assert sent.header("content-type") == "application/x-www-form-urlencoded"
    assert sent.body == b"grant_type=client_credentials&scope%5B%5D=a&scope%5B%5D=b&ok=true"


def test_binary_bodies(loopback: Loopback, make_client: Callable[..., Any], rt: Any) -> None:
    client = make_client()
    handle = io.BytesIO(b"SKIP" + b"payload")
    handle.seek(4)  # a binary body starts where the file stands
    loopback.reply(Reply(500, {}, {"retry-after-ms": "5"}))
    send(client, rt, body=handle, content_type="application/octet-stream")
    send(client, rt, body=b"raw", content_type="image/*")
    send(client, rt, body=("a.png", b"png", "image/png"), content_type="image/*")
    first, retried, raw, typed = loopback.requests
    assert first.body == retried.body == b"payload"  # sent again from the same place
    assert first.header("content-type") == "application/octet-stream"
    assert (raw.body, raw.header("content-type")) == (b"raw", "application/octet-stream")
    assert (typed.body, typed.header("content-type")) == (b"png", "image/png")


def test_text_body(loopback: Loopback, make_client: Callable[..., Any], rt: Any) -> None:
    send(make_client(), rt, body="héllo", content_type="text/plain")
    sent = only(loopback)
    assert (sent.body, sent.header("content-type")) == ("héllo".encode(), "text/plain")


def test_response_kinds(loopback: Loopback, make_client: Callable[..., Any], rt: Any) -> None:
    client = make_client()
    loopback.reply(
        Reply(200, b"\x00\x01binary", {"Content-Type": "application/octet-stream"}),
        Reply(200, "some text"),
        Reply(204),
        Reply(200, b'{"a":1}', {"Content-Type": "application/json; charset=utf-8"}),
        Reply(200, b'{"a":2}', {"Content-Type": "application/problem+json"}),
        Reply(200, b'{"a":3}', {"Content-Type": "text/plain"}),  # JSON that does not say so
    )
    assert send(client, rt, cast_to=rt.T.bytes()) == b"\x00\x01binary"
    assert send(client, rt, cast_to=rt.T.text()) == "some text"
    assert send(client, rt, cast_to=rt.T.none()) is None
    assert send(client, rt, cast_to=rt.T.map(rt.T.int())) == {"a": 1}
    assert send(client, rt) == {"a": 2}
    assert send(client, rt) == {"a": 3}


def test_async_request_building(loopback: Loopback, make_client: Callable[..., Any], rt: Any) -> None:
    async def main() -> None:
        async with make_client(async_=True) as client:
            options = rt.RequestOptions(
                method="put",
                path="/things/{id}",
                path_params={"id": "x/y"},
                query={"q": [1, 2]},
                body=io.BytesIO(b"stream me"),
                content_type="application/octet-stream",
                security=("bearer",),
            )
            assert await client.request(options, cast_to=rt.T.any()) == {"ok": True}

    asyncio.run(main())
    sent = only(loopback)
    assert (sent.method, sent.target, sent.body) == ("PUT", "/v1/things/x%2Fy?q=1&q=2", b"stream me")
    assert sent.header("authorization") == f"Bearer {API_KEY}"
