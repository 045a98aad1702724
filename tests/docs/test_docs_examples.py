"""Every code example in the generated docs runs: Python, the CLI and curl against the loopback server,
the spec's own examples too (its Python one with the official `openai` package it was written for)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SDK_PATH
from tests.support.loopback import Loopback, Recorded, Reply
from tests.typescript.support import build_package, compile_app, make_app, node, require_node

PAGE = ROOT / "generated" / "docs" / "images" / "create_variation.md"
RESPONSE = {"created": 1, "data": [{"url": "https://img.example/0.png"}]}
SERVER = "https://api.openai.com/v1"


def examples() -> dict[str, str]:
    """{label: code} for every fenced example under "## Examples"."""
    text = PAGE.read_text()
    section = text[text.index("## Examples") : text.index("## Response example")]
    found = re.findall(r"### (.+?)\n\n(`{3,})[a-z]*\n(.*?)\n\2", section, re.S)
    return {label.replace("\\", ""): code + "\n" for label, _, code in found}


def summary(request: Recorded) -> tuple[str, str, str | None, list[tuple[str, bytes]]]:
    return (
        request.method,
        request.path,
        request.header("authorization"),
        sorted((p.name, p.data) for p in request.parts()),
    )


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    (tmp_path / "otter.png").write_bytes(b"\x89PNG\r\n\x1a\notter")
    return tmp_path


def env_for(server: Loopback, **extra: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    return {**base, "OPENAI_API_KEY": "sk-docs", "OPENAI_BASE_URL": server.url + "/v1", **extra}


def test_the_page_has_every_example() -> None:
    assert set(examples()) == {
        "curl",
        "Python",
        "TypeScript",
        "CLI",
        "Perl",
        "From the spec (curl)",
        "From the spec (python)",
    }


def test_python_cli_and_curl_examples_send_the_same_request(
    loopback: Loopback, workdir: Path, console: Path
) -> None:
    if shutil.which("curl") is None:
        pytest.skip("curl is not installed")
    loopback.default = Reply(200, RESPONSE)
    code = examples()
    python = subprocess.run(
        [sys.executable, "-c", code["Python"]],
        cwd=workdir,
        capture_output=True,
        text=True,
        env=env_for(loopback, PYTHONPATH=str(SDK_PATH)),
        timeout=60,
    )
    assert python.returncode == 0, python.stderr
    assert "https://img.example/0.png" in python.stdout

    cli_env = env_for(loopback, PATH=f"{console.parent}:{os.environ['PATH']}")
    cli = subprocess.run(
        ["bash", "-c", code["CLI"]], cwd=workdir, capture_output=True, text=True, env=cli_env, timeout=60
    )
    assert cli.returncode == 0, cli.stderr

    curl_code = code["curl"].replace(SERVER, loopback.url + "/v1")
    assert curl_code != code["curl"], "the curl example does not use the spec's server"
    curl = subprocess.run(
        ["bash", "-c", curl_code.rstrip() + " --fail --silent --show-error"],
        cwd=workdir,
        capture_output=True,
        text=True,
        env=env_for(loopback),
        timeout=60,
    )
    assert curl.returncode == 0, curl.stderr

    sdk_request, cli_request, curl_request = loopback.requests
    assert summary(sdk_request) == summary(cli_request) == summary(curl_request)
    assert summary(sdk_request)[2] == "Bearer sk-docs"


def test_the_perl_example_sends_what_the_python_one_sends(loopback: Loopback, workdir: Path) -> None:
    if shutil.which("perl") is None:
        pytest.skip("perl is not installed")
    loopback.default = Reply(200, RESPONSE)
    code = examples()
    python = subprocess.run([sys.executable, "-c", code["Python"]], cwd=workdir, capture_output=True, text=True,
                            env=env_for(loopback, PYTHONPATH=str(SDK_PATH)), timeout=60)
    assert python.returncode == 0, python.stderr
    perl_lib = ROOT / "generated" / "perl" / "lib"
    perl = subprocess.run(["perl", f"-I{perl_lib}", "-MJSON::PP", "-e", code["Perl"]], cwd=workdir,
                          capture_output=True, text=True, env=env_for(loopback), timeout=60)
    assert perl.returncode == 0, perl.stderr
    assert '"url" : "https://img.example/0.png"' in perl.stdout
    from_python, from_perl = loopback.requests
    assert summary(from_python) == summary(from_perl)


def test_the_specs_own_examples_run(loopback: Loopback, workdir: Path) -> None:
    loopback.default = Reply(200, RESPONSE)
    code = examples()
    curl = subprocess.run(
        ["bash", "-c", code["From the spec (curl)"].replace(SERVER, loopback.url + "/v1")],
        cwd=workdir,
        capture_output=True,
        text=True,
        env=env_for(loopback),
        timeout=60,
    )
    assert curl.returncode == 0, curl.stderr
    official = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", code["From the spec (python)"]],
        cwd=workdir,
        capture_output=True,
        text=True,
        env=env_for(loopback),
        timeout=60,
    )
    assert official.returncode == 0, official.stderr
    assert len(loopback.requests) == 2


def test_typescript_example_compiles_and_runs(loopback: Loopback, tmp_path: Path) -> None:
    """The page's TypeScript example, compiled strict by tsc against generated/typescript, run by node."""
    require_node()
    package = build_package(ROOT / "generated" / "typescript", tmp_path / "openai-images")
    app = make_app(tmp_path / "app", {"openai-images": package}, {"example.ts": examples()["TypeScript"]})
    (app / "otter.png").write_bytes(b"\x89PNG\r\n\x1a\notter")
    compile_app(app)
    loopback.default = Reply(200, RESPONSE)
    run = node(app, "example.js", env=env_for(loopback))
    assert run.returncode == 0, run.stderr
    assert "created" in run.stdout and "https://img.example/0.png" in run.stdout
    (sent,) = loopback.requests
    assert summary(sent) == (
        "POST",
        "/v1/images/variations",
        "Bearer sk-docs",
        [
            ("image", b"\x89PNG\r\n\x1a\notter"),
            ("model", b"dall-e-2"),
            ("n", b"1"),
            ("response_format", b"url"),
            ("size", b"1024x1024"),
            ("user", b"user-1234"),
        ],
    )
