"""Render a file plan with the target's Jinja templates (optionally overlaid by the user's)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from .targets.base import PlannedFile
from .validate import cache_dir

__all__ = ["environment", "forget", "render", "render_file", "templates_root"]


def templates_root() -> Path:
    """Our templates: inside the installed package, or at the top of a source checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "templates", here.parent / "templates"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"sdkgen's templates are missing (looked in {here / 'templates'})")


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates, cached on disk by Jinja (keyed by each template's source): most of a small run."""
    if os.environ.get("SDKGEN_NO_CACHE"):
        return None
    folder = cache_dir() / "jinja"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(folder))


_DICT_ATTRIBUTES = frozenset(dir(dict))


class _Environment(jinja2.Environment):
    """Jinja's environment, quicker at what our templates do most: `x.name` on a dict. Jinja looks for an
    attribute first and then for the key; a dict has no attributes but its methods, so for any other name
    the key is looked up at once (the same value, without raising and catching an AttributeError)."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


class _Once:
    """`once(macro, arg, ...)` in a template: the macro's text for these arguments, made the first time and
    reused after, for a macro imported without context (its text then depends on its arguments alone).

    A target passes the same object (a schema's entry, say) to many files: its text is laid out once.
    Plain values (strings, numbers) are told apart by value, anything else by identity, and kept alive
    here so that no other object takes its identity; `forget` empties the memory at the end of a run."""

    _PLAIN = (str, int, float, bool, type(None))

    def __init__(self) -> None:
        self.texts: dict[tuple[object, ...], tuple[str, object, tuple[object, ...]]] = {}

    def __call__(self, macro: Any, *args: Any) -> str:
        key = (id(macro), *(a if isinstance(a, self._PLAIN) else (type(a), id(a)) for a in args))
        found = self.texts.get(key)
        if found is not None:
            return found[0]
        text = str(macro(*args))
        self.texts[key] = (text, macro, args)
        return text


@lru_cache(maxsize=16)
def _environment(target: str, overlay: str, filters: tuple[tuple[str, Any], ...]) -> jinja2.Environment:
    search = [str(templates_root() / target)]
    if overlay:
        search.insert(0, overlay)
    env = _Environment(
        loader=jinja2.FileSystemLoader(search),
        bytecode_cache=_bytecode_cache(),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        auto_reload=False,  # no template changes during a run: no look at each file's mtime at each import
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    env.filters.update(dict(filters))
    env.globals["once"] = _Once()
    return env


def forget(env: jinja2.Environment) -> None:
    """Drop what the environment's `once` keeps (the objects of a finished run)."""
    once = env.globals.get("once")
    if isinstance(once, _Once):
        once.texts.clear()


def environment(target: str, filters: Mapping[str, Any], overlay: str = "") -> jinja2.Environment:
    """The Jinja environment of a target; `overlay` is a folder whose templates replace ours by name."""
    return _environment(target, overlay, tuple(sorted(filters.items())))


def render_file(planned: PlannedFile, env: jinja2.Environment) -> str:
    """The text of one planned file."""
    return env.get_template(planned.template).render(**planned.values())


def render(plan: list[PlannedFile], env: jinja2.Environment) -> dict[str, str]:
    """{relative path: text} for every planned file, sorted by path (generator/produce.py renders and
    formats file by file; this is the stage on its own)."""
    return {planned.path: render_file(planned, env) for planned in sorted(plan, key=lambda p: p.path)}
