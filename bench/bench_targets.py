"""Every target in one run: the full OpenAI spec's four jobs (python, typescript, docs, perl) against its
Python job alone, both cold.

    .venv/bin/python bench/bench_targets.py --runs 5 --write bench/RESULTS.md

The jobs are examples/openai/pyproject.toml's, read from a copy whose spec path points at the corpus (the
rest as written, names tables included); the Python job alone is the first job of the same file. Each
measurement is a fresh process (`python -m generator generate --config ...`, the project's own generator),
cold: a fresh SDKGEN_CACHE_DIR (no format cache, no validator verdict) and a fresh output folder. The two
alternate so that the machine's noise falls on both alike; wall time, and peak RSS from /usr/bin/time -v
(the largest process of the tree), as medians, and the median of each round's ratio. The runs write to
/dev/shm (memory) where there is one (`--dir` to choose): on this machine's disk, creating files where many
were deleted before is up to 2 ms of system time each, which is the disk's state and not the generator's.
Nothing is deleted until the end.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _results import write_section  # bench/_results.py (the scripts run from bench/)

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "bench" / ".work"
#: where the runs write, by default: memory (tmpfs), so that what is measured is the generator and not the
#: state of the disk. On this machine's ext4 (mounted with `discard`), creating files where many were deleted
#: before (a previous bench's folder) costs up to 2 ms of system time each: 7 s of a four-job run.
SHM = Path("/dev/shm")
EXAMPLE = ROOT / "examples" / "openai" / "pyproject.toml"
SPEC = ROOT.parent / "shared" / "corpus" / "openai.yaml"
JOB = "[[tool.sdkgen.jobs]]"


def configs(folder: Path) -> dict[str, Path]:
    """The example's jobs with the spec at its absolute path: all of them, and the Python job alone."""
    text = EXAMPLE.read_text(encoding="utf-8")
    text = re.sub(r'(?m)^spec = ".*"$', f"spec = {str(SPEC)!r}".replace("'", '"'), text)
    head, *jobs = text.split(JOB)
    python = [j for j in jobs if re.search(r'(?m)^target = "python"$', j)]
    if len(jobs) != 4 or len(python) != 1:
        raise SystemExit(f"{EXAMPLE}: expected four jobs, one of them python")
    found = {"python alone": head + JOB + python[0], "all four targets": text}
    paths = {}
    for label, body in found.items():
        path = folder / f"{label.split()[0]}.toml"
        path.write_text(body, encoding="utf-8")
        paths[label] = path
    return paths


def measure(config: Path, run: Path, generator: Path = ROOT) -> tuple[float, float, float]:
    """(wall seconds, peak RSS in MB, CPU seconds) of one cold run of `config`'s jobs, in the fresh folder
    `run`. The CPU time (user and system, of the process and the children it waited for) is the work done,
    whatever else the machine runs; the wall time is what a user waits."""
    run.mkdir(parents=True)
    (run / "pyproject.toml").write_text(config.read_text(encoding="utf-8"), encoding="utf-8")
    env = {
        **os.environ,
        "SDKGEN_CACHE_DIR": str(run / "cache"),
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONPATH": str(generator),  # this checkout's generator (or --generator's), whichever is installed
    }
    start = time.perf_counter()
    proc = subprocess.run(
        ["/usr/bin/time", "-v", sys.executable, "-m", "generator", "generate", "-q"],
        env=env,
        cwd=run,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{config.name} failed ({proc.returncode}):\n{proc.stderr[-1500:]}")
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
    cpu = sum(float(t) for t in re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", proc.stderr))
    return wall, (int(match.group(1)) / 1024 if match else float("nan")), cpu


def default_dir() -> Path:
    return SHM / "sdkgen-bench" if SHM.is_dir() and os.access(SHM, os.W_OK) else WORK


def run(
    runs: int, generator: Path = ROOT, compare: Path | None = None, where: Path | None = None
) -> dict[str, list[tuple[float, float, float]]]:
    """Each label's samples; also the machine's load (1-minute average) before and after, under "load".
    With `compare` (a folder holding another generator, an older commit's say), its run of the four jobs
    is measured in the same rounds."""
    if not SPEC.exists():
        raise SystemExit(f"{SPEC} is not there")
    where = where or default_dir()
    where.mkdir(parents=True, exist_ok=True)
    rows: dict[str, list[tuple[float, float, float]]] = {}
    before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="targets-", dir=where) as tmp_name:
        tmp = Path(tmp_name)
        found = configs(tmp)
        sides = [(label, config, generator) for label, config in found.items()]
        if compare is not None:
            label = f"all four targets, generator of {compare.name}"
            sides.append((label, found["all four targets"], compare))
        for i in range(runs):
            order = sides if i % 2 == 0 else sides[::-1]
            for n, (label, config, gen) in enumerate(order):
                folder = tmp / f"{config.stem}-{n}-{i}"
                # the last run's files reach the disk first (the kernel writes them back after the
                # process has ended: left pending, that work would fall on whichever run comes next)
                os.sync()
                rows.setdefault(label, []).append(measure(config, folder, gen))
            print(f"run {i + 1}/{runs} done", file=sys.stderr)
    return {**{label: rows[label] for label, _, _ in sides}, "load": [(before, os.getloadavg()[0], 0.0)]}


def table(rows: dict[str, list[tuple[float, float, float]]], runs: int, where: Path) -> str:
    (load,) = rows.pop("load", [(float("nan"), float("nan"), 0.0)])
    base = statistics.median(w for w, _, _ in rows["python alone"])
    base_cpu = statistics.median(c for _, _, c in rows["python alone"])
    lines = [
        "| jobs | wall (s), median | min-max (s) | x python alone | x python alone, paired | CPU (s), median "
        "| x python alone | peak RSS (MB), median |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    alone = [w for w, _, _ in rows["python alone"]]
    for label, samples in rows.items():
        walls = [w for w, _, _ in samples]
        wall = statistics.median(walls)
        cpu = statistics.median(c for _, _, c in samples)
        rss = statistics.median(m for _, m, _ in samples)
        # each run against the Python job's run of the same round (next to it in time, under the same load)
        paired = statistics.median(w / a for w, a in zip(walls, alone, strict=True))
        lines.append(
            f"| {label} | {wall:.2f} | {min(walls):.2f}-{max(walls):.2f} | {wall / base:.2f} | {paired:.2f} "
            f"| {cpu:.2f} | {cpu / base_cpu:.2f} | {rss:.0f} |"
        )
    machine = (
        f"python {platform.python_version()}, {os.cpu_count()} cores ({platform.machine()}); cold (fresh "
        f"SDKGEN_CACHE_DIR and output folders); medians of {runs} runs, alternating; load average (1 min,"
        f" `uptime`) {load[0]:.2f} before, {load[1]:.2f} after; output written to {where}"
    )
    return "\n".join(lines) + "\n\n" + machine + "\n"


def write(results_md: Path, body: str, runs: int) -> None:
    heading = (
        f"## Every target in one run: the OpenAI spec's four jobs against its Python job\n\n"
        f"Rerun: `.venv/bin/python bench/bench_targets.py --runs {runs} --write bench/RESULTS.md`"
        " (`--compare DIR`: also the four jobs by the generator in DIR, e.g. an older commit's, from"
        " `git archive COMMIT generator templates | tar -x -C DIR`)\n\n"
    )
    write_section(results_md, "bench_targets", heading + body)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--write", type=Path, help="update this Markdown file's section")
    parser.add_argument(
        "--generator", type=Path, default=ROOT, help="the folder holding the generator package to run"
    )
    parser.add_argument(
        "--compare", type=Path, help="also run the four jobs with the generator in this folder (before/after)"
    )
    parser.add_argument(
        "--dir", type=Path, help="where the runs write (default: /dev/shm if there is one, else bench/.work)"
    )
    args = parser.parse_args()
    compare = args.compare.resolve() if args.compare else None
    where = (args.dir or default_dir()).resolve()
    body = table(run(args.runs, args.generator.resolve(), compare, where), args.runs, where)
    print(body)
    if args.write:
        write(args.write, body, args.runs)


if __name__ == "__main__":
    main()
