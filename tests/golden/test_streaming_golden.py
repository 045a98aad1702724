"""The Python SDK of tests/golden/streaming/spec.yaml types server-sent events as `Stream`s.

Its golden output (tests/golden/streaming/<target>/) is compared and compiled by test_cases.py.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CASE = HERE / "streaming"
EXPECTED = CASE / "python"
PACKAGE = "streaming_sdk"


def _tree(folder: Path) -> dict[str, str]:
    if not folder.is_dir():
        return {}
    return {
        p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts and ".mypy_cache" not in p.parts
    }


def test_streaming_methods_are_typed() -> None:
    """The stream-only method returns a Stream; the `stream: true` one has its three overloads."""
    chat = _tree(EXPECTED)[f"{PACKAGE}/resources/chat_completions.py"]
    assert chat.count("@overload") == 6  # three for the sync method, three for the async one
    assert "stream: Literal[True],\n" in chat and "stream: bool,\n" in chat
    assert "stream: Optional[Literal[False]] | Omit = omit," in chat
    assert ") -> Stream[ChatCompletionChunk]: ..." in chat
    assert ") -> AsyncStream[ChatCompletionChunk]: ..." in chat
    events = _tree(EXPECTED)[f"{PACKAGE}/resources/events.py"]
    assert ") -> Stream[LogEvent]:" in events and ") -> AsyncStream[LogEvent]:" in events
    assert ") -> Stream[object]:" in events
