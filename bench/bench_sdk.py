"""Our generated Python SDK against the official `openai` package, side by side in one run.

Measures, each as the median of several runs:
- import time: a fresh interpreter importing the package (minus a bare interpreter's start-up);
- response parsing: an ImagesResponse JSON document into the package's model, as each SDK does it;
- per-call overhead: N calls of create_variation to a loopback server that answers at once.

Usage: python bench/bench_sdk.py [--runs 7] [--calls 1000] [--write bench/RESULTS-sdk.md]
Not a test: nothing here asserts a time. Run it on a quiet machine and read the ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SDK_PATH = ROOT / "generated" / "python"
sys.path.insert(0, str(SDK_PATH))

RESPONSE: dict[str, Any] = {
    "created": 1713833628,
    "background": "transparent",
    "data": [{"url": f"https://example.com/{i}.png", "revised_prompt": "an otter"} for i in range(4)],
    "output_format": "png",
    "quality": "high",
    "size": "1024x1024",
    "usage": {
        "input_tokens": 50,
        "input_tokens_details": {"image_tokens": 40, "text_tokens": 10},
        "output_tokens": 50,
        "total_tokens": 100,
        "output_tokens_details": {"image_tokens": 50, "text_tokens": 0},
    },
}
BODY = json.dumps(RESPONSE).encode()
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 2048


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        super().setup()
        # headers and body go out in two writes: without this, Nagle and delayed ACKs add 40 ms a call
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)

    def log_message(self, *args: object) -> None:
        pass


def paired(ours: Callable[[], object], theirs: Callable[[], object], runs: int) -> tuple[float, float]:
    """Medians of `runs` timings of each, taken alternately so machine noise falls on both alike."""
    samples: tuple[list[float], list[float]] = ([], [])
    for _ in range(runs):
        for fn, out in ((ours, samples[0]), (theirs, samples[1])):
            start = time.perf_counter()
            fn()
            out.append(time.perf_counter() - start)
    return statistics.median(samples[0]), statistics.median(samples[1])


def import_time(module: str, runs: int) -> float:
    env = {**os.environ, "PYTHONPATH": str(SDK_PATH)}

    def once(code: str) -> float:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, env=env)
        return time.perf_counter() - start

    bare = statistics.median(once("pass") for _ in range(runs))
    return statistics.median(once(f"from {module} import OpenAI") for _ in range(runs)) - bare


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--parses", type=int, default=2000)
    parser.add_argument("--write", metavar="FILE")
    args = parser.parse_args()

    import warnings

    import openai
    import openai_images
    from openai._models import construct_type
    from openai.types import ImagesResponse as TheirImagesResponse
    from openai_images.types import ImagesResponse as OurImagesResponse

    warnings.simplefilter("ignore", DeprecationWarning)  # the official SDK marks this operation deprecated
    rows: list[tuple[str, float, float]] = []
    ours_import = import_time("openai_images", args.runs)
    theirs_import = import_time("openai", args.runs)
    rows.append(("from PACKAGE import OpenAI (s)", ours_import, theirs_import))

    def parse_ours() -> None:
        for _ in range(args.parses):
            OurImagesResponse.construct(json.loads(BODY))

    def parse_theirs() -> None:
        for _ in range(args.parses):
            construct_type(type_=TheirImagesResponse, value=json.loads(BODY))

    rows.append((f"parse ImagesResponse x{args.parses} (s)", *paired(parse_ours, parse_theirs, args.runs)))

    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base_url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    ours = openai_images.OpenAI(api_key="sk-bench", base_url=base_url, max_retries=0)
    theirs = openai.OpenAI(api_key="sk-bench", base_url=base_url, max_retries=0)

    def calls(client: Any) -> Callable[[], None]:
        def run() -> None:
            for _ in range(args.calls):
                client.images.create_variation(image=("otter.png", PNG, "image/png"), n=2, size="512x512")

        return run

    calls(ours)()  # warm both connection pools
    calls(theirs)()
    rows.append((f"{args.calls} create_variation calls (s)", *paired(calls(ours), calls(theirs), args.runs)))
    server.shutdown()

    lines = [
        "| measure | sdkgen | official openai | ratio (sdkgen / official) |",
        "|---|---:|---:|---:|",
    ]
    for label, a, b in rows:
        lines.append(f"| {label} | {a:.4f} | {b:.4f} | {a / b:.2f} |")
    table = "\n".join(lines)
    print(table)
    if args.write:
        Path(args.write).write_text(
            f"python {sys.version.split()[0]}, openai {openai.__version__}, {os.cpu_count()} cores; "
            f"medians of {args.runs} runs\n\n{table}\n"
        )


if __name__ == "__main__":
    main()
