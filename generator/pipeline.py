"""The pure heart: `generate(job) -> Generated`, touching no disk beyond reading the spec.

Writing, `check`, hooks and the golden tests are thin wrappers around it.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable, Generator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import jinja2

from .diagnostics import Diagnostic, SpecError, in_order
from .ir import Api, build
from .load import MAX_BYTES, load
from .produce import produce_each
from .render import compile_beside, environment
from .swagger2 import upgrade
from .targets.base import Job, PlannedFile, shared_target
from .targets.docs import DocsTarget
from .targets.perl import PerlTarget
from .targets.python import PythonTarget
from .targets.site import SiteTarget
from .targets.typescript import TypeScriptTarget
from .validate import validate_deferred

__all__ = ["TARGETS", "Generated", "generate", "generate_all", "generate_each", "same_read", "spec_name"]

TARGETS = {
    "python": PythonTarget,
    "docs": DocsTarget,
    "perl": PerlTarget,
    "typescript": TypeScriptTarget,
    "site": SiteTarget,
}


@dataclass(frozen=True)
class Generated:
    files: dict[str, str]
    diagnostics: tuple[Diagnostic, ...]
    api: Api

    @property
    def warnings(self) -> int:
        return sum(1 for d in self.diagnostics if d.severity == "warning")


_Key = tuple[str, bool, int, int, tuple[tuple[str, str], ...], str]
_Read = tuple[Api, list[Diagnostic], list[Diagnostic], Callable[[], list[Diagnostic]]]
_READ: dict[_Key, _Read] = {}


def _read(
    path: str,
    strict: bool,
    max_bytes: int = 0,
    names: Mapping[str, str] | None = None,
    pagination: Mapping[str, Any] | None = None,
) -> _Read:
    """Load, validate and build a spec; remembered for the other jobs of this process that read it.

    Returns the IR, our checks' diagnostics, the IR builder's warnings, and a function that waits for
    openapi-spec-validator's findings (it runs beside the rest of the work).
    """
    try:
        stat = os.stat(path)
        table = tuple(sorted((names or {}).items()))
        paging = json.dumps(pagination or {}, sort_keys=True)
        key: _Key | None = (os.path.abspath(path), strict, stat.st_mtime_ns, stat.st_size, table, paging)
    except OSError:
        key = None
    if key is not None and key in _READ:
        return _READ[key]
    doc = upgrade(load(path, max_bytes=max_bytes or MAX_BYTES))  # Swagger 2.0 read as OpenAPI 3
    diagnostics, later = validate_deferred(doc, strict=strict)
    if any(d.severity == "error" for d in diagnostics):
        raise SpecError(diagnostics)
    api, warnings = build(doc, names, pagination)
    if key is not None:
        _READ.clear()  # one spec at a time is enough to share it among jobs
        _READ[key] = (api, diagnostics, warnings, later)
    return api, diagnostics, warnings, later


def spec_name(job: Job) -> str:
    """The spec as generated files name it: relative to the job's folder (the config file's, or the current
    one on the command line), in `/` form, so that the same tree gives the same bytes on any machine and
    whether the spec was given by an absolute or a relative path."""
    base = os.path.abspath(job.root or os.curdir)
    try:
        relative = os.path.relpath(os.path.abspath(job.resolve(job.spec)), base)
    except ValueError:  # another drive: no relative path exists
        relative = os.path.basename(job.spec)
    return relative.replace(os.sep, "/")


def generate(job: Job, *, progress: Callable[[int, int], None] | None = None) -> Generated:
    """Every file of `job`'s output, by relative path. Raises SpecError when the spec is unusable."""
    return generate_all([job], progress=progress)[0]


def same_read(a: Job, b: Job) -> bool:
    """Whether two jobs read the same spec the same way (one load, check and IR serves both)."""
    return (os.path.abspath(a.resolve(a.spec)), a.strict, a.max_bytes, a.names, a.pagination) == (
        os.path.abspath(b.resolve(b.spec)),
        b.strict,
        b.max_bytes,
        b.names,
        b.pagination,
    )


def generate_all(
    jobs: Sequence[Job], *, progress: Callable[[int, int], None] | None = None
) -> list[Generated]:
    """`generate` for jobs of one spec (`same_read`), in order: see `generate_each`."""
    return list(generate_each(jobs, progress=progress))


def generate_each(
    jobs: Sequence[Job], *, progress: Callable[[int, int], None] | None = None
) -> Generator[Generated, None, None]:
    """`generate` for jobs of one spec (`same_read`), in order: the spec read once, every job's files
    rendered and formatted together over both cores. Each job's result comes as soon as its files are
    done, while the next jobs' are being made. Raises SpecError when the spec is unusable (before the
    first result). Close the iterator to stop early."""
    # the templates compile on the other core while the spec is read (cold runs: their bytecode cached)
    reap = compile_beside(
        [(job.target, TARGETS[job.target].filters, job.resolve(job.templates)) for job in jobs]
    )
    try:
        yield from _generate_each(jobs, progress)
    finally:
        reap()


def _generate_each(
    jobs: Sequence[Job], progress: Callable[[int, int], None] | None
) -> Generator[Generated, None, None]:
    made: list[tuple[Api, list[Diagnostic], list[Diagnostic], Callable[[], list[Diagnostic]]]] = []
    batches: list[tuple[list[PlannedFile], jinja2.Environment]] = []
    named: dict[tuple[int, str], Api] = {}  # one IR object for the jobs: their targets share views
    for job in jobs:
        api, own, warnings, later = _read(
            job.resolve(job.spec), job.strict, job.max_bytes, job.names, job.pagination
        )
        spec = spec_name(job)  # headers name the spec, never by an absolute path
        api = named.setdefault((id(api), spec), replace(api, spec_path=spec))
        if job.strict and warnings:
            raise SpecError(
                own + later() + [Diagnostic("error", w.message, w.pointer, w.location) for w in warnings]
            )
        cls = TARGETS[job.target]
        # an SDK target's views serve the docs job too (the docs target's own depend on all its options)
        target = cls(api, job) if cls is DocsTarget else shared_target(cls, api, job)
        env = environment(target.name, target.filters, job.resolve(job.templates))
        batches.append((target.plan(), env))
        made.append((api, own, warnings + target.diagnostics(), later))
    with contextlib.closing(produce_each(batches, progress=progress)) as outputs:
        for job, (api, own, warnings, later), files in zip(jobs, made, outputs, strict=True):
            # openapi-spec-validator's findings: ready by now, or soon
            diagnostics = in_order(own + later(), job.resolve(job.spec))
            if any(d.severity == "error" for d in diagnostics):
                raise SpecError(diagnostics)
            yield Generated(files=files, diagnostics=tuple(diagnostics + warnings), api=api)
