"""Every target in one run: a pyproject's jobs over one spec read, check and build it once, and write what
four separate runs write, byte for byte (also when their files are shared with a forked worker)."""

from __future__ import annotations

import tomllib
from dataclasses import replace
from pathlib import Path

import pytest

from generator import cli, pipeline, produce
from generator.targets.base import Job

pytestmark = pytest.mark.usefixtures("main_thread_only")  # the worker is forked

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "specs" / "images-variations.yaml"
EXAMPLE = ROOT / "examples" / "openai" / "pyproject.toml"

JOBS = {
    "python": 'package-name = "openai_images"',
    "typescript": 'package-name = "openai-images"',
    "docs": 'package-name = "openai_images"\noptions = { perl-package = "OpenAI::Images" }',
    "perl": 'package-name = "OpenAI::Images"',
}
NAMES = '[tool.sdkgen.jobs.names]\ncreateImageVariation = "pictures.vary"\n'


def pyproject(folder: Path, targets: list[str]) -> Path:
    folder.mkdir(parents=True)
    text = "".join(
        f'[[tool.sdkgen.jobs]]\nspec = "{SPEC.as_posix()}"\ntarget = "{t}"\nout = "out/{t}"\n{JOBS[t]}\n'
        f"{NAMES}\n"
        for t in targets
    )
    path = folder / "pyproject.toml"
    path.write_text(text, encoding="utf-8")
    return path


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Calls of the pipeline's load and build, from a cold start (nothing remembered)."""
    calls = {"load": 0, "build": 0}
    real_load, real_build = pipeline.load, pipeline.build

    def load(*args: object, **kwargs: object) -> object:
        calls["load"] += 1
        return real_load(*args, **kwargs)  # type: ignore[arg-type]

    def build(*args: object, **kwargs: object) -> object:
        calls["build"] += 1
        return real_build(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "load", load)
    monkeypatch.setattr(pipeline, "build", build)
    monkeypatch.setattr(pipeline, "_READ", {})
    return calls


@pytest.mark.parametrize("fork", [False, True], ids=["one process", "shared with a worker"])
def test_four_jobs_read_once_and_write_what_four_runs_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, counted: dict[str, int], fork: bool
) -> None:
    monkeypatch.setenv("SDKGEN_CACHE_DIR", str(tmp_path / "cache"))
    targets = list(JOBS)
    separate: dict[str, bytes] = {}
    for t in targets:  # four runs, each its own process as far as the pipeline knows
        pipeline._READ.clear()
        config = pyproject(tmp_path / f"alone-{t}", [t])
        assert cli.main(["generate", "-q", "--config", str(config)]) == 0
        separate.update({f"{t}/{k}": v for k, v in tree(config.parent / "out" / t).items()})
    assert counted == {"load": 4, "build": 4}

    pipeline._READ.clear()
    counted.update(load=0, build=0)
    forks = []
    if fork:  # a plan this small is otherwise done in this process alone
        monkeypatch.setattr(produce, "PARALLEL_FILES", 1)
        start = produce._Share.start
        monkeypatch.setattr(produce._Share, "start", lambda *a, **k: forks.append(1) or start(*a, **k))
    config = pyproject(tmp_path / "together", targets)
    assert cli.main(["generate", "-q", "--config", str(config)]) == 0
    assert counted == {"load": 1, "build": 1}
    assert len(forks) == fork  # one worker for the four jobs' files
    together = tree(config.parent / "out")
    assert together.keys() == separate.keys()
    assert together == separate
    assert any(b"pictures" in v for k, v in together.items() if k.startswith("python/"))  # the names table


def test_another_names_table_is_another_read(counted: dict[str, int]) -> None:
    job = Job(spec=str(SPEC), target="python", out="out")
    first = pipeline.generate(job)
    again = pipeline.generate(job)
    renamed = pipeline.generate(replace(job, names={"createImageVariation": "pictures.vary"}))
    assert counted == {"load": 2, "build": 2}
    assert first.files == again.files != renamed.files


def test_the_example_gives_every_job_the_same_names_table() -> None:
    jobs = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))["tool"]["sdkgen"]["jobs"]
    assert sorted(j["target"] for j in jobs) == ["docs", "perl", "python", "typescript"]
    assert len({j["spec"] for j in jobs}) == 1
    assert all(j["names"] == jobs[0]["names"] and j["names"] for j in jobs)
