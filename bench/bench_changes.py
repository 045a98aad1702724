"""`sdkgen changes` on two versions of the full OpenAI spec, beside loading them and beside `generate`.

    python bench/bench_changes.py [--runs N]

Reads ../shared/spec-history/openai (the first and last versions); prints medians in seconds."""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator import pipeline  # noqa: E402
from generator.changes import read_api, reports  # noqa: E402
from generator.pipeline import generate  # noqa: E402
from generator.targets.base import Job  # noqa: E402

HISTORY = ROOT.parent / "shared" / "spec-history" / "openai"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    files = sorted(HISTORY.glob("*.yaml"))
    if len(files) < 2:
        sys.exit(f"no spec history at {HISTORY}")
    old, new = files[0], files[-1]
    times: dict[str, list[float]] = {"load+build both": [], "changes (3 targets)": [], "generate python": []}
    for _ in range(args.runs):
        t0 = time.perf_counter()
        a, b = read_api(Job(str(old), "python", "")), read_api(Job(str(new), "python", ""))
        t1 = time.perf_counter()
        jobs = [Job(str(new), target, "") for target in ("python", "typescript", "perl")]
        reports(a, b, jobs, old.name)
        t2 = time.perf_counter()
        pipeline._READ.clear()  # each run reads the spec afresh, as one `sdkgen generate` does
        generate(Job(str(new), "python", "/tmp/unused"))
        t3 = time.perf_counter()
        times["load+build both"].append(t1 - t0)
        times["changes (3 targets)"].append(t2 - t0)
        times["generate python"].append(t3 - t2)
    for label, values in times.items():
        print(f"{label:24} {statistics.median(values):6.2f} s")
    ratio = statistics.median(times["changes (3 targets)"]) / statistics.median(times["load+build both"])
    print(f"changes / load+build     {ratio:6.2f}x")


if __name__ == "__main__":
    main()
