"""generator/render.py: `once` in templates lays out a macro's text once for the same arguments."""

from __future__ import annotations

from pathlib import Path

from generator.produce import produce
from generator.render import environment
from generator.targets.base import PlannedFile


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
