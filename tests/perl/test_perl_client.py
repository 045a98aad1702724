"""The generated Perl distribution: compiles, clean POD, its own tests pass, and on the wire it sends what
the official Python SDK sends for the same call."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import openai
import pytest

from generator.pipeline import generate
from generator.targets.base import Job
from tests.conftest import ROOT
from tests.support.loopback import Loopback, Recorded, Reply

DIST = ROOT / "generated" / "perl"
MODULES = sorted((DIST / "lib").rglob("*.pm"))
PODS = sorted((DIST / "lib").rglob("*.pod"))
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
RESPONSE = {"created": 1713833628, "data": [{"url": "https://img.example/0.png"}], "usage": {"input_tokens": 5}}

pytestmark = pytest.mark.skipif(shutil.which("perl") is None, reason="perl is not installed")


def perl(*args: str, cwd: Path = DIST, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["perl", *args], cwd=cwd, capture_output=True, text=True, timeout=60,
                          env={**os.environ, **(env or {})})


@pytest.mark.parametrize("module", MODULES, ids=[m.name for m in MODULES])
def test_modules_compile(module: Path) -> None:
    result = perl("-Ilib", "-c", str(module))
    assert result.returncode == 0 and "syntax OK" in result.stderr, result.stderr


def test_pod_is_clean() -> None:
    if shutil.which("podchecker") is None:
        pytest.skip("podchecker is not installed")
    result = subprocess.run(["podchecker", *map(str, MODULES + PODS)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr and "ERROR" not in result.stderr


def test_the_distributions_own_tests_pass() -> None:
    if shutil.which("prove") is None:
        pytest.skip("prove is not installed")
    result = subprocess.run(["prove", "-l", "t/"], cwd=DIST, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Result: PASS" in result.stdout


CALL = r"""
use strict; use warnings;
use JSON::PP;
use OpenAI::Images;
my $client = OpenAI::Images->new(max_retries => 2);
my $result = eval { $client->create_image_variation({ body => { %s } }) };
if (my $error = $@) {
    print JSON::PP->new->canonical->encode({ error => { status => $error->status, message => $error->message } });
    exit 0;
}
print JSON::PP->new->canonical->encode($result);
"""


def call(body: str, server: Loopback, cwd: Path) -> object:
    env = {"OPENAI_API_KEY": "sk-perl", "OPENAI_BASE_URL": server.url + "/v1"}
    result = perl(f"-I{DIST / 'lib'}", "-e", CALL % body, cwd=cwd, env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def wire(request: Recorded) -> tuple[object, ...]:
    return (request.method, request.path, request.header("authorization"), request.media_type,
            sorted(request.parts()))


@pytest.mark.parametrize(("perl_body", "python_args"), [
    ("image => 'otter.png'", {}),
    ("image => 'otter.png', n => 2, size => '512x512', response_format => 'b64_json', user => 'u-1', model => 'dall-e-2'",
     {"n": 2, "size": "512x512", "response_format": "b64_json", "user": "u-1", "model": "dall-e-2"}),
    ("image => \\\"PNG bytes\", n => 3", {"n": 3}),
], ids=["required", "all", "bytes"])
def test_perl_sends_what_the_official_sdk_sends(loopback: Loopback, tmp_path: Path, perl_body: str,
                                                python_args: dict[str, object]) -> None:
    (tmp_path / "otter.png").write_bytes(PNG)
    loopback.default = Reply(200, RESPONSE)
    decoded = call(perl_body, loopback, tmp_path)
    assert decoded == RESPONSE
    image: object = b"PNG bytes" if "\\\"PNG" in perl_body else open(tmp_path / "otter.png", "rb")
    official = openai.OpenAI(api_key="sk-perl", base_url=loopback.url + "/v1", max_retries=0)
    official.images.create_variation(image=image, **python_args)  # type: ignore[arg-type]
    if hasattr(image, "close"):
        image.close()
    ours, theirs = loopback.requests
    assert wire(ours) == wire(theirs)


def test_errors_die_with_status_and_message_and_429_is_retried(loopback: Loopback, tmp_path: Path) -> None:
    (tmp_path / "otter.png").write_bytes(PNG)
    loopback.reply(Reply(429, {}, {"retry-after-ms": "10"}), Reply(400, {"error": {"message": "not square"}}))
    assert call("image => 'otter.png'", loopback, tmp_path) == {
        "error": {"status": 400, "message": "Error code: 400 - not square"}
    }
    assert len(loopback.requests) == 2


def test_a_body_cut_short_is_retried_then_dies_as_a_connection_error(loopback: Loopback, tmp_path: Path) -> None:
    """Content-Length says more than arrives: HTTP::Tiny's 599, retried as a connection failure, then a
    typed error with no status; a retry that gets the whole body returns it."""
    (tmp_path / "otter.png").write_bytes(PNG)
    whole = json.dumps(RESPONSE).encode()
    loopback.reply(*(Reply(200, RESPONSE, cut=len(whole) // 2) for _ in range(3)))
    out = call("image => 'otter.png'", loopback, tmp_path)
    assert isinstance(out, dict) and out["error"]["status"] is None, out
    assert out["error"]["message"].startswith("Connection error: "), out
    assert len(loopback.requests) == 3  # max_retries => 2
    loopback.requests.clear()
    loopback.reply(Reply(200, RESPONSE, cut=10), Reply(200, RESPONSE))
    assert call("image => 'otter.png'", loopback, tmp_path) == RESPONSE
    assert len(loopback.requests) == 2


FIXED_QUERY = r"""
use strict; use warnings;
use OpenAI::Resp;
my $client = OpenAI::Resp->new(api_key => 'k', base_url => $ARGV[0], max_retries => 0);
$client->beta_get_response({ response_id => 'resp_1', include => ['a'], 'openai-beta' => ['x=v1', 'y=v2'] });
$client->beta_get_response({ response_id => 'resp_1' });
"""


def test_a_paths_fixed_query_and_an_array_header(loopback: Loopback, tmp_path: Path) -> None:
    """`/responses/{response_id}?beta=true`: the query parameters follow the path's own (`&`, not a second
    `?`); an array header goes as its items joined with commas (simple style), as the Python SDK sends them."""
    job = Job(spec="tests/sdk/responses/spec.yaml", target="perl", out=str(tmp_path), package_name="OpenAI::Resp")
    for path, text in generate(job).files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text, encoding="utf-8")
    loopback.default = Reply(200, {"id": "resp_1", "object": "response"})
    result = perl("-Ilib", "-e", FIXED_QUERY, loopback.url + "/v1", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    first, second = loopback.requests
    assert (first.target, first.header("openai-beta")) == ("/v1/responses/resp_1?beta=true&include=a", "x=v1,y=v2")
    assert (second.target, second.header("openai-beta")) == ("/v1/responses/resp_1?beta=true", None)
