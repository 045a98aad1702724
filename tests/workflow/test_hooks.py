"""Regenerate-on-change workflows, run for real: git, pre-commit, and `python -m build` with our hatch hook.

These install sdkgen from this checkout's HEAD commit (pre-commit) or its working tree (build), as a user's
machine would, so they exercise the wheel's templates, not the source tree's.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "specs" / "images-variations.yaml"
PYPROJECT = """\
[project]
name = "pics"
version = "1.0.0"

[[tool.sdkgen.jobs]]
spec = "api.yaml"
target = "python"
out = "sdk"
package-name = "pics"
"""


def run(
    *args: str, cwd: Path, check: bool = True, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(args, cwd=cwd, capture_output=True, text=True, env=env, timeout=900)
    if check and result.returncode != 0:
        raise AssertionError(
            f"{' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
        )
    return result


def sdkgen(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run(
        sys.executable,
        "-m",
        "generator",
        *args,
        cwd=cwd,
        check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    repo = tmp_path / "project"
    repo.mkdir()
    shutil.copy(SPEC, repo / "api.yaml")
    (repo / "pyproject.toml").write_text(PYPROJECT)
    run("git", "init", "-q", "-b", "main", cwd=repo)
    run("git", "config", "user.email", "dev@example.com", cwd=repo)
    run("git", "config", "user.name", "Dev", cwd=repo)
    return repo


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_check_generate_cycle_in_a_repository(project: Path) -> None:
    assert sdkgen("generate", cwd=project).returncode == 0
    assert sdkgen("check", cwd=project).returncode == 0
    (project / "sdk" / "NOTES.md").write_text("mine\n")

    spec = project / "api.yaml"
    spec.write_text(spec.read_text().replace("Must be between 1 and 10.", "Between one and ten."))
    before = _tree(project / "sdk")
    stale = sdkgen("check", cwd=project)
    assert stale.returncode == 1
    assert "+          n: The number of images to generate. Between one and ten." in stale.stdout
    assert _tree(project / "sdk") == before  # check writes nothing

    assert sdkgen("generate", cwd=project).returncode == 0
    assert sdkgen("check", cwd=project).returncode == 0
    assert (project / "sdk" / "NOTES.md").read_text() == "mine\n"
    again = sdkgen("generate", cwd=project)
    assert "(0 written," in again.stdout and " 0 removed)" in again.stdout


def _head() -> str:
    status = run("git", "status", "--porcelain", "--untracked-files=no", cwd=ROOT).stdout
    if status.strip() and not os.environ.get("CI"):
        pytest.skip("pre-commit installs sdkgen from HEAD: commit your changes to run this test")
    return run("git", "rev-parse", "HEAD", cwd=ROOT).stdout.strip()


def test_pre_commit_refuses_a_spec_change_without_regenerated_output(project: Path, tmp_path: Path) -> None:
    if shutil.which("pre-commit") is None and shutil.which("git") is None:
        pytest.skip("pre-commit is not installed")
    rev = _head()
    (project / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {ROOT}\n    rev: {rev}\n    hooks:\n      - id: sdkgen-check\n"
    )
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    assert sdkgen("generate", cwd=project).returncode == 0
    run(sys.executable, "-m", "pre_commit", "install", cwd=project, env=env)
    run("git", "add", "-A", cwd=project)
    run("git", "commit", "-qm", "first", cwd=project, env=env)

    spec = project / "api.yaml"
    spec.write_text(spec.read_text().replace("Must be between 1 and 10.", "Between one and ten."))
    run("git", "add", "api.yaml", cwd=project)
    refused = run("git", "commit", "-qm", "spec only", cwd=project, check=False, env=env)
    assert refused.returncode != 0, refused.stdout + refused.stderr
    assert "sdkgen check" in refused.stdout + refused.stderr

    assert sdkgen("generate", cwd=project).returncode == 0
    run("git", "add", "-A", cwd=project)
    run("git", "commit", "-qm", "spec and output", cwd=project, env=env)


def test_pre_commit_generate_hook_regenerates_and_fails_once(project: Path, tmp_path: Path) -> None:
    rev = _head()
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    assert sdkgen("generate", cwd=project).returncode == 0
    spec = project / "api.yaml"
    spec.write_text(spec.read_text().replace("Must be between 1 and 10.", "Between one and ten."))
    run("git", "add", "-A", cwd=project)

    def try_generate_hook() -> subprocess.CompletedProcess[str]:
        return run(
            sys.executable,
            "-m",
            "pre_commit",
            "try-repo",
            str(ROOT),
            "sdkgen-generate",
            "--ref",
            rev,
            "--all-files",
            cwd=project,
            check=False,
            env=env,
        )

    first = try_generate_hook()
    assert first.returncode != 0 and "files were modified by this hook" in first.stdout, first.stdout
    assert "Between one and ten." in (project / "sdk" / "pics" / "resources" / "images.py").read_text()
    run("git", "add", "-A", cwd=project)
    second = try_generate_hook()
    assert second.returncode == 0, second.stdout


BUILD_PYPROJECT = """\
[build-system]
requires = ["hatchling", "sdkgen @ {root_uri}"]
build-backend = "hatchling.build"

[project]
name = "pics"
version = "1.0.0"

[tool.hatch.build.targets.wheel]
packages = ["sdk/pics"]

[tool.hatch.build.hooks.sdkgen]

[[tool.sdkgen.jobs]]
spec = "api.yaml"
target = "python"
out = "sdk"
package-name = "pics"
"""


def test_build_hook_generates_into_the_wheel(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "pyproject.toml").write_text(BUILD_PYPROJECT.format(root_uri=ROOT.as_uri()))
    (package / ".gitignore").write_text("sdk/\n")
    spec = package / "api.yaml"
    spec.write_text(SPEC.read_text().replace("Must be between 1 and 10.", "Built from the spec."))
    dist = tmp_path / "dist"
    run(sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(package), cwd=tmp_path)
    (wheel,) = dist.glob("*.whl")
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        assert "pics/resources/images.py" in names and "pics/_client.py" in names
        assert "Built from the spec." in z.read("pics/resources/images.py").decode()

    # change the spec, don't regenerate by hand, build again: the wheel has the change
    spec.write_text(spec.read_text().replace("Built from the spec.", "Changed, then built."))
    shutil.rmtree(dist)
    run(sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(package), cwd=tmp_path)
    (wheel,) = dist.glob("*.whl")
    with zipfile.ZipFile(wheel) as z:
        assert "Changed, then built." in z.read("pics/resources/images.py").decode()

    # a broken spec is a clear build error
    spec.write_text("openapi: 3.1.0\ninfo: [unclosed\n")
    broken = run(
        sys.executable,
        "-m",
        "build",
        "--wheel",
        "--outdir",
        str(dist),
        str(package),
        cwd=tmp_path,
        check=False,
    )
    assert broken.returncode != 0
    assert "api.yaml:3:1: error: YAML syntax error" in broken.stdout + broken.stderr
    assert "sdkgen: the spec has errors" in broken.stdout + broken.stderr


REVISED_PROMPT = """\
        revised_prompt:
          type: string
          description: For `dall-e-3` only, the revised prompt that was used to generate the image.
"""


def test_pre_commit_breaking_hook_refuses_a_removed_field(project: Path, tmp_path: Path) -> None:
    rev = _head()
    (project / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {ROOT}\n    rev: {rev}\n    hooks:\n      - id: sdkgen-breaking\n"
    )
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    run(sys.executable, "-m", "pre_commit", "install", cwd=project, env=env)
    run("git", "add", "-A", cwd=project)
    run("git", "commit", "-qm", "first", cwd=project, env=env)

    spec = project / "api.yaml"
    original = spec.read_text()
    assert REVISED_PROMPT in original
    spec.write_text(original.replace(REVISED_PROMPT, ""))
    run("git", "add", "api.yaml", cwd=project)
    refused = run("git", "commit", "-qm", "remove a field", cwd=project, check=False, env=env)
    out = refused.stdout + refused.stderr
    assert refused.returncode != 0, out
    assert "BREAKING   field Image.revised_prompt removed  HEAD:api.yaml:" in out, out

    added = REVISED_PROMPT + REVISED_PROMPT.replace("revised_prompt", "seed").replace("string", "integer")
    spec.write_text(original.replace(REVISED_PROMPT, added))
    run("git", "add", "api.yaml", cwd=project)
    run("git", "commit", "-qm", "add a field", cwd=project, env=env)
    log = run("git", "log", "--oneline", cwd=project).stdout
    assert "add a field" in log and "remove a field" not in log
