"""The `sdkgen` command line: generate, check, validate. Wires the stages together, nothing more."""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import sys
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, TextIO

from .changes.changelog import with_changelog
from .changes.surface import SDK_TARGETS
from .config import QUERY_FORMATS, TARGETS, ConfigError, job_from_mapping, load_jobs
from .diagnostics import Diagnostic, SpecError
from .load import MAX_BYTES, load
from .pipeline import Generated, generate_each, same_read
from .targets.base import Job
from .validate import validate
from .write import OutputError, check, write

__all__ = ["main", "run"]

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sdkgen", description="Generate SDKs and docs from an OpenAPI 3.0/3.1 spec."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def job_args(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "spec", nargs="?", metavar="SPEC", help="the OpenAPI file; omit to run the pyproject jobs"
        )
        p.add_argument(
            "--target", choices=TARGETS, default="python", help="what to generate (default: python)"
        )
        p.add_argument("--out", metavar="DIR", help="output folder (required with SPEC)")
        p.add_argument("--package-name", metavar="NAME", help="import name of the generated package")
        p.add_argument("--client-name", metavar="NAME", help="client class name (default: from info.title)")
        p.add_argument("--package-version", metavar="VERSION", help="version of the generated package")
        p.add_argument(
            "--cli-name", metavar="NAME", help="the generated command line's name (default: client, lower)"
        )
        p.add_argument("--templates", metavar="DIR", help="folder of templates that replace ours by name")
        p.add_argument(
            "--query-arrays",
            choices=QUERY_FORMATS["query-arrays"],
            help="send every array in a query so, whatever the spec's styles say",
        )
        p.add_argument(
            "--query-objects",
            choices=QUERY_FORMATS["query-objects"],
            help="send every object in a query so, whatever the spec's styles say",
        )
        p.add_argument(
            "--docs-base-url",
            metavar="URL",
            help="docs and site: where links the spec writes from its owner's site root (/docs/x) lead",
        )
        p.add_argument(
            "--changelog",
            action="store_true",
            help="keep CHANGELOG.md in the output: an entry prepended each time the SDK changes",
        )
        p.add_argument("--changelog-date", metavar="YYYY-MM-DD", help="the date of a new changelog entry")
        p.add_argument(
            "--name",
            action="append",
            default=[],
            metavar="OPID=RESOURCE.METHOD",
            help="place an operation where the naming rules cannot know (repeatable)",
        )
        p.add_argument("--config", metavar="FILE", default="pyproject.toml", help="where [tool.sdkgen] is")
        p.add_argument("--strict", action="store_true", help="treat warnings as errors")
        p.add_argument(
            "--max-bytes", type=int, default=0, metavar="N", help="largest spec to read (default 64 MiB)"
        )
        p.add_argument("-v", "--verbose", action="store_true", help="list every warning")
        p.add_argument("-q", "--quiet", action="store_true", help="print only errors and stale diffs")

    gen = sub.add_parser("generate", help="write the generated files")
    job_args(gen)
    gen.add_argument("--force", action="store_true", help="overwrite files sdkgen did not write")
    chk = sub.add_parser("check", help="exit 1 with a diff when the output is stale; writes nothing")
    job_args(chk)
    chg = sub.add_parser(
        "changes", help="what a spec change does to each SDK: breaking or compatible, the version bump"
    )
    chg.add_argument("old", nargs="?", metavar="OLD", help="the spec before (omit both: the pyproject jobs)")
    chg.add_argument("new", nargs="?", metavar="NEW", help="the spec after")
    chg.add_argument(
        "--target",
        choices=(*SDK_TARGETS, "all"),
        default="python",
        help="whose SDK's view (default: python); with no specs, the jobs' targets",
    )
    chg.add_argument("--format", choices=("text", "markdown", "json"), default="text", dest="fmt")
    chg.add_argument(
        "--fail-on", choices=("breaking", "never"), default="never", help="exit 1 on a breaking change"
    )
    chg.add_argument(
        "--since", metavar="REV", default="HEAD", help="with no specs: compare with the spec at REV (HEAD)"
    )
    chg.add_argument("--package-version", metavar="VERSION", help="the version to bump (default 0.1.0)")
    chg.add_argument(
        "--name", action="append", default=[], metavar="OPID=RESOURCE.METHOD", help="as for generate"
    )
    chg.add_argument("--config", metavar="FILE", default="pyproject.toml", help="where [tool.sdkgen] is")
    chg.add_argument(
        "--max-bytes", type=int, default=0, metavar="N", help="largest spec to read (default 64 MiB)"
    )
    chg.add_argument("-q", "--quiet", action="store_true", help="print only reports that have changes")
    val = sub.add_parser("validate", help="print the spec's diagnostics")
    val.add_argument("spec", metavar="SPEC")
    val.add_argument("--strict", action="store_true", help="treat warnings as errors")
    val.add_argument(
        "--max-bytes", type=int, default=0, metavar="N", help="largest spec to read (default 64 MiB)"
    )
    return parser


def _jobs(args: argparse.Namespace) -> list[Job]:
    if args.spec is None:
        jobs = load_jobs(args.config)
        overrides: dict[str, Any] = {"strict": True} if args.strict else {}
        if args.max_bytes:
            overrides["max_bytes"] = args.max_bytes
        if args.changelog_date:  # e.g. a release's date, for the entries this run adds
            job_from_mapping(
                {"spec": "-", "target": "python", "out": "-", "changelog-date": args.changelog_date},
                where="--changelog-date",
            )
            overrides["changelog_date"] = args.changelog_date
        return [replace(j, **overrides) for j in jobs] if overrides else jobs
    if not args.out:
        raise ConfigError("--out DIR is required when a SPEC is given")
    raw: dict[str, object] = {
        "spec": args.spec,
        "target": args.target,
        "out": args.out,
        "strict": args.strict,
    }
    keys = (
        "package_name",
        "client_name",
        "package_version",
        "cli_name",
        "templates",
        "query_arrays",
        "query_objects",
        "changelog_date",
    )
    for key in (*keys, "changelog"):
        value = getattr(args, key)
        if value:
            raw[key.replace("_", "-")] = value
    raw["names"] = _names(args.name)
    if args.docs_base_url:
        raw["options"] = {"docs-base-url": args.docs_base_url}
    return [replace(job_from_mapping(raw, where="command line"), max_bytes=args.max_bytes)]


def _names(entries: list[str]) -> dict[str, str]:
    names: dict[str, str] = {}
    for entry in entries:
        op_id, sep, target = entry.partition("=")
        if not sep or not op_id or not target:
            raise ConfigError(f"--name {entry!r}: expected OPERATION_ID=resource.method")
        names[op_id] = target
    return names


def _colour(stream: TextIO) -> bool:
    """Colours only on a terminal, and never with NO_COLOR set (https://no-color.org)."""
    is_tty = getattr(stream, "isatty", lambda: False)()
    return bool(is_tty) and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


_PAINT = {"error": "\033[1;31merror\033[0m", "warning": "\033[33mwarning\033[0m"}


def _print_diagnostics(diagnostics: Sequence[Diagnostic], stream: TextIO) -> None:
    colour = _colour(stream)
    for d in diagnostics:
        line = d.format()
        if colour:
            line = line.replace(f": {d.severity}: ", f": {_PAINT[d.severity]}: ", 1)
        print(line, file=stream)


class _Progress:
    """A one-line progress bar on stderr, for large outputs, only on a terminal."""

    def __init__(self, label: str, enabled: bool) -> None:
        self.label = label
        self.enabled = enabled
        self.shown = False
        self.drawn = -1  # the count last drawn: the bar is redrawn every 25 files

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total < 200 or (done // 25 == self.drawn // 25 and done != total):
            return
        self.drawn = done
        width = 30
        filled = width * done // total
        sys.stderr.write(f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total} files")
        sys.stderr.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()
            self.shown = False


def _summary(result: Generated, out: str) -> str:
    operations = len(result.api.operations())
    schemas = len(result.api.types)
    return f"{operations} operations, {schemas} schemas, {result.warnings} warnings -> {out}"


def _generated(jobs: list[Job], *, quiet: bool) -> Iterator[tuple[Job, Generated]]:
    """Each job with its files, in order. Consecutive jobs of one spec (the targets of one API) are made
    together: the spec is read once and their files shared over both cores."""
    while jobs:
        group = [jobs[0]]
        while len(group) < len(jobs) and same_read(group[0], jobs[len(group)]):
            group.append(jobs[len(group)])
        jobs = jobs[len(group) :]
        label = group[0].out if len(group) == 1 else ", ".join(j.out for j in group)
        bar = _Progress(label, enabled=not quiet and _colour(sys.stderr))
        # each job is written as soon as its files are made, while the next jobs' are being made
        with contextlib.closing(generate_each(group, progress=bar)) as results:
            try:
                for job, result in zip(group, results, strict=True):
                    bar.clear()
                    yield job, result
            finally:
                bar.clear()


def _run(args: argparse.Namespace) -> int:
    if args.command == "validate":
        from .swagger2 import upgrade

        doc = upgrade(load(args.spec, max_bytes=args.max_bytes or MAX_BYTES))  # Swagger 2.0 -> OpenAPI 3
        diagnostics = validate(doc, strict=args.strict)
        _print_diagnostics(diagnostics, sys.stdout)
        errors = sum(d.severity == "error" for d in diagnostics)
        print(f"{errors} errors, {len(diagnostics) - errors} warnings", file=sys.stderr)
        return EXIT_FAILED if errors else EXIT_OK

    if args.command == "changes":
        return _changes(args)

    status = EXIT_OK
    for job, result in _generated(_jobs(args), quiet=args.quiet):
        if args.verbose:
            _print_diagnostics(result.diagnostics, sys.stderr)
        files = with_changelog(job, result)
        if args.command == "generate":
            done = write(job.resolve(job.out), files, force=args.force)
            if not args.quiet:
                print(
                    f"{_summary(result, job.out)} ({len(done.written)} written,"
                    f" {len(done.unchanged)} unchanged, {len(done.removed)} removed)"
                )
        else:
            stale = check(job.resolve(job.out), files, label=job.out)
            if stale.fresh:
                if not args.quiet:
                    print(f"{_summary(result, job.out)}: up to date")
                continue
            status = EXIT_FAILED
            sys.stdout.write(stale.diff)
            for label, paths in (
                ("changed", stale.changed),
                ("added", stale.added),
                ("removed", stale.removed),
            ):
                for path in paths:
                    print(f"would be {label}: {Path(job.out) / path}", file=sys.stderr)
            print(
                f"{job.out} is stale ({len(stale.changed)} changed, {len(stale.added)} added,"
                f" {len(stale.removed)} removed); run 'sdkgen generate' to update it",
                file=sys.stderr,
            )
    return status


def _changes(args: argparse.Namespace) -> int:
    """`sdkgen changes`: OLD and NEW given, or the pyproject jobs' specs against git's REV."""
    from .changes import SDK_TARGETS as sdk_targets
    from .changes import Report, read_api, render, reports

    found: list[Report] = []
    if args.old is not None:
        if args.new is None:
            raise ConfigError("changes: give both OLD and NEW, or neither (the pyproject jobs)")
        job = Job(
            args.new,
            "python",
            "",
            names=_names(args.name),
            package_version=args.package_version or "0.1.0",
            max_bytes=args.max_bytes,
        )
        targets = sdk_targets if args.target == "all" else (args.target,)
        jobs = [replace(job, target=target) for target in targets]
        found = reports(read_api(replace(job, spec=args.old)), read_api(job), jobs, args.old)
    else:
        seen: set[tuple[str, str]] = set()
        pending = []
        for job in load_jobs(args.config):
            key = (job.resolve(job.spec), job.target)
            if job.target not in sdk_targets or key in seen:
                continue
            seen.add(key)
            overrides: dict[str, Any] = {"max_bytes": args.max_bytes} if args.max_bytes else {}
            if args.package_version:
                overrides["package_version"] = args.package_version
            pending.append(replace(job, **overrides))
        while pending:  # the jobs of one spec, read the same way, share both reads
            group = [j for j in pending if same_read(j, pending[0])]
            pending = [j for j in pending if not same_read(j, pending[0])]
            job = group[0]
            text = _at_revision(job.resolve(job.spec), args.since)
            if text is None:
                if not args.quiet:
                    print(f"sdkgen: {job.spec} is not in {args.since}: all of it is new", file=sys.stderr)
                continue
            label = f"{args.since}:{job.spec}"
            found += reports(read_api(job, text=text, label=label), read_api(job), group, label)
    shown = [r for r in found if r.changes or not args.quiet]
    if shown:
        sys.stdout.write(render(shown, args.fmt))
    broken = any(r.breaking for r in found)
    return EXIT_FAILED if broken and args.fail_on == "breaking" else EXIT_OK


def _at_revision(path: str, rev: str) -> str | None:
    """The file's content at git revision `rev`, or None when it is not there."""
    import subprocess

    folder, name = os.path.split(os.path.abspath(path))
    done = subprocess.run(["git", "-C", folder, "show", f"{rev}:./{name}"], capture_output=True, check=False)
    if done.returncode != 0:
        probe = subprocess.run(
            ["git", "-C", folder, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"],
            capture_output=True,
            check=False,
        )
        repository = subprocess.run(["git", "-C", folder, "rev-parse", "--git-dir"], capture_output=True)
        if probe.returncode != 0 and not (rev == "HEAD" and repository.returncode == 0):  # no commit yet
            raise ConfigError(f"--since {rev}: not a git revision here ({folder})")
        return None
    return done.stdout.decode("utf-8", errors="replace")


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    # A run makes millions of objects and next to no cycles: the collector's passes over them cost about a
    # tenth of a large run and free nothing (peak memory is the same without them).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _run(args)
    except SpecError as exc:
        _print_diagnostics(exc.diagnostics, sys.stderr)
        errors = sum(d.severity == "error" for d in exc.diagnostics)
        print(f"sdkgen: {errors} error{'s' if errors != 1 else ''}; nothing was written", file=sys.stderr)
        return EXIT_FAILED
    except (ConfigError, OutputError) as exc:
        print(f"sdkgen: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("sdkgen: interrupted; the previous output is intact", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug of ours: say so plainly, keep the traceback for SDKGEN_DEBUG=1
        if os.environ.get("SDKGEN_DEBUG"):
            raise
        print(
            f"sdkgen: internal error: {type(exc).__name__}: {exc} (rerun with SDKGEN_DEBUG=1 for details)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
    finally:
        if collecting:
            gc.enable()


def run() -> None:
    """The `sdkgen` command: `main`, then an exit that skips freeing the run's objects one by one.

    That teardown is about a tenth of a large run and frees nothing the operating system would not.
    Output is flushed first, and a child still checking the spec (left when the run failed early) is
    stopped, as a normal exit would.
    """
    status = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: what a normal exit would also lose
            status = status or EXIT_FAILED
    processes = sys.modules.get("multiprocessing")
    if processes is not None:
        for child in processes.active_children():
            child.terminate()
            child.join()
    os._exit(status)


if __name__ == "__main__":  # pragma: no cover
    run()
