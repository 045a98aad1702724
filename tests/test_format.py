"""Files the formatter passes over as black-stable are exactly what black would make of them."""

from __future__ import annotations

from pathlib import Path

import black
import pytest
from black.mode import Mode, TargetVersion

from generator.format import LINE_LENGTH, black_stable
from generator.pipeline import generate
from generator.render import environment, render
from generator.targets.base import Job
from generator.targets.python import PythonTarget
from tests.conftest import ROOT, SHARED

MODE = Mode(line_length=LINE_LENGTH, target_versions={TargetVersion.PY39})
SPECS = [ROOT / "specs" / "images-variations.yaml"] + [
    SHARED / "corpus" / name for name in ("spotify.yaml", "opc-baseline-3.1.yaml", "redocly-museum.yaml")
]


@pytest.mark.parametrize("spec", SPECS, ids=[s.name for s in SPECS])
def test_black_stable_files_are_what_black_makes_of_them(spec: Path) -> None:
    if not spec.exists():
        pytest.skip(f"{spec} is not there (the corpus is beside the project)")
    job = Job(spec=str(spec), target="python", out="unused", package_name="pkg")
    result = generate(job)  # runs the pipeline, so the IR is built the same way
    target = PythonTarget(result.api, job)
    texts = render(target.plan(), environment("python", target.filters))
    stable = [path for path, text in texts.items() if path.endswith(".py") and black_stable(text)]
    assert stable, "no file passed as black-stable"
    for path in stable:
        assert black.format_str(texts[path], mode=MODE) == texts[path], f"{path} is not black-stable"
