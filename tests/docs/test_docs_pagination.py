"""The reference page of a list operation says it answers pages and shows how each SDK walks them all
(tests/typescript/pagination/spec.yaml): Python, async Python, TypeScript's `for await`, the CLI's `--all`
and Perl's iterator. The Perl and TypeScript examples run against the loopback server and walk three pages;
the Python ones are valid Python laid out as black lays it out."""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
from pathlib import Path

import black
import pytest

from generator.pipeline import generate
from generator.targets.base import Job
from generator.write import write
from tests.conftest import ROOT
from tests.support.loopback import Loopback
from tests.support.paging import CASES, SPEC, sent
from tests.typescript.support import build_package, compile_app, make_app, node, require_node

CASE = CASES["cursor-from-last-item"]


def _generate(where: Path, target: str, package: str, **options: str) -> Path:
    job = Job(spec=SPEC, target=target, out="x", package_name=package, options=options, root=str(ROOT))
    write(where, generate(job).files)
    return where


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = tmp_path_factory.mktemp("docs-pages")
    return _generate(where, "docs", "pager", **{"perl-package": "Pager", "typescript-package": "pager-sdk"})


def pages(page: Path) -> dict[str, str]:
    """{label: code} for every fenced example under "## Pages"."""
    text = page.read_text()
    section = text[text.index("## Pages") : text.index("## Examples")]
    found = re.findall(r"### (.+?)\n\n(`{3,})[a-z]*\n(.*?)\n\2", section, re.S)
    return {label.replace("\\", ""): code + "\n" for label, _, code in found}


def test_a_list_page_shows_how_every_sdk_walks_the_pages(docs: Path) -> None:
    text = (docs / "files" / "list.md").read_text()
    assert "One page of a list" in text and "the query parameter `after` takes the last item's `id`" in text
    examples = pages(docs / "files" / "list.md")
    assert list(examples) == [
        "Python",
        "Python (async)",
        "TypeScript",
        "CLI (JSON Lines, an item a line)",
        "Perl",
    ]
    assert "for file in client.files.list():" in examples["Python"]
    assert "async for file in client.files.list():" in examples["Python (async)"]
    assert "for await (const file of client.files.list()) {" in examples["TypeScript"]
    assert examples["CLI (JSON Lines, an item a line)"] == "pager files list --all\n"
    assert "my $next = $client->list_files_iter({});" in examples["Perl"]
    for label in ("Python", "Python (async)"):
        ast.parse(examples[label])
        assert black.format_str(examples[label], mode=black.Mode(line_length=100)) == examples[label]
    # each scheme says how its next page comes; an operation without pages has no such section
    assert 'the URL of the `Link` response header\'s `rel="next"`' in (docs / "repos" / "list.md").read_text()
    assert "in the response's `links.next`" in (docs / "notes" / "list.md").read_text()
    assert "The whole list comes in one response" in (docs / "models" / "list.md").read_text()
    assert "## Pages" not in (docs / "models" / "retrieve.md").read_text()


@pytest.mark.skipif(shutil.which("perl") is None, reason="perl is not installed")
def test_the_perl_example_walks_every_page(docs: Path, loopback: Loopback, tmp_path: Path) -> None:
    dist = _generate(tmp_path / "perl", "perl", "Pager")
    loopback.reply(*CASE.replies(loopback.url))
    run = subprocess.run(
        ["perl", f"-I{dist / 'lib'}", "-e", pages(docs / "files" / "list.md")["Perl"]],
        capture_output=True, text=True, timeout=60,
        env={**os.environ, "PAGER_API_KEY": "sk-docs", "PAGER_BASE_URL": loopback.url + "/v1"},
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == CASE.ids
    assert [path for path, _ in sent(loopback.requests)] == ["/v1/files"] * 3


def test_the_typescript_example_walks_every_page(docs: Path, loopback: Loopback, tmp_path: Path) -> None:
    require_node()
    package = build_package(_generate(tmp_path / "src", "typescript", "pager-sdk"), tmp_path / "pager-sdk")
    code = pages(docs / "files" / "list.md")["TypeScript"].replace(
        "console.log(file)", "console.log(file.id)"
    )
    app = make_app(tmp_path / "app", {"pager-sdk": package}, {"example.ts": code})
    compile_app(app)
    loopback.reply(*CASE.replies(loopback.url))
    run = node(app, "example.js", env={"PAGER_API_KEY": "sk-docs", "PAGER_BASE_URL": loopback.url + "/v1"})
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == CASE.ids
    assert len(loopback.requests) == 3
