"""Binary downloads in the Perl client (issue 17): the bytes come back exactly as the server sent them.

tests/perl/binary/spec.yaml has an `application/octet-stream` download, an image (`image/png` or
`image/webp`) and a JSON object. Run with real perl against the loopback server: the binary methods send
the spec's media types as `Accept` and return the body's bytes (0x89, 0xFF, 0x00, a UTF-8 sequence and an
invalid one), never decoded as UTF-8 or JSON, even when the server labels them JSON; the JSON method
still decodes, and its body comes back as bytes when the server sends another media type.
"""

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
from generator.write import write
from tests.support.loopback import Loopback, Reply

ROOT = Path(__file__).resolve().parents[2]
#: a PNG signature, every byte value, a UTF-8 "é" and a byte that is no UTF-8
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) + "é".encode() + b"\xff\xfe\x00end"

pytestmark = pytest.mark.skipif(shutil.which("perl") is None, reason="perl is not installed")

SCRIPT = r"""
use strict; use warnings;
use JSON::PP;
use Binary::Client;
my ($method, $arg, $id, $out) = @ARGV;
my $client = Binary::Client->new(api_key => 'sk-bin', base_url => $ENV{BASE_URL});
my $result = $client->$method({ $arg => $id });
if (ref $result) { print JSON::PP->new->utf8->canonical->encode({ decoded => $result }); exit 0 }
open my $fh, '>:raw', $out or die "$out: $!";
print {$fh} $result;
close $fh;
print JSON::PP->new->utf8->canonical->encode({ length => length($result), utf8 => utf8::is_utf8($result) ? 1 : 0 });
"""


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = tmp_path_factory.mktemp("perl-binary")
    job = Job(spec="tests/perl/binary/spec.yaml", target="perl", out="x", package_name="Binary::Client",
              root=str(ROOT))  # fmt: skip
    write(where, generate(job).files)
    return where


def call(dist: Path, server: Loopback, tmp_path: Path, method: str, arg: str, value: str) -> dict[str, object]:
    run = subprocess.run(
        ["perl", f"-I{dist / 'lib'}", "-e", SCRIPT, method, arg, value, str(tmp_path / "out.bin")],
        capture_output=True, text=True, timeout=60, env={**os.environ, "BASE_URL": server.url + "/v1"},
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    result: dict[str, object] = json.loads(run.stdout)
    return result


@pytest.mark.parametrize(
    ("method", "arg", "path", "content_type", "accept"),
    [
        ("download_file", "file_id", "/v1/files/file-abc/content", "application/octet-stream",
         "application/octet-stream"),
        ("get_image", "image_id", "/v1/images/file-abc", "image/png", "image/png, image/webp"),
        # a server that labels the bytes JSON: the spec says binary, so they are not parsed
        ("download_file", "file_id", "/v1/files/file-abc/content", "application/json", "application/octet-stream"),
    ],
    ids=["octet-stream", "png", "mislabelled"],
)  # fmt: skip
def test_binary_responses_come_back_byte_identical(
    dist: Path, loopback: Loopback, tmp_path: Path, method: str, arg: str, path: str, content_type: str,
    accept: str,
) -> None:  # fmt: skip
    loopback.default = Reply(200, PNG, {"Content-Type": content_type})
    assert call(dist, loopback, tmp_path, method, arg, "file-abc") == {"length": len(PNG), "utf8": 0}
    assert (tmp_path / "out.bin").read_bytes() == PNG
    (request,) = loopback.requests
    assert (request.method, request.path) == ("GET", path)
    assert request.header("accept") == accept and request.header("authorization") == "Bearer sk-bin"


def test_the_download_matches_the_official_sdk(dist: Path, loopback: Loopback, tmp_path: Path) -> None:
    loopback.default = Reply(200, PNG, {"Content-Type": "application/octet-stream"})
    call(dist, loopback, tmp_path, "download_file", "file_id", "file-abc")
    official = openai.OpenAI(api_key="sk-bin", base_url=loopback.url + "/v1", max_retries=0)
    theirs = official.files.content("file-abc").content
    assert (tmp_path / "out.bin").read_bytes() == theirs == PNG
    ours, official_request = loopback.requests
    assert (ours.method, ours.path) == (official_request.method, official_request.path)


def test_json_still_decodes_and_other_media_types_stay_bytes(
    dist: Path, loopback: Loopback, tmp_path: Path
) -> None:
    loopback.reply(
        Reply(200, {"id": "file-abc", "filename": "é.png"}),
        Reply(200, PNG, {"Content-Type": "application/octet-stream"}),
    )
    assert call(dist, loopback, tmp_path, "retrieve_file", "file_id", "file-abc") == {
        "decoded": {"id": "file-abc", "filename": "é.png"}
    }
    assert call(dist, loopback, tmp_path, "retrieve_file", "file_id", "file-abc") == {
        "length": len(PNG),
        "utf8": 0,
    }
    assert (tmp_path / "out.bin").read_bytes() == PNG
    assert [r.header("accept") for r in loopback.requests] == ["application/json"] * 2


def test_the_pod_says_what_each_method_returns(dist: Path) -> None:
    (module,) = (dist / "lib").rglob("Client.pm")
    pod = module.read_text()
    download = pod.split("=head2 download_file", 1)[1].split("=head2", 1)[0]
    assert "Returns the response body (application/octet-stream) as a string of bytes" in download
    image = pod.split("=head2 get_image", 1)[1].split("=head2", 1)[0]
    assert "(image/png, image/webp) as a string of bytes" in image
    retrieve = pod.split("=head2 retrieve_file", 1)[1].split("=head2", 1)[0]
    assert "Returns the decoded response (application/json)" in retrieve
    if shutil.which("podchecker") is not None:
        pods = [str(p) for p in (dist / "lib").rglob("*.p[mo]d")]
        result = subprocess.run(["podchecker", *pods], capture_output=True, text=True)
        assert result.returncode == 0 and "WARNING" not in result.stderr, result.stderr
