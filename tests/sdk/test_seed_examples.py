"""Seed 002's three Python examples run unchanged against the generated SDK, apart from the import line."""

from __future__ import annotations

import base64
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SDK_PATH, SHARED
from tests.support.loopback import Loopback, Recorded, Reply

SEED = SHARED / "seeds" / "002_1798b7ae6f20eaea.txt"
TITLES = [
    "Create variations with URL response",
    "Create variations with base64 response",
    "Multiple smaller variations",
]


def examples() -> list[str]:
    if not SEED.exists():
        return []
    text = SEED.read_text()
    out = []
    for i, title in enumerate(TITLES):
        start = text.index(title) + len(title)
        end = text.index(TITLES[i + 1]) if i + 1 < len(TITLES) else text.index("Build docs developers")
        out.append(text[start:end].strip() + "\n")
    return out


def respond(request: Recorded) -> Reply:
    parts = {p.name: p.data for p in request.parts()}
    n = int(parts.get("n", b"1"))
    b64 = parts.get("response_format") == b"b64_json"
    data = [
        {"b64_json": base64.b64encode(b"png-%d" % i).decode()}
        if b64
        else {"url": f"https://img.example/{i}.png"}
        for i in range(n)
    ]
    return Reply(200, {"created": 1713833628, "data": data})


@pytest.mark.parametrize("index", range(3), ids=["url", "b64", "small"])
def test_seed_002_examples_run(index: int, loopback: Loopback, tmp_path: Path) -> None:
    found = examples()
    if not found:
        pytest.skip(f"seed 002 is not beside the project ({SEED})")
    code = found[index]
    assert code.count("from openai import OpenAI") == 1
    code = code.replace("from openai import OpenAI", "from openai_images import OpenAI")
    for name in re.findall(r'open\("([^"]+\.png)", "rb"\)', code):
        (tmp_path / name).write_bytes(b"\x89PNG\r\n\x1a\n" + name.encode())
    loopback.responder = respond
    env = {
        **os.environ,
        "OPENAI_API_KEY": "sk-seed",
        "OPENAI_BASE_URL": loopback.url + "/v1",
        "PYTHONPATH": str(SDK_PATH),
    }
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    (sent,) = loopback.requests
    assert sent.path == "/v1/images/variations" and sent.header("authorization") == "Bearer sk-seed"
    if index == 0:
        assert result.stdout.splitlines() == [
            f"Variation {i + 1}: https://img.example/{i}.png" for i in range(3)
        ]
    elif index == 1:
        assert result.stdout.splitlines() == ["Saved variation_0.png", "Saved variation_1.png"]
        assert (tmp_path / "variation_1.png").read_bytes() == b"png-1"
    else:
        lines = result.stdout.splitlines()
        assert lines[0] == "Generated 10 variations" and len(lines) == 11
