"""The generated command line used as a CLI user uses one: nested commands, JSON from files and stdin,
output formats, --transform, binary output, and errors with their exit codes.

The SDK of tests/sdk/cli/spec.yaml is generated, pip-installed (not editable) into its own virtual
environment, and its console script `acme` is run against the loopback server.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT
from tests.support.loopback import Loopback, Reply

SPEC = Path(__file__).parent / "cli" / "spec.yaml"
COMPLETION = {"id": "c1", "choices": [{"index": 0, "message": {"role": "assistant", "content": "hi"}}]}
JOBS = {"data": [{"id": "j1", "status": "ok"}, {"id": "j2", "status": "failed"}], "has_more": False}
BYTES = bytes(range(256)) + b"\x89PNG\xff\x00"


@pytest.fixture(scope="module")
def acme(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = tmp_path_factory.mktemp("acme")
    src = where / "src"
    subprocess.run(
        [sys.executable, "-m", "generator", "generate", str(SPEC), "--target", "python", "--out", str(src),
         "--package-name", "acme", "--cli-name", "acme"],
        check=True, capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=300,
    )  # fmt: skip
    home = where / "venv"
    venv.create(home, with_pip=True)
    site = home / "lib" / f"python{sys.version_info[0]}.{sys.version_info[1]}" / "site-packages"
    (site / "tests-env.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")  # httpx2, pyyaml, jmespath
    subprocess.run(
        [str(home / "bin" / "python"), "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", str(src)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    shutil.rmtree(src)
    return home / "bin" / "acme"


def run(acme: Path, loopback: Loopback | None, *args: str, stdin: bytes | None = None, cwd: Path | None = None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("ACME_")}
    env["ACME_API_KEY"] = "sk-cli"
    if loopback is not None:
        env["ACME_BASE_URL"] = loopback.url + "/v1"
    return subprocess.run([str(acme), *args], capture_output=True, input=stdin, env=env, cwd=cwd, timeout=60)


def test_nested_commands_as_the_resource_tree(acme: Path, loopback: Loopback) -> None:
    loopback.default = Reply(200, JOBS)
    result = run(acme, loopback, "fine-tuning", "jobs", "list", "--limit", "2")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == JOBS  # not a terminal: JSON
    (request,) = loopback.requests
    assert (request.method, request.path, request.query) == ("GET", "/v1/fine_tuning/jobs", [("limit", "2")])
    assert run(acme, loopback, "chat", "completions", "create", "--help").returncode == 0


def test_help_lists_resources_and_prints_plain_text(acme: Path) -> None:
    top = " ".join(run(acme, None, "--help").stdout.decode().split())  # as argparse wraps it
    assert "chat" in top and "fine-tuning" in top and "files" in top
    assert "Talk to models in chat form. Learn more or the guide (https://acme.test/guide)." in top
    chat = run(acme, None, "chat", "--help").stdout.decode()
    assert "completions" in chat
    create = run(acme, None, "chat", "completions", "create", "--help").stdout.decode()
    assert "`" not in create and "**" not in create and "](" not in create
    assert "The conversation so far. See messages (https://acme.test/messages)." in " ".join(create.split())
    assert "(required)" in create and "@file.json" in create
    # a nullable value documented inside its `anyOf` keeps its description
    assert "--temperature NUMBER What sampling temperature to use." in " ".join(create.split())


def test_json_inline_from_a_file_and_from_stdin(acme: Path, loopback: Loopback, tmp_path: Path) -> None:
    loopback.default = Reply(200, COMPLETION)
    messages = [{"role": "user", "content": "héllo"}]
    (tmp_path / "msgs.json").write_text(json.dumps(messages), encoding="utf-8")
    for how, stdin in ((json.dumps(messages), None), ("@msgs.json", None), ("-", json.dumps(messages).encode())):
        result = run(acme, loopback, "chat", "completions", "create", "--model", "m", "--messages", how,
                     "--include", "usage", "--include", "logprobs", stdin=stdin, cwd=tmp_path)  # fmt: skip
        assert result.returncode == 0, (how, result.stderr)
        body = loopback.requests[-1].json()
        assert body == {"model": "m", "messages": messages, "include": ["usage", "logprobs"]}, how
    assert len(loopback.requests) == 3


def test_bad_json_and_enums_are_usage_errors(acme: Path, tmp_path: Path) -> None:
    bad = run(acme, None, "chat", "completions", "create", "--model", "m", "--messages", "@nope.json", cwd=tmp_path)
    assert bad.returncode == 2 and b"can't read 'nope.json'" in bad.stderr and b"usage:" in bad.stderr
    broken = run(acme, None, "chat", "completions", "create", "--model", "m", "--messages", "[{")
    assert broken.returncode == 2 and b"not valid JSON" in broken.stderr
    enum = run(acme, None, "chat", "completions", "create", "--model", "m", "--messages", "[]", "--include", "x")
    assert enum.returncode == 2 and b"choose from 'usage', 'logprobs'" in enum.stderr


def test_each_output_format(acme: Path, loopback: Loopback) -> None:
    loopback.default = Reply(200, JOBS)
    out = {
        fmt: run(acme, loopback, "fine-tuning", "jobs", "list", "--format", fmt).stdout.decode()
        for fmt in ("json", "jsonl", "yaml", "pretty", "raw")
    }
    assert json.loads(out["json"]) == JOBS and out["json"].startswith("{\n  ")
    assert [json.loads(line) for line in out["jsonl"].splitlines()] == [JOBS]
    assert yaml.safe_load(out["yaml"]) == JOBS
    assert "data:\n  - id: \"j1\"\n    status: \"ok\"" in out["pretty"] and "has_more: false" in out["pretty"]
    assert json.loads(out["raw"]) == JOBS and out["raw"] == json.dumps(JOBS)  # the bytes as received


def test_transform_and_jsonl_of_a_list(acme: Path, loopback: Loopback) -> None:
    loopback.default = Reply(200, JOBS)
    ids = run(acme, loopback, "fine-tuning", "jobs", "list", "--transform", "data[].id", "--format", "jsonl")
    assert ids.returncode == 0, ids.stderr
    assert ids.stdout.decode().splitlines() == ['"j1"', '"j2"']
    failed = run(acme, loopback, "--transform", "data[?status=='failed'] | [0].id", "fine-tuning", "jobs", "list")
    assert json.loads(failed.stdout) == "j2"
    sent = len(loopback.requests)
    bad = run(acme, loopback, "fine-tuning", "jobs", "list", "--transform", "data[")
    assert bad.returncode == 2 and b"--transform:" in bad.stderr
    assert len(loopback.requests) == sent  # checked before any request


def test_binary_bodies_to_a_file_or_stdout_intact(acme: Path, loopback: Loopback, tmp_path: Path) -> None:
    loopback.default = Reply(200, BYTES, headers={"Content-Type": "application/octet-stream"})
    target = tmp_path / "out.bin"
    saved = run(acme, loopback, "files", "content", "--file-id", "f1", "--output", str(target))
    assert saved.returncode == 0, saved.stderr
    assert target.read_bytes() == BYTES and saved.stdout == b""
    assert run(acme, loopback, "files", "content", "--file-id", "f1").stdout == BYTES
    assert loopback.requests[-1].path == "/v1/files/f1/content"


def test_api_errors_exit_1_with_status_message_and_request_id(acme: Path, loopback: Loopback) -> None:
    error = {"error": {"message": "No such job", "type": "invalid_request_error", "code": "not_found"}}
    loopback.default = Reply(404, error, headers={"x-request-id": "req_42"})
    result = run(acme, loopback, "fine-tuning", "jobs", "retrieve", "--job-id", "j9", "--max-retries", "0")
    assert result.returncode == 1
    assert result.stderr.decode().strip().endswith("error: 404: No such job (request id req_42)")
    assert result.stdout == b""
    as_json = run(acme, loopback, "--format", "json", "fine-tuning", "jobs", "retrieve", "--job-id", "j9")
    assert as_json.returncode == 1 and json.loads(as_json.stdout) == error


def test_usage_errors_exit_2_with_the_usage_line(acme: Path) -> None:
    missing = run(acme, None, "fine-tuning", "jobs", "retrieve")
    assert missing.returncode == 2
    assert b"usage: acme fine-tuning jobs retrieve" in missing.stderr and b"--job-id" in missing.stderr
    unknown = run(acme, None, "fine-tuning", "nope")
    assert unknown.returncode == 2 and b"invalid choice: 'nope'" in unknown.stderr


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("acme ", ["chat", "files", "fine-tuning"]),
        ("acme fi", ["files", "fine-tuning"]),
        ("acme --format json fine-tuning jobs ", ["list", "retrieve"]),
        ("acme chat completions create --m", ["--max-retries", "--messages", "--model"]),
        ("acme chat completions create --model ", []),
    ],
)
def test_shell_completion_offers_commands_then_flags(acme: Path, line: str, words: list[str]) -> None:
    env = {**os.environ, "COMP_LINE": line, "COMP_POINT": str(len(line))}
    result = subprocess.run([str(acme), "--complete", "acme", "", ""], capture_output=True, env=env, timeout=60)
    assert result.returncode == 0 and result.stdout.decode().split() == words


def test_the_completion_script_is_what_bash_takes(acme: Path) -> None:
    script = run(acme, None, "--completion-script", "bash").stdout.decode()
    env = {**os.environ, "PATH": f"{acme.parent}:{os.environ['PATH']}"}
    shown = subprocess.run(["bash", "-c", script + "complete -p acme"], capture_output=True, env=env, timeout=60)
    assert shown.returncode == 0 and b"-C 'acme --complete' acme" in shown.stdout
    assert run(acme, None, "--completion-script", "zsh").stdout.decode().startswith("autoload -U +X bashcompinit")
