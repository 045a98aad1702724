"""Generation speed: sdkgen against openapi-python-client on the same specs, side by side.

    python bench/bench_generate.py --runs 5 --write bench/RESULTS.md

On first use it installs openapi-python-client (pinned) into bench/.work/venv (git-ignored). Each measurement
is a fresh process: wall time, and peak RSS of the process tree from /usr/bin/time -v (the largest process:
the tools' worker processes are counted through their own figures, so the larger of parent and children).
Runs alternate between the tools so that the machine's noise falls on both alike; medians are reported.

sdkgen is measured three ways:
- cold: a fresh SDKGEN_CACHE_DIR (no black cache, no validator verdict, no compiled templates), no Python
  bytecode cache for the spec-independent parts beyond what the installed project already has, a fresh
  output folder;
- warm: the same spec again into the same (up to date) output folder, with the caches of the cold run;
- warm, one description changed: the same spec file, edited in place (one description), as a user would.

Nothing is deleted until the end: on this machine's file system (ext4 mounted with `discard`), creating files
soon after thousands were deleted nearby is several times slower (2,000 files: about 0.1 s in a fresh
folder, 0.3-2 s after such a delete), which charged one tool for the other's clean-up. For the same reason
the outputs go to a new folder under bench/.work rather than /tmp, where the machine's other work deletes.
openapi-python-client writes 2,527 files for the full OpenAI spec, sdkgen 2,025.
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
VENV = WORK / "venv"
OPC_VERSION = "0.29.1"
SDKGEN = [str(ROOT / ".venv" / "bin" / "python"), "-m", "generator"]
SPECS = {
    "fragment (images-variations)": ROOT / "specs" / "images-variations.yaml",
    "full OpenAI spec": ROOT.parent / "shared" / "corpus" / "openai.yaml",
}


def ensure_opc() -> Path:
    exe = VENV / "bin" / "openapi-python-client"
    if not exe.exists():
        WORK.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run(
            [str(VENV / "bin" / "pip"), "install", "-q", f"openapi-python-client=={OPC_VERSION}"], check=True
        )
    return exe


def measure(
    cmd: list[str], env: dict[str, str] | None = None, cwd: Path | None = None
) -> tuple[float, float]:
    """(wall seconds, peak RSS in MB) of one run of `cmd`."""
    start = time.perf_counter()
    proc = subprocess.run(
        ["/usr/bin/time", "-v", *cmd],
        env={**os.environ, **(env or {})},
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    wall = time.perf_counter() - start
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr[-1500:]}")
    return wall, (int(match.group(1)) / 1024 if match else float("nan"))


def with_one_description_changed(spec: Path) -> str:
    text = spec.read_text(encoding="utf-8")
    changed, n = re.subn(r"(\n\s*description: )(\S)", r"\1(edited) \2", text, count=1)
    if not n:
        raise SystemExit(f"{spec}: no description to change")
    return changed


def run(runs: int) -> list[tuple[str, str, list[tuple[float, float]]]]:
    opc = ensure_opc()
    rows: dict[tuple[str, str], list[tuple[float, float]]] = {}
    WORK.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="run-", dir=WORK) as tmp_name:
        tmp = Path(tmp_name)
        for label, spec in SPECS.items():
            if not spec.exists():
                print(f"skipping {label}: {spec} is not there", file=sys.stderr)
                continue
            # sdkgen reads a copy that stays at one path: editing a spec in place is what users do (the
            # path is in every generated file's header, so a spec elsewhere would change every file)
            own = _mk(tmp / f"spec-{len(rows)}") / spec.name
            original, edited = spec.read_text(encoding="utf-8"), with_one_description_changed(spec)
            for i in range(runs):
                own.write_text(original, encoding="utf-8")
                # openapi-python-client: a fresh output folder each time (it refuses an existing one)
                out = tmp / f"opc-{i}"
                rows.setdefault((label, "openapi-python-client"), []).append(
                    measure(
                        [str(opc), "generate", "--path", str(spec), "--output-path", str(out), "--overwrite"],
                        cwd=tmp,
                    )
                )
                cache = tmp / f"cache-{i}"
                sdk = tmp / f"sdk-{i}"
                env = {"SDKGEN_CACHE_DIR": str(cache), "PYTHONDONTWRITEBYTECODE": "1"}
                args = ["generate", "--target", "python", "--package-name", "openai_bench", "-q"]
                rows.setdefault((label, "sdkgen, cold"), []).append(
                    measure([*SDKGEN, *args[:1], str(own), *args[1:], "--out", str(sdk)], env=env, cwd=ROOT)
                )
                rows.setdefault((label, "sdkgen, warm (same spec)"), []).append(
                    measure([*SDKGEN, *args[:1], str(own), *args[1:], "--out", str(sdk)], env=env, cwd=ROOT)
                )
                own.write_text(edited, encoding="utf-8")
                rows.setdefault((label, "sdkgen, warm (one description changed)"), []).append(
                    measure([*SDKGEN, *args[:1], str(own), *args[1:], "--out", str(sdk)], env=env, cwd=ROOT)
                )
                print(f"{label}: run {i + 1}/{runs} done", file=sys.stderr)
    return [(label, tool, samples) for (label, tool), samples in rows.items()]


_CHECKS = """
import sys, time
from generator.load import load
from generator import validate

data = load(sys.argv[2]).data
run = validate._run_speccheck if sys.argv[1] == "speccheck" else validate._run_spec_validator
start = time.perf_counter()
found = run(data, "3.1")
print(time.perf_counter() - start, len(found))
"""


def checks(runs: int) -> list[tuple[str, list[float], int]]:
    """openapi-spec-validator's checks on the full OpenAI spec: the library itself against speccheck, each in
    a fresh process (the spec loaded first, not timed), alternating."""
    spec = SPECS["full OpenAI spec"]
    if not spec.exists():
        return []
    times: dict[str, list[float]] = {"openapi-spec-validator": [], "speccheck (sdkgen)": []}
    counts: dict[str, int] = {}
    for _ in range(runs):
        for label, arg in (("openapi-spec-validator", "library"), ("speccheck (sdkgen)", "speccheck")):
            out = subprocess.run(
                [SDKGEN[0], "-c", _CHECKS, arg, str(spec)],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
            ).stdout.split()
            times[label].append(float(out[0]))
            counts[label] = int(out[1])
    return [(label, samples, counts[label]) for label, samples in times.items()]


def checks_table(rows: list[tuple[str, list[float], int]], runs: int) -> str:
    if not rows:
        return ""
    peer = statistics.median(rows[0][1])
    lines = [
        "Checking the full OpenAI spec as openapi-spec-validator does (the spec already loaded), "
        f"medians of {runs} runs:",
        "",
        "| checker | seconds, median | min-max | findings | x library |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, samples, count in rows:
        wall = statistics.median(samples)
        lines.append(
            f"| {label} | {wall:.2f} | {min(samples):.2f}-{max(samples):.2f} | {count} | {wall / peer:.2f} |"
        )
    return "\n".join(lines) + "\n"


def _mk(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def table(results: list[tuple[str, str, list[tuple[float, float]]]], runs: int) -> str:
    peer: dict[str, float] = {
        label: statistics.median(w for w, _ in samples)
        for label, tool, samples in results
        if tool == "openapi-python-client"
    }
    lines = [
        "| spec | tool | wall (s), median | min-max (s) | peak RSS (MB), median | x peer |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for label, tool, samples in results:
        walls = [w for w, _ in samples]
        wall = statistics.median(walls)
        rss = statistics.median(m for _, m in samples)
        ratio = wall / peer[label] if label in peer else float("nan")
        lines.append(
            f"| {label} | {tool} | {wall:.2f} | {min(walls):.2f}-{max(walls):.2f} | {rss:.0f} | {ratio:.2f} |"
        )
    machine = (
        f"python {platform.python_version()}, {os.cpu_count()} cores ({platform.machine()}), "
        f"openapi-python-client {OPC_VERSION}; medians of {runs} runs, tools alternating"
    )
    return "\n".join(lines) + "\n\n" + machine + "\n"


def write(results_md: Path, body: str, runs: int) -> None:
    heading = (
        f"## Generating the SDK: sdkgen against openapi-python-client\n\n"
        f"Rerun: `.venv/bin/python bench/bench_generate.py --runs {runs} --write bench/RESULTS.md`\n\n"
    )
    write_section(results_md, "bench_generate", heading + body)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--write", type=Path, help="update this Markdown file's generation section")
    args = parser.parse_args()
    results = run(args.runs)
    body = table(results, args.runs)
    extra = checks_table(checks(args.runs), args.runs)
    if extra:
        body += "\n" + extra
    print(body)
    if args.write:
        write(args.write, body, args.runs)


if __name__ == "__main__":
    main()
