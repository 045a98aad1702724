"""Render a target's file plan and format the texts, sharing the files with a worker on the other core.

A large plan (the full OpenAI spec's Python SDK has about 2,000 files) is split in two: a worker forked
after the plan is made renders and formats every other file, by path, while this process does the rest.
The fork shares the IR, the plan and the Jinja environment without copying them; the worker sends back its
texts and what it added to the format cache. Only this process runs black (for what `prelayout` cannot lay
out) and writes the cache file.

Whatever happens to the worker, the output is the same: when it cannot be started, fails or dies, this
process renders its share itself, so an error (a broken template of the user's, say) is raised here as it
would be without a worker. No worker is forked for small plans, in a process that runs other threads (a
fork copies only the calling thread, and the locks the others hold), or with SDKGEN_NO_FORK set.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import threading
from collections.abc import Callable, Iterable, Sequence

import jinja2

from .format import Formatter, Learnt
from .render import render_file
from .targets.base import PlannedFile

__all__ = ["PARALLEL_FILES", "produce", "produce_all"]

#: plans with fewer files are done in this process alone (a fork and a hand-back cost about 20 ms)
PARALLEL_FILES = 200

_Progress = Callable[[int, int], None]
_Item = tuple[str, PlannedFile, jinja2.Environment]  # (the formatter's key, the file, its templates)


def produce(
    plan: list[PlannedFile],
    env: jinja2.Environment,
    *,
    cache: bool = True,
    progress: _Progress | None = None,
) -> dict[str, str]:
    """{relative path: formatted text} for every planned file, sorted by path."""
    return produce_all([(plan, env)], cache=cache, progress=progress)[0]


def produce_all(
    batches: Sequence[tuple[list[PlannedFile], jinja2.Environment]],
    *,
    cache: bool = True,
    progress: _Progress | None = None,
) -> list[dict[str, str]]:
    """`produce` for several plans (several targets' files) at once: their files shared over both cores
    together, so that a small plan is not done on one core and each plan does not wait for its own worker.
    Returns one {relative path: formatted text} per plan, in order."""
    # files are known to the formatter by a key unique over the plans: the path, behind the plan's number
    # when there are several (two targets may write the same path, with other texts)
    several = len(batches) > 1
    ordered: list[_Item] = [
        (f"{i}/{p.path}" if several else p.path, p, env)
        for i, (plan, env) in enumerate(batches)
        for p in sorted(plan, key=lambda p: p.path)
    ]
    formatter = Formatter(cache)
    out: dict[str, str] = {}
    counter = _Counter(len(ordered), progress)
    worker: _Worker | None = None
    mine, theirs = ordered, []
    texts: tuple[dict[str, str], Learnt] | None = None
    if len(ordered) >= PARALLEL_FILES and _may_fork():
        formatter.warm()  # read the cache file once, before the fork, for both
        for plan, env in batches:  # and compile the templates once
            for name in sorted({p.template for p in plan}):
                env.get_template(name)
        mine, theirs = ordered[0::2], ordered[1::2]
        worker = _Worker.start(lambda tick: _share(theirs, formatter, tick), ticks=progress is not None)
        if worker is None:
            mine, theirs = ordered, []
    try:
        for item in mine:
            _one(item, formatter, out)
            counter.add(1, worker)
        texts = worker.result() if worker is not None else None
    finally:
        if worker is not None:
            worker.close()
    if texts is not None:
        shared, learnt = texts
        out.update(shared)
        formatter.absorb(learnt)
        counter.set(len(ordered))
    elif theirs:  # the worker failed: its share is done here (an error is raised here, as without it)
        counter.set(len(mine))
        for item in theirs:
            _one(item, formatter, out)
            counter.add(1, None)
    formatter.finish(out)
    results: list[dict[str, str]] = [{} for _ in batches]
    for i, (plan, _) in enumerate(batches):
        for p in sorted(plan, key=lambda p: p.path):
            results[i][p.path] = out[f"{i}/{p.path}" if several else p.path]
    return results


def _one(item: _Item, formatter: Formatter, out: dict[str, str]) -> None:
    key, planned, env = item
    formatted = formatter.format(key, render_file(planned, env))
    if formatted is not None:  # else it waits for black, in `finish`
        out[key] = formatted


def _share(
    items: Iterable[_Item], formatter: Formatter, tick: Callable[[], None]
) -> tuple[dict[str, str], Learnt]:
    """The worker's part: its files, and what its copy of the formatter learnt."""
    out: dict[str, str] = {}
    for item in items:
        _one(item, formatter, out)
        tick()
    return out, formatter.handover()


def _may_fork() -> bool:
    return (
        hasattr(os, "fork")
        and not os.environ.get("SDKGEN_NO_FORK")
        and (os.cpu_count() or 1) > 1
        and threading.active_count() == 1
    )


class _Counter:
    """Progress over both processes' files: ours as we go, the worker's from its ticks."""

    def __init__(self, total: int, progress: _Progress | None) -> None:
        self.total = total
        self.done = 0
        self.progress = progress

    def add(self, n: int, worker: _Worker | None) -> None:
        if self.progress is None:
            return
        self.done += n + (worker.ticks() if worker is not None else 0)
        self.progress(min(self.done, self.total), self.total)

    def set(self, done: int) -> None:
        if self.progress is not None:
            self.done = done
            self.progress(done, self.total)


class _Worker:
    """A forked child running one function; its pickled result comes back through a pipe."""

    def __init__(self, pid: int, results: int, ticks: int | None) -> None:
        self.pid = pid
        self.results = results
        self.tick_fd = ticks
        self.reaped = False

    @classmethod
    def start(cls, work: Callable[[Callable[[], None]], object], *, ticks: bool) -> _Worker | None:
        try:
            results_r, results_w = os.pipe()
            ticks_r, ticks_w = os.pipe() if ticks else (-1, -1)
        except OSError:
            return None
        gc.freeze()  # the child's collector then leaves the shared heap alone (no copy-on-write)
        try:
            pid = os.fork()
        except OSError:
            gc.unfreeze()
            for fd in (results_r, results_w, ticks_r, ticks_w):
                if fd >= 0:
                    os.close(fd)
            return None
        if pid == 0:  # the worker
            status = 1
            try:
                os.close(results_r)
                if ticks_r >= 0:
                    os.close(ticks_r)

                def tick() -> None:
                    if ticks_w >= 0:
                        os.write(ticks_w, b".")

                payload = pickle.dumps(work(tick), protocol=pickle.HIGHEST_PROTOCOL)
                with os.fdopen(results_w, "wb") as pipe:
                    pipe.write(payload)
                status = 0
            except BaseException:  # the parent redoes the work and sees the error
                pass
            finally:
                os._exit(status)
        gc.unfreeze()
        os.close(results_w)
        if ticks_w >= 0:
            os.close(ticks_w)
            os.set_blocking(ticks_r, False)
        return cls(pid, results_r, ticks_r if ticks_r >= 0 else None)

    def ticks(self) -> int:
        """Files the worker finished since the last call."""
        if self.tick_fd is None:
            return 0
        try:
            return len(os.read(self.tick_fd, 65536))
        except (BlockingIOError, OSError):
            return 0

    def result(self) -> tuple[dict[str, str], Learnt] | None:
        """The worker's texts and cache entries, once it is done; None if it failed."""
        chunks: list[bytes] = []
        try:
            while chunk := os.read(self.results, 1 << 20):
                chunks.append(chunk)
        except OSError:
            return None
        _, status = os.waitpid(self.pid, 0)
        self.reaped = True
        if status != 0 or not chunks:
            return None
        try:
            found = pickle.loads(b"".join(chunks))
        except Exception:  # a truncated hand-back is a failed worker
            return None
        return found if isinstance(found, tuple) and len(found) == 2 else None

    def close(self) -> None:
        if not self.reaped:  # this process failed first: the worker's work is not wanted
            try:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            except OSError:
                pass
            self.reaped = True
        for fd in (self.results, self.tick_fd):
            if fd is not None:
                try:
                    os.close(fd)
                except OSError:
                    pass
