"""The pure heart: `generate(job) -> Generated`, touching no disk beyond reading the spec.

Writing, `check`, hooks and the golden tests are thin wrappers around it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, replace

from .diagnostics import Diagnostic, SpecError
from .format import format_files
from .ir import Api, build
from .load import MAX_BYTES, load
from .render import environment, render
from .swagger2 import upgrade
from .targets.base import Job
from .targets.docs import DocsTarget
from .targets.perl import PerlTarget
from .targets.python import PythonTarget
from .targets.typescript import TypeScriptTarget
from .validate import validate

__all__ = ["TARGETS", "Generated", "generate"]

TARGETS = {"python": PythonTarget, "docs": DocsTarget, "perl": PerlTarget, "typescript": TypeScriptTarget}


@dataclass(frozen=True)
class Generated:
    files: dict[str, str]
    diagnostics: tuple[Diagnostic, ...]
    api: Api

    @property
    def warnings(self) -> int:
        return sum(1 for d in self.diagnostics if d.severity == "warning")


_Key = tuple[str, bool, int, int]
_READ: dict[_Key, tuple[Api, list[Diagnostic], list[Diagnostic]]] = {}


def _read(path: str, strict: bool, max_bytes: int = 0) -> tuple[Api, list[Diagnostic], list[Diagnostic]]:
    """Load, validate and build a spec; remembered for the other jobs of this process that read it."""
    try:
        stat = os.stat(path)
        key: _Key | None = (os.path.abspath(path), strict, stat.st_mtime_ns, stat.st_size)
    except OSError:
        key = None
    if key is not None and key in _READ:
        return _READ[key]
    doc = upgrade(load(path, max_bytes=max_bytes or MAX_BYTES))  # Swagger 2.0 read as OpenAPI 3
    diagnostics = validate(doc, strict=strict)
    if any(d.severity == "error" for d in diagnostics):
        raise SpecError(diagnostics)
    api, warnings = build(doc)
    if key is not None:
        _READ.clear()  # one spec at a time is enough to share it among jobs
        _READ[key] = (api, diagnostics, warnings)
    return api, diagnostics, warnings


def generate(job: Job, *, progress: Callable[[int, int], None] | None = None) -> Generated:
    """Every file of `job`'s output, by relative path. Raises SpecError when the spec is unusable."""
    api, diagnostics, warnings = _read(job.resolve(job.spec), job.strict, job.max_bytes)
    api = replace(api, spec_path=job.spec)  # headers name the spec as the job spells it
    if job.strict and warnings:
        raise SpecError(
            diagnostics + [Diagnostic("error", w.message, w.pointer, w.location) for w in warnings]
        )
    target = TARGETS[job.target](api, job)
    env = environment(target.name, target.filters, job.resolve(job.templates))
    files = format_files(render(target.plan(), env), progress=progress)
    return Generated(files=files, diagnostics=tuple(diagnostics + warnings), api=api)
