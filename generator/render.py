"""Render a file plan with the target's Jinja templates (optionally overlaid by the user's)."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from .forking import may_fork
from .targets.base import PlannedFile
from .validate import cache_dir

__all__ = ["compile_beside", "environment", "forget", "render", "render_file", "templates_root"]


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


def compile_beside(wanted: Sequence[tuple[str, Mapping[str, Any], str]]) -> Callable[[], None]:
    """Compile the templates of these (target, filters, overlay) into Jinja's bytecode cache in a child
    forked now, on the other core, while this process reads the spec; returns a function that reaps it.

    Compiling is most of what a target's templates cost a cold run (the four OpenAI jobs' 50 templates:
    0.15 s), and this process needs them only once the spec is read and planned: it then loads what the
    child wrote (or compiles a template itself, if the child has not got to it: the same bytecode). Nothing
    is forked when the cache already holds this set of templates (a stamp named by their paths, sizes and
    times), without a cache (SDKGEN_NO_CACHE), with SDKGEN_NO_FORK, on one core, or beside other threads.
    """
    if os.environ.get("SDKGEN_NO_CACHE") or not may_fork():
        return _nothing
    stamp = cache_dir() / "jinja" / f"compiled-{_templates_digest(wanted)}"
    if stamp.exists() or _bytecode_cache() is None:  # (the cache's folder cannot be made)
        return _nothing
    try:
        pid = os.fork()
    except OSError:
        return _nothing
    if pid == 0:  # the child: compile, say so, leave without running the parent's exit handlers
        status = 1
        try:
            for target, filters, overlay in wanted:
                # a new environment: one this process made earlier may hold its templates in memory
                env = _environment.__wrapped__(target, overlay, tuple(sorted(filters.items())))
                for name in env.list_templates():
                    try:
                        env.get_template(name)  # compiled and written to the cache
                    except Exception:  # the parent meets the same error, and says it
                        pass
            stamp.touch()
            status = 0
        finally:
            os._exit(status)

    def reap() -> None:
        try:
            os.waitpid(pid, 0)
        except OSError:
            pass

    return reap


def _nothing() -> None:
    return None


def _templates_digest(wanted: Sequence[tuple[str, Mapping[str, Any], str]]) -> str:
    """The templates the targets would read (each folder searched, overlay first), by path, size and time."""
    seen: list[str] = []
    for target, _, overlay in wanted:
        for folder in ([overlay] if overlay else []) + [str(templates_root() / target)]:
            for here, _, names in sorted(os.walk(folder)):
                for name in sorted(names):
                    try:
                        info = os.stat(os.path.join(here, name))
                    except OSError:
                        continue
                    seen.append(f"{here}/{name}:{info.st_size}:{info.st_mtime_ns}")
    return hashlib.sha256("\n".join(seen).encode()).hexdigest()[:24]
