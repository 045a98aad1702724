"""The generated command line, installed in a fresh virtual environment and run as a user runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import openai
import pytest

from tests.sdk.test_parity import wire
from tests.support.loopback import Loopback, Reply

PNG = b"\x89PNG\r\n\x1a\n" + b"\x02" * 500
RESPONSE = {"created": 1713833628, "data": [{"b64_json": "aGk="}, {"b64_json": "aG8="}]}


def run(
    console: Path,
    *args: str,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    stdin: bytes | None = None,
) -> subprocess.CompletedProcess[bytes]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    return subprocess.run(
        [str(console), *args],
        capture_output=True,
        env={**base, **(env or {})},
        cwd=cwd,
        input=stdin,
        timeout=60,
    )


def test_create_variation_sends_what_the_official_sdk_sends(
    console: Path, loopback: Loopback, tmp_path: Path
) -> None:
    loopback.default = Reply(200, RESPONSE)
    image = tmp_path / "otter.png"
    image.write_bytes(PNG)
    result = run(
        console,
        "images",
        "create-variation",
        "--image",
        str(image),
        "--n",
        "2",
        "--size",
        "512x512",
        "--response-format",
        "b64_json",
        "--user",
        "u",
        env={"OPENAI_API_KEY": "sk-cli", "OPENAI_BASE_URL": loopback.url + "/v1"},
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == RESPONSE
    assert result.stdout.decode().startswith("{\n  ")  # indented

    official = openai.OpenAI(api_key="sk-cli", base_url=loopback.url + "/v1", max_retries=0)
    official.images.create_variation(image=image, n=2, size="512x512", response_format="b64_json", user="u")
    ours, theirs = loopback.requests
    assert wire(ours) == wire(theirs)


def test_seed_000_example_with_global_flag_after_the_method(
    console: Path, loopback: Loopback, tmp_path: Path
) -> None:
    loopback.default = Reply(200, RESPONSE)
    (tmp_path / "Example data").write_bytes(PNG)
    result = run(
        console,
        "images",
        "create-variation",
        "--api-key",
        "My API Key",
        "--image",
        "Example data",
        env={"OPENAI_BASE_URL": loopback.url},
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    (sent,) = loopback.requests
    assert sent.header("authorization") == "Bearer My API Key"
    assert [p.filename for p in sent.parts() if p.name == "image"] == ["Example data"]


def test_global_flags_before_the_resource_and_raw_output(console: Path, loopback: Loopback) -> None:
    loopback.default = Reply(200, b'{"created":1}', {"Content-Type": "application/json"})
    result = run(
        console,
        "--api-key",
        "k",
        "--base-url",
        loopback.url,
        "--max-retries",
        "0",
        "--raw",
        "images",
        "create-variation",
        "--image",
        "-",
        stdin=PNG,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == b'{"created":1}'
    (part,) = [p for p in loopback.requests[0].parts() if p.name == "image"]
    assert part.data == PNG


def test_missing_image_is_a_usage_error_naming_it(console: Path) -> None:
    result = run(console, "images", "create-variation", "--n", "2", env={"OPENAI_API_KEY": "k"})
    assert result.returncode == 2
    assert b"--image" in result.stderr and b"required" in result.stderr
    assert b"Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--n", "two"], b"--n: invalid int value"),
        (["--size", "3x3"], b"--size: invalid choice"),
        (["--image", "/no/such.png"], b"can't open '/no/such.png'"),
    ],
)
def test_bad_flag_values_are_usage_errors(
    console: Path, tmp_path: Path, args: list[str], message: bytes
) -> None:
    image = tmp_path / "i.png"
    image.write_bytes(PNG)
    result = run(
        console, "images", "create-variation", "--image", str(image), *args, env={"OPENAI_API_KEY": "k"}
    )
    assert result.returncode == 2 and message in result.stderr, result.stderr


def test_api_and_connection_errors_are_one_line_and_exit_1(
    console: Path, loopback: Loopback, tmp_path: Path
) -> None:
    image = tmp_path / "i.png"
    image.write_bytes(PNG)
    loopback.default = Reply(400, {"error": {"message": "Invalid image: not square"}})
    result = run(
        console,
        "images",
        "create-variation",
        "--image",
        str(image),
        env={"OPENAI_API_KEY": "k", "OPENAI_BASE_URL": loopback.url},
    )
    assert result.returncode == 1
    assert result.stderr.decode().splitlines() == [
        "openai: error: 400: Invalid image: not square"
    ]

    refused = run(
        console,
        "--max-retries",
        "0",
        "images",
        "create-variation",
        "--image",
        str(image),
        env={"OPENAI_API_KEY": "k", "OPENAI_BASE_URL": "http://127.0.0.1:9"},
    )
    assert refused.returncode == 1
    lines = refused.stderr.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith("openai: error: could not connect to http://127.0.0.1:9")


def test_no_api_key_is_a_usage_error_naming_the_env_var(console: Path, tmp_path: Path) -> None:
    image = tmp_path / "i.png"
    image.write_bytes(PNG)
    result = run(console, "images", "create-variation", "--image", str(image))
    assert result.returncode == 2 and b"OPENAI_API_KEY" in result.stderr and b"--api-key" in result.stderr


def test_help_at_every_level(console: Path) -> None:
    top = run(console, "--help").stdout.decode()
    assert "images" in top and "--api-key" in top
    resource = run(console, "images", "--help").stdout.decode()
    assert "create-variation" in resource and "Creates a variation of a given image." in resource
    method = " ".join(run(console, "images", "create-variation", "--help").stdout.decode().split())
    for text in (
        "--image FILE",
        "--n INT",
        "--response-format {url,b64_json}",
        "--size {256x256,512x512,1024x1024}",
        "(required)",
        "Must be between 1 and 10.",
        "--api-key",
        "--timeout SECONDS",
    ):
        assert text in method, text


def test_python_dash_m_runs_the_same_program(console: Path) -> None:
    python = console.parent / "python"
    result = subprocess.run(
        [str(python), "-m", "openai_images", "images", "--help"], capture_output=True, timeout=60
    )
    assert result.returncode == 0 and b"create-variation" in result.stdout
    assert sys.executable != str(python)
