"""Render target file plans and format the texts, sharing the files with a worker on the other core.

The plans of one run (one target's, or the four targets' of one spec: about 7,000 files for the full
OpenAI spec) are cut into chunks of a few files, in order. A worker forked after planning and this process
take the chunks from one queue (a pipe of tickets, filled before the fork), whichever is free first. This
process hands each plan's files to the caller as soon as they are complete (`produce_each`): the caller
writes them while the worker goes on with the next plans, and takes a larger share of them meanwhile. The
fork shares the IR, the plans and the Jinja environments without copying them; the worker puts each chunk's
texts in a temporary file and says where over a pipe, and at its end what it added to the format cache.
Only this process runs black (for what `prelayout` cannot lay out) and writes the cache file.

Whatever happens to the worker, the output is the same: a chunk it took and did not hand back (it failed,
died, or could not be started) is done here, so an error (a broken template of the user's, say) is raised
here as it would be without a worker. No worker is forked for small plans, in a process that runs other
threads (a fork copies only the calling thread, and the locks the others hold), or with SDKGEN_NO_FORK set.
"""

from __future__ import annotations

import gc
import os
import pickle
import select
import signal
import struct
import tempfile
from collections.abc import Callable, Generator, Iterator, Sequence
from typing import IO

import jinja2

from .forking import may_fork
from .format import Formatter, Learnt
from .render import forget
from .targets.base import PlannedFile

__all__ = ["PARALLEL_FILES", "produce", "produce_all", "produce_each"]

#: plans with fewer files are done in this process alone (a fork and a hand-back cost about 20 ms)
PARALLEL_FILES = 200
#: files a chunk: few enough that neither process waits long for the other's last one
CHUNK = 8
_MAX_CHUNKS = 8000  # their tickets (4 bytes each) fit in a pipe's buffer, written before the fork
_TICKET = struct.Struct("<I")
_NOTICE = struct.Struct("<IQQ")  # a chunk done by the worker: its number, where its texts are, how long
_LEARNT = 0xFFFFFFFF  # the worker's last notice: what its formatter learnt

_Progress = Callable[[int, int], None]
_Item = tuple[str, PlannedFile, jinja2.Template]  # (the formatter's key, the file, its template)
_Chunk = tuple[int, int, int]  # (its plan, its first item, the item after its last)
_Texts = tuple[dict[str, str], dict[str, str]]  # a chunk's texts, and those of its files left for black


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
    """`produce` for several plans at once (see `produce_each`), all of them."""
    return list(produce_each(batches, cache=cache, progress=progress))


def produce_each(
    batches: Sequence[tuple[list[PlannedFile], jinja2.Environment]],
    *,
    cache: bool = True,
    progress: _Progress | None = None,
) -> Generator[dict[str, str], None, None]:
    """`produce` for several plans (several targets' files): their files shared over both cores together,
    so that a small plan is not done on one core and no plan waits for a worker of its own. Yields one
    {relative path: formatted text} per plan, in order, each as soon as it is complete; the worker goes on
    with the next plans while the caller uses it. Close the iterator to stop early (the worker stops too)."""
    # files are known to the formatter by a key unique over the plans: the path, behind the plan's number
    # when there are several (two targets may write the same path, with other texts)
    several = len(batches) > 1
    # each template looked up once (and compiled before a fork, once for both processes)
    templates = [
        {name: env.get_template(name) for name in sorted({p.template for p in plan})} for plan, env in batches
    ]
    ordered: list[_Item] = [
        (f"{i}/{p.path}" if several else p.path, p, templates[i][p.template])
        for i, (plan, _) in enumerate(batches)
        for p in sorted(plan, key=_path)
    ]
    size = max(CHUNK, -(-len(ordered) // max(1, _MAX_CHUNKS - len(batches))))
    chunks: list[_Chunk] = []
    last: list[int] = []  # each plan's chunks end before this one
    start = 0
    for i, (plan, _) in enumerate(batches):
        chunks += [(i, s, min(s + size, start + len(plan))) for s in range(start, start + len(plan), size)]
        last.append(len(chunks))
        start += len(plan)
    formatter = Formatter(cache)
    out: dict[str, str] = {}
    done = [False] * len(chunks)
    counter = _Counter(len(ordered), progress)
    share: _Share | None = None
    if len(ordered) >= PARALLEL_FILES and may_fork():
        formatter.warm()  # read the cache file once, before the fork, for both
        share = _Share.start(len(chunks), lambda take, send: _serve(ordered, chunks, formatter, take, send))

    def do(c: int) -> None:
        _, first, end = chunks[c]
        for item in ordered[first:end]:
            _one(item, formatter, out)
        done[c] = True
        counter.add(end - first)

    def receive(block: bool) -> None:
        assert share is not None
        for c, (texts, todo) in share.receive(block):
            if c < len(chunks) and not done[c]:
                out.update(texts)
                formatter.todo.update(todo)
                done[c] = True
                counter.add(chunks[c][2] - chunks[c][1])

    def complete(batch: int) -> dict[str, str]:
        """The plan's files, once every chunk of it is done: here, or by the worker while it lives."""
        for c in range(last[batch - 1] if batch else 0, last[batch]):
            while not done[c] and share is not None and share.alive:
                receive(block=True)
            if not done[c]:
                do(c)
        formatter.settle(out)
        plan = batches[batch][0]
        return {p.path: out[f"{batch}/{p.path}" if several else p.path] for p in sorted(plan, key=_path)}

    try:
        upcoming = 0  # the next plan to hand over
        tickets = share.tickets() if share is not None else iter(range(len(chunks)))
        for c in tickets:
            while upcoming < chunks[c][0]:  # every chunk of that plan is taken: it is (nearly) done
                yield complete(upcoming)
                upcoming += 1
            if not done[c]:
                do(c)
            if share is not None and share.alive:
                receive(block=False)
        while upcoming < len(batches):  # no chunk left to take (or tickets lost: done here)
            yield complete(upcoming)
            upcoming += 1
        if share is not None:
            learnt = share.finish()
            if learnt is not None:
                formatter.absorb(learnt)
        formatter.save()
    finally:
        if share is not None:
            share.close()
        for _, env in batches:
            forget(env)  # what templates' `once` kept of this run's objects


def _path(p: PlannedFile) -> str:
    return p.path


def _one(item: _Item, formatter: Formatter, out: dict[str, str]) -> None:
    key, planned, template = item
    formatted = formatter.format(key, template.render(**planned.values()))
    if formatted is not None:  # else it waits for black, in `settle`
        out[key] = formatted


def _serve(
    ordered: list[_Item],
    chunks: list[_Chunk],
    formatter: Formatter,
    take: Callable[[], int | None],
    send: Callable[[int, object], None],
) -> None:
    """The worker's part: chunks while there are tickets, each handed back; then what its formatter learnt."""
    while (c := take()) is not None:
        _, first, end = chunks[c]
        texts: dict[str, str] = {}
        for item in ordered[first:end]:
            _one(item, formatter, texts)
        todo, formatter.todo = formatter.todo, {}
        send(c, (texts, todo))
    send(_LEARNT, formatter.handover())


class _Counter:
    """Progress over both processes' files: ours as we go, the worker's as they come back."""

    def __init__(self, total: int, progress: _Progress | None) -> None:
        self.total = total
        self.done = 0
        self.progress = progress

    def add(self, n: int) -> None:
        self.done += n
        if self.progress is not None:
            self.progress(min(self.done, self.total), self.total)


class _Share:
    """A forked worker taking chunks from the same tickets as this process; it writes each chunk's texts
    to a temporary file (so it never waits for this process to read them) and a notice to a pipe."""

    def __init__(self, pid: int, tickets: int, notices: int, spool: IO[bytes]) -> None:
        self.pid = pid
        self.tickets_fd = tickets
        self.notices_fd = notices
        self.spool = spool
        self.alive = True  # until its notices end (it finished, failed or died)
        self.reaped = False
        self.partial = b""
        self.learnt: Learnt | None = None

    @classmethod
    def start(
        cls, count: int, work: Callable[[Callable[[], int | None], Callable[[int, object], None]], None]
    ) -> _Share | None:
        """A worker running `work(take, send)`, with the tickets of chunks 0..count-1 queued; None if it
        cannot be started (everything is then done here)."""
        opened: list[int] = []
        try:
            tickets_r, tickets_w = os.pipe()
            opened += [tickets_r, tickets_w]
            notices_r, notices_w = os.pipe()
            opened += [notices_r, notices_w]
            spool = tempfile.TemporaryFile(prefix="sdkgen-")
        except OSError:
            _close(opened)
            return None
        queued = b"".join(_TICKET.pack(c) for c in range(count))
        try:  # all tickets before the fork, without waiting: a pipe too small for them means no worker
            os.set_blocking(tickets_w, False)
            written = os.write(tickets_w, queued)
        except OSError:
            written = -1
        os.close(tickets_w)
        if written != len(queued):
            _close([tickets_r, notices_r, notices_w])
            spool.close()
            return None
        gc.freeze()  # the child's collector then leaves the shared heap alone (no copy-on-write)
        try:
            pid = os.fork()
        except OSError:
            gc.unfreeze()
            _close([tickets_r, notices_r, notices_w])
            spool.close()
            return None
        if pid == 0:  # the worker
            status = 1
            try:
                os.close(notices_r)
                end = 0

                def send(chunk: int, value: object) -> None:
                    nonlocal end
                    payload = memoryview(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
                    offset = end
                    while payload:
                        n = os.pwrite(spool.fileno(), payload, end)
                        payload, end = payload[n:], end + n
                    os.write(notices_w, _NOTICE.pack(chunk, offset, end - offset))

                work(lambda: _take(tickets_r), send)
                status = 0
            except BaseException:  # the parent does the chunks not handed back, and sees the error
                pass
            finally:
                os._exit(status)
        gc.unfreeze()
        os.close(notices_w)
        return cls(pid, tickets_r, notices_r, spool)

    def tickets(self) -> Iterator[int]:
        """The chunks this process takes, in order, until none is left."""
        while (c := _take(self.tickets_fd)) is not None:
            yield c

    def receive(self, block: bool) -> list[tuple[int, _Texts]]:
        """The chunks the worker handed back since the last call (with `block`, waiting for its next
        notice); none once it has ended. A notice that cannot be read ends it: its chunks are done here."""
        if not self.alive or (not block and not select.select([self.notices_fd], [], [], 0)[0]):
            return []
        try:
            data = os.read(self.notices_fd, 1 << 16)
        except OSError:
            data = b""
        if not data:  # it has ended
            self._end(kill=False)
            return []
        data, cut = self.partial + data, len(self.partial + data) // _NOTICE.size * _NOTICE.size
        data, self.partial = data[:cut], data[cut:]
        found: list[tuple[int, _Texts]] = []
        for chunk, offset, length in _NOTICE.iter_unpack(data):
            try:
                payload = os.pread(self.spool.fileno(), length, offset)
                value = pickle.loads(payload) if len(payload) == length else None
            except Exception:  # a truncated hand-back (a full disk, say) is a failed worker
                value = None
            if chunk == _LEARNT and _is_learnt(value):
                self.learnt = value
            elif isinstance(value, tuple) and len(value) == 2:
                found.append((chunk, value))
            else:
                self._end(kill=True)
                break
        return found

    def finish(self) -> Learnt | None:
        """What the worker's formatter learnt, once it has ended (None if it failed first)."""
        while self.alive:
            self.receive(block=True)
        return self.learnt

    def _end(self, *, kill: bool) -> None:
        """Reap the worker (stopped first with `kill`); this process goes on taking tickets alone."""
        if not self.reaped:
            try:
                if kill:
                    os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            except OSError:
                pass
            self.reaped = True
        self.alive = False

    def close(self) -> None:
        self._end(kill=self.alive)  # a worker that has not ended is not wanted any more
        _close([self.tickets_fd, self.notices_fd])
        self.tickets_fd = self.notices_fd = -1
        self.spool.close()


def _take(fd: int) -> int | None:
    """The next ticket from the queue (a read of a few bytes from a pipe is whole); None when it is empty."""
    if fd < 0:
        return None
    try:
        data = os.read(fd, _TICKET.size)
    except OSError:
        return None
    return _TICKET.unpack(data)[0] if len(data) == _TICKET.size else None


def _is_learnt(value: object) -> bool:
    return isinstance(value, tuple) and len(value) == 3


def _close(fds: list[int]) -> None:
    for fd in fds:
        if fd >= 0:
            try:
                os.close(fd)
            except OSError:
                pass
