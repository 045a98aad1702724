"""The sdkgen command line, run as a user runs it: a subprocess, real files."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "specs" / "images-variations.yaml"


def sdkgen(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=120,
    )


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {
        str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_generate_check_and_regenerate(tmp_path: Path) -> None:
    out = tmp_path / "sdk"
    first = sdkgen("generate", str(SPEC), "--out", str(out), "--package-name", "openai_images")
    assert first.returncode == 0, first.stderr
    assert re.fullmatch(
        rf"1 operations, 6 schemas, 0 warnings -> {re.escape(str(out))}"
        r" \((\d+) written, 0 unchanged, 0 removed\)\n",
        first.stdout,
    ), first.stdout
    (out / "NOTES.md").write_text("my own notes\n")
    before = snapshot(out)

    again = sdkgen("generate", str(SPEC), "--out", str(out), "--package-name", "openai_images")
    assert again.returncode == 0 and "(0 written, " in again.stdout and " 0 removed)" in again.stdout
    assert snapshot(out) == before  # nothing rewritten: same bytes, same mtimes, the user's file kept

    fresh = sdkgen("check", str(SPEC), "--out", str(out), "--package-name", "openai_images")
    assert fresh.returncode == 0, fresh.stdout + fresh.stderr

    # the spec changes: check fails with a diff naming the change, and writes nothing
    changed_spec = tmp_path / "spec.yaml"
    changed_spec.write_text(SPEC.read_text().replace("The number of images to generate.", "How many images."))
    stale = sdkgen("check", str(changed_spec), "--out", str(out), "--package-name", "openai_images")
    assert stale.returncode == 1
    assert "+          n: How many images." in stale.stdout
    assert "-          n: The number of images to generate." in stale.stdout
    assert "is stale" in stale.stderr
    assert snapshot(out) == before


def test_a_removed_resource_removes_only_its_files(tmp_path: Path) -> None:
    out = tmp_path / "sdk"
    assert sdkgen("generate", str(SPEC), "--out", str(out)).returncode == 0
    (out / "NOTES.md").write_text("mine\n")
    renamed = tmp_path / "renamed.yaml"
    renamed.write_text(SPEC.read_text().replace("/images/variations:", "/pictures/variations:"))
    result = sdkgen("generate", str(renamed), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "1 removed)" in result.stdout
    pkg = out / "openai"
    assert not (pkg / "resources" / "images.py").exists()
    assert (pkg / "resources" / "pictures.py").exists()
    assert (out / "NOTES.md").read_text() == "mine\n"


def test_jobs_from_pyproject(tmp_path: Path) -> None:
    shutil.copy(SPEC, tmp_path / "api.yaml")
    (tmp_path / "pyproject.toml").write_text(
        '[[tool.sdkgen.jobs]]\nspec = "api.yaml"\ntarget = "python"\nout = "sdk"\npackage-name = "pics"\n'
        'client-name = "Pictures"\n'
    )
    result = sdkgen("generate", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("1 operations, 6 schemas, 0 warnings -> sdk (")
    client = (tmp_path / "sdk" / "pics" / "_client.py").read_text()
    assert "class Pictures(SyncAPIClient)" in client and 'ENV_API_KEY = "PICTURES_API_KEY"' in client
    assert sdkgen("check", cwd=tmp_path).returncode == 0


def test_validate_prints_diagnostics(tmp_path: Path) -> None:
    spec = tmp_path / "s.yaml"
    spec.write_text(SPEC.read_text().replace("        - created\n", "        - created\n        - created\n"))
    result = sdkgen("validate", str(spec))
    assert result.returncode == 0
    assert re.search(r"s\.yaml:\d+:\d+: warning: .*created", result.stdout), result.stdout
    strict = sdkgen("validate", str(spec), "--strict")
    assert strict.returncode == 1 and ": error: " in strict.stdout


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "openapi: 3.1.0\ninfo: [unclosed\n",
            "s.yaml:3:1: error: YAML syntax error: did not find expected ',' or"
            " ']' (while parsing a flow sequence that starts at line 2, column 7)",
        ),
        ("", "empty"),
        ("swagger: '1.2'\ninfo: {title: x, version: '1'}\npaths: {}\n", "Swagger 1.2"),
    ],
)
def test_bad_specs_fail_cleanly_and_touch_nothing(tmp_path: Path, text: str, expected: str) -> None:
    out = tmp_path / "sdk"
    assert sdkgen("generate", str(SPEC), "--out", str(out)).returncode == 0
    before = snapshot(out)
    spec = tmp_path / "s.yaml"
    spec.write_text(text)
    result = sdkgen("generate", str(spec), "--out", str(out))
    assert result.returncode == 1
    assert expected in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert snapshot(out) == before


def test_missing_out_and_unknown_target_are_usage_errors() -> None:
    result = sdkgen("generate", str(SPEC))
    assert result.returncode == 2 and "--out DIR is required" in result.stderr
    result = sdkgen("generate", str(SPEC), "--out", "x", "--target", "cobol")
    assert result.returncode == 2 and "invalid choice" in result.stderr


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('query-arrays = "bracket"', "'query-arrays' must be one of 'repeat', 'brackets', 'comma' (got 'bracket')"),
        ('query-objects = "deep"', "'query-objects' must be one of 'deepObject', 'form' (got 'deep')"),
        ("query-arrays = 1", "'query-arrays' must be a str"),
    ],
)
def test_a_bad_query_format_is_a_config_error(tmp_path: Path, line: str, expected: str) -> None:
    shutil.copy(SPEC, tmp_path / "api.yaml")
    (tmp_path / "pyproject.toml").write_text(
        f'[[tool.sdkgen.jobs]]\nspec = "api.yaml"\ntarget = "perl"\nout = "sdk"\n{line}\n'
    )
    result = sdkgen("generate", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert f"tool.sdkgen.jobs[0]: {expected}" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "sdk").exists()


def test_query_formats_from_pyproject_and_the_command_line(tmp_path: Path) -> None:
    shutil.copy(SPEC, tmp_path / "api.yaml")
    (tmp_path / "pyproject.toml").write_text(
        '[[tool.sdkgen.jobs]]\nspec = "api.yaml"\ntarget = "perl"\nout = "sdk"\n'
        'query-arrays = "comma"\nquery-objects = "form"\n'
    )
    assert sdkgen("generate", cwd=tmp_path).returncode == 0
    (module_path,) = (tmp_path / "sdk" / "lib").rglob("*.pm")
    module = module_path.read_text()
    assert "my $ARRAY_FORMAT = 'comma';" in module and "my $OBJECT_FORMAT = 'form';" in module
    result = sdkgen("generate", "api.yaml", "--target", "typescript", "--out", "ts", "--query-arrays", "brackets",
                    cwd=tmp_path)  # fmt: skip
    assert result.returncode == 0, result.stderr
    core = (tmp_path / "ts" / "src" / "core.ts").read_text()
    assert "const ARRAY_FORMAT: string = 'brackets';" in core and "const OBJECT_FORMAT: string = '';" in core
    result = sdkgen("generate", "api.yaml", "--out", "py", "--query-objects", "form2", cwd=tmp_path)
    assert result.returncode == 2 and "invalid choice: 'form2'" in result.stderr


def test_refuses_to_overwrite_a_file_it_did_not_write(tmp_path: Path) -> None:
    out = tmp_path / "sdk"
    out.mkdir()
    (out / "README.md").write_text("hand-written\n")
    result = sdkgen("generate", str(SPEC), "--out", str(out))
    assert result.returncode == 2 and "did not write it" in result.stderr
    assert (out / "README.md").read_text() == "hand-written\n"
    assert sdkgen("generate", str(SPEC), "--out", str(out), "--force").returncode == 0


def test_console_script_is_the_same_program() -> None:
    exe = shutil.which("sdkgen")
    if exe is None:
        pytest.skip("the sdkgen console script is not installed in this environment")
    result = subprocess.run([exe, "validate", str(SPEC)], capture_output=True, text=True)
    assert result.returncode == 0 and "0 errors, 0 warnings" in result.stderr


def test_custom_templates_overlay_ours_file_by_file(tmp_path: Path) -> None:
    mine = tmp_path / "my-templates"
    mine.mkdir()
    (mine / "README.md.jinja").write_text(
        "# {{ package_name }}, our way\n\nThe {{ client_name }} client reads ${{ env_api_key }}.\n"
    )
    shutil.copy(SPEC, tmp_path / "api.yaml")
    (tmp_path / "pyproject.toml").write_text(
        '[[tool.sdkgen.jobs]]\nspec = "api.yaml"\ntarget = "python"\nout = "sdk"\npackage-name = "pics"\n'
        'templates = "my-templates"\n'
    )
    assert sdkgen("generate", cwd=tmp_path).returncode == 0
    assert (
        tmp_path / "sdk" / "README.md"
    ).read_text() == "# pics, our way\n\nThe OpenAI client reads $OPENAI_API_KEY.\n"
    plain = tmp_path / "plain"
    assert sdkgen("generate", str(SPEC), "--out", str(plain), "--package-name", "pics").returncode == 0
    for path in (plain / "pics").rglob(
        "*.py"
    ):  # every other file is ours, unchanged (but for the spec's name)
        ours = path.read_text().split("\n", 1)[1]
        assert ours == (tmp_path / "sdk" / path.relative_to(plain)).read_text().split("\n", 1)[1]
    assert sdkgen("check", cwd=tmp_path).returncode == 0


def _run_on_terminal(args: list[str], cwd: Path) -> str:
    """Run sdkgen with its output on a pseudo-terminal; what the terminal showed."""
    import pty

    master, slave = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env.update(PYTHONPATH=str(ROOT), TERM="xterm")
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator", *args], cwd=cwd, stderr=slave, stdout=slave, env=env
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=120)
    os.close(master)
    return b"".join(chunks).decode(errors="replace")


def test_colours_only_on_a_terminal(tmp_path: Path) -> None:
    spec = tmp_path / "s.yaml"
    spec.write_text(SPEC.read_text().replace("        - created\n", "        - created\n        - created\n"))
    shown = _run_on_terminal(["validate", str(spec)], tmp_path)
    assert "\x1b[33mwarning\x1b[0m" in shown
    piped = sdkgen("validate", str(spec))
    assert "\x1b[" not in piped.stdout + piped.stderr and ": warning: " in piped.stdout


def test_progress_bar_on_a_terminal_for_large_outputs(tmp_path: Path) -> None:
    ops = "".join(
        f"  /things{i}:\n    get:\n      operationId: getThing{i}\n      tags: [Things]\n"
        f"      responses:\n        '200':\n          description: ok\n          content:\n"
        f"            application/json:\n              schema: {{$ref: '#/components/schemas/Thing{i}'}}\n"
        for i in range(220)
    )
    schemas = "".join(
        f"    Thing{i}:\n      type: object\n      properties: {{id: {{type: string}}}}\n" for i in range(220)
    )
    spec = tmp_path / "big.yaml"
    spec.write_text(
        f"openapi: 3.1.0\ninfo: {{title: Big, version: '1'}}\npaths:\n{ops}components:\n  schemas:\n{schemas}"
    )
    shown = _run_on_terminal(["generate", str(spec), "--out", str(tmp_path / "out")], tmp_path)
    assert "files" in shown and "[" in shown and "#" in shown
    piped = sdkgen("generate", str(spec), "--out", str(tmp_path / "out2"))
    assert piped.returncode == 0 and "\r" not in piped.stderr


@pytest.mark.parametrize("target", ["python", "typescript", "docs", "perl"])
def test_an_absolute_spec_path_gives_the_same_bytes_as_a_relative_one(tmp_path: Path, target: str) -> None:
    """Headers name the spec relative to where the job runs from, never by an absolute path."""
    work = tmp_path / "work"
    (work / "specs").mkdir(parents=True)
    shutil.copy(SPEC, work / "specs" / "api.yaml")
    options = [
        "--target",
        target,
        "--package-name",
        "Openai::Images" if target == "perl" else "openai_images",
    ]
    relative = sdkgen("generate", "specs/api.yaml", "--out", "rel", *options, cwd=work)
    absolute = sdkgen(
        "generate", str(work / "specs" / "api.yaml"), "--out", str(work / "abs"), *options, cwd=work
    )
    assert relative.returncode == 0 and absolute.returncode == 0, relative.stderr + absolute.stderr
    rel, abs_ = snapshot(work / "rel"), snapshot(work / "abs")
    assert rel.keys() == abs_.keys()
    for name in rel:
        text = abs_[name][0].decode("utf-8")
        assert rel[name][0] == abs_[name][0], name
        assert str(tmp_path) not in text, name
    assert any("specs/api.yaml" in content.decode() for content, _ in rel.values())
