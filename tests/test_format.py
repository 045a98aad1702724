"""Files the formatter passes over as black-stable are exactly what black would make of them.

`format_files` first splits the long lines of types modules as black would (`prelayout`), then skips black for
every file `black_stable` accepts; these tests run black itself on each such file of real specs' SDKs.
"""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import black
import pytest
from black.mode import Mode, TargetVersion

from generator.format import LINE_LENGTH, black_stable, prelayout
from generator.ir import build
from generator.load import load
from generator.render import environment, render
from generator.targets.base import Job
from generator.targets.python import PythonTarget
from tests.conftest import ROOT, SHARED

MODE = Mode(line_length=LINE_LENGTH, target_versions={TargetVersion.PY39})
SPECS = (
    [ROOT / "specs" / "images-variations.yaml"]
    + sorted((ROOT / "tests" / "golden").glob("*/spec.yaml"))
    + [SHARED / "corpus" / name for name in ("spotify.yaml", "opc-baseline-3.1.yaml", "redocly-museum.yaml")]
)
FULL = SHARED / "corpus" / "openai.yaml"


def _skipped(spec: Path) -> dict[str, str]:
    """The files of `spec`'s SDK that format_files would not give to black, as it would leave them."""
    if not spec.exists():
        pytest.skip(f"{spec} is not there (the corpus is beside the project)")
    job = Job(spec=str(spec), target="python", out="unused", package_name="pkg")
    api, _ = build(load(str(spec)))
    target = PythonTarget(api, job)
    texts = render(target.plan(), environment("python", target.filters))
    laid = {path: prelayout(path, text) for path, text in texts.items() if path.endswith(".py")}
    stable = {path: text for path, text in laid.items() if black_stable(text)}
    assert stable, "no file passed as black-stable"
    return stable


def _unchanged_by_black(item: tuple[str, str]) -> str | None:
    path, text = item
    return None if black.format_str(text, mode=MODE) == text else path


@pytest.mark.parametrize(
    "spec", SPECS, ids=[s.parent.name if s.name == "spec.yaml" else s.name for s in SPECS]
)
def test_black_stable_files_are_what_black_makes_of_them(spec: Path) -> None:
    for path, text in _skipped(spec).items():
        assert black.format_str(text, mode=MODE) == text, f"{path} is not black-stable"


@pytest.mark.slow
def test_black_stable_files_of_the_full_openai_sdk() -> None:
    """About 1,900 files: black on both cores, some 15 s."""
    stable = _skipped(FULL)
    assert len(stable) > 1800, "most of the full SDK should skip black"
    with ProcessPoolExecutor(max_workers=2) as pool:
        wrong = [p for p in pool.map(_unchanged_by_black, stable.items(), chunksize=32) if p is not None]
    assert not wrong, f"black changes {len(wrong)} files passed as black-stable: {wrong[:10]}"


def test_prelayout_splits_as_black_does() -> None:
    long_name = "Z" * 70
    text = (
        "from __future__ import annotations\n\n"
        f"from .{long_name.lower()} import {long_name[:45]} as {long_name[:45]}\n\n\n"
        "class M:\n"
        f"    a: Optional[{long_name}] = None\n"
        f"    b: Union[{long_name}, Mapping[str, object]]\n"
        "    __sdk_fields__ = (\n"
        f'        FieldInfo("a", "a", T.union(T.ref("x", "{long_name}"), T.str()), required=True),\n'
        "    )\n"
    )
    laid = prelayout("pkg/types/m.py", text)
    assert laid != text and black_stable(laid)
    assert black.format_str(laid, mode=MODE) == laid
    assert black.format_str(text, mode=MODE) == laid
