"""generator/render.py: `once` in templates lays out a macro's text once for the same arguments."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.pipeline import generate
from generator.produce import produce
from generator.render import environment
from generator.targets.base import Job, PlannedFile
from generator.targets.typescript import TypeScriptTarget
from tests.conftest import ROOT


def test_once_reuses_a_macros_text_for_the_same_objects_until_forgotten(tmp_path: Path) -> None:
    (tmp_path / "parts.jinja").write_text(
        "{% macro card(thing, tag) %}[{{ thing.name | counted }}:{{ tag }}]{% endmacro %}\n"
    )
    (tmp_path / "page.txt.jinja").write_text(
        '{% from "parts.jinja" import card %}'
        "{% for t in things %}{{ once(card, t, 'x') }}{{ once(card, t, 'y') }}{% endfor %}\n"
    )
    calls: list[str] = []

    def counted(text: str) -> str:
        calls.append(text)
        return text

    env = environment("python", {"counted": counted}, str(tmp_path))
    a, b = {"name": "a"}, {"name": "b"}
    twin = {"name": "a"}  # equal to `a`, another object: laid out on its own
    plan = [PlannedFile(f"p{i}.txt", "page.txt.jinja", {"things": [a, b, twin]}) for i in range(3)]
    files = produce(plan, env, cache=False)
    assert set(files.values()) == {"[a:x][a:y][b:x][b:y][a:x][a:y]"}  # (the newline after a block tag is dropped)
    assert sorted(calls) == ["a", "a", "a", "a", "b", "b"]  # each (object, tag) once over three files
    calls.clear()
    produce(plan, env, cache=False)  # a new run: what the last one kept is forgotten
    assert len(calls) == 6


@pytest.mark.usefixtures("main_thread_only")
def test_templates_compile_beside_the_read_once_per_set_of_templates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cold run's templates are compiled by a child into Jinja's bytecode cache while the spec is read:
    every template of the job's target is there after the run, with the stamp that spares the next run the
    child; the output is the same bytes as without a cache at all."""
    monkeypatch.setenv("SDKGEN_CACHE_DIR", str(tmp_path / "cache"))
    job = Job(spec=str(ROOT / "specs" / "images-variations.yaml"), target="typescript", out="out")
    first = generate(job).files
    folder = tmp_path / "cache" / "jinja"
    stamps = sorted(p.name for p in folder.glob("compiled-*"))
    templates = environment("typescript", TypeScriptTarget.filters).list_templates()
    assert len(stamps) == 1 and len(list(folder.glob("__jinja2_*.cache"))) == len(templates)
    (folder / stamps[0]).unlink()
    for cached in folder.glob("__jinja2_*.cache"):
        cached.unlink()
    (folder / stamps[0]).touch()  # the stamp says compiled: no child, each template compiled when used
    assert generate(job).files == first
    assert len(list(folder.glob("__jinja2_*.cache"))) < len(templates)
    monkeypatch.setenv("SDKGEN_NO_CACHE", "1")
    assert generate(job).files == first
