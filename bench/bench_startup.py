"""Start-up of the generated Python SDK for the full OpenAI spec, against the official `openai` package.

Each line runs in a fresh interpreter, ours and the official one alternating, both from byte-compiled
modules (as pip installs them): `import X; c = X.OpenAI(api_key="x"); c.chat.completions`; also our
CLI's `--help` at the top and on one command, beside a bare `python -c pass`. Reports the median wall time
of each, the ratio, and how many modules of each package the line loads. Nothing is asserted.

    .venv/bin/python bench/bench_startup.py --runs 7 --write bench/RESULTS.md
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _results import write_section  # bench/_results.py (the scripts run from bench/)

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT.parent / "shared" / "corpus" / "openai.yaml"
WORK = ROOT / "bench" / ".work" / "startup"
LINE = "import {pkg} as X; c = X.OpenAI(api_key='x'); c.chat.completions"
COUNT = "import sys; " + LINE + "; print(len([m for m in sys.modules if m.split('.')[0] == '{pkg}']))"


def generate() -> Path:
    out = WORK / "sdk"
    subprocess.run(
        [sys.executable, "-m", "generator", "generate", str(SPEC), "--target", "python", "--out", str(out),
         "--package-name", "openai_full", "--force"],
        check=True, capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    compileall.compile_dir(str(out / "openai_full"), quiet=1)
    return out


def env_for(sdk: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(sdk)
    return env


def wall(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True, env=env)
    return time.perf_counter() - start


def run(runs: int) -> tuple[dict[str, list[float]], dict[str, int]]:
    sdk = generate()
    env = env_for(sdk)
    py = sys.executable
    lines = {
        "python -c pass": [py, "-c", "pass"],
        "official: import, client, chat.completions": [py, "-c", LINE.format(pkg="openai")],
        "sdkgen: import, client, chat.completions": [py, "-c", LINE.format(pkg="openai_full")],
        "sdkgen CLI: --help": [py, "-m", "openai_full", "--help"],
        "sdkgen CLI: chat completions create --help":
            [py, "-m", "openai_full", "chat", "completions", "create", "--help"],
    }  # fmt: skip
    for args in lines.values():  # warm the file cache once
        wall(args, env)
    times: dict[str, list[float]] = {name: [] for name in lines}
    for _ in range(runs):
        for name, args in lines.items():
            times[name].append(wall(args, env))
    modules = {
        pkg: int(subprocess.run([py, "-c", COUNT.format(pkg=pkg)], check=True, capture_output=True,
                                text=True, env=env).stdout)
        for pkg in ("openai", "openai_full")
    }  # fmt: skip
    return times, modules


def table(times: dict[str, list[float]], modules: dict[str, int], runs: int) -> str:
    official = statistics.median(times["official: import, client, chat.completions"])
    rows = [
        "## Start-up of the generated SDK and CLI (full OpenAI spec, issue 18)",
        "",
        "Rerun: `.venv/bin/python bench/bench_startup.py --runs 7 --write bench/RESULTS.md`",
        "",
        "| line, in a fresh interpreter | wall (s), median | min-max (s) | x official |",
        "|---|---:|---:|---:|",
    ]
    for name, values in times.items():
        median = statistics.median(values)
        ratio = f"{median / official:.2f}" if "import" in name else ""
        rows.append(f"| {name} | {median:.3f} | {min(values):.3f}-{max(values):.3f} | {ratio} |")
    rows += [
        "",
        f"Modules of the package loaded by the line: official {modules['openai']}, "
        f"sdkgen {modules['openai_full']}.",
        "",
        f"python {sys.version.split()[0]}, {os.cpu_count()} cores; medians of {runs} runs, the lines taking "
        "turns; both packages byte-compiled.",
    ]
    return "\n".join(rows) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--write", type=Path, help="update this Markdown file's start-up section")
    args = parser.parse_args()
    if not SPEC.is_file():
        sys.exit(f"the corpus is not beside the project ({SPEC})")
    times, modules = run(args.runs)
    body = table(times, modules, args.runs)
    print(body)
    if args.write:
        write_section(args.write, "bench_startup", body)


if __name__ == "__main__":
    main()
