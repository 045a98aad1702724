"""Pagination in the generated Perl client (tests/typescript/pagination/spec.yaml, a list per scheme).

Real perl against the loopback server: `list_X_iter` returns an iterator that walks every page, and
`list_X_all` every item at once, through each scheme's cases of tests/support/paging.py (three pages,
an empty last page, `has_more` without items, repeated cursors, a next URL, the `Link` header); an error
on page two dies with the client's error after the items before it; a page whose body is cut short is
retried as a connection failure, and dies as one once the retries are spent.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from generator.naming import snake, split_words
from generator.pipeline import generate
from generator.targets.base import Job
from generator.write import write
from tests.conftest import ROOT
from tests.support.loopback import Loopback
from tests.support.paging import CASES, SPEC, Case, faulty_page_two, sent

pytestmark = pytest.mark.skipif(shutil.which("perl") is None, reason="perl is not installed")

WALK = r"""
use strict; use warnings;
use JSON::PP;
use Pager;
my ($sub, $how, $params) = @ARGV;
my $client = Pager->new(api_key => 'sk-perl', base_url => $ENV{BASE_URL}, max_retries => $ENV{RETRIES} || 0);
my $args = JSON::PP->new->decode($params);
my (@ids, %out);
eval {
    if ($how eq 'iter') {
        my $next = $client->${\ "${sub}_iter"}($args);
        while (defined(my $item = $next->())) { push @ids, $item->{id} }
    }
    else {
        push @ids, map { $_->{id} } @{ $client->${\ "${sub}_all"}($args) };
    }
    1;
} or do { $out{error} = [ref $@, $@->status]; $out{message} = $@->message if $ENV{RETRIES} };
$out{ids} = \@ids;
print JSON::PP->new->canonical->encode(\%out);
"""


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = tmp_path_factory.mktemp("perl-pagination")
    job = Job(spec=SPEC, target="perl", out="x", package_name="Pager", root=str(ROOT))
    write(where, generate(job).files)
    return where


def walk(dist: Path, loopback: Loopback, case: Case, how: str, retries: int = 0) -> dict[str, Any]:
    loopback.reply(*case.replies(loopback.url))
    sub = snake(split_words(case.op_id))
    run = subprocess.run(
        ["perl", f"-I{dist / 'lib'}", "-e", WALK, sub, how, json.dumps(case.params or {})],
        capture_output=True, text=True, timeout=60, env={**os.environ, "BASE_URL": loopback.url + "/v1", "RETRIES": str(retries)},
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    return dict(json.loads(run.stdout))


@pytest.mark.parametrize("how", ["iter", "all"])
@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_the_walkers_go_through_every_page(dist: Path, loopback: Loopback, case: Case, how: str) -> None:
    out = walk(dist, loopback, case, how)
    if case.error is None:
        assert out == {"ids": case.ids}
    else:  # `_all` gives nothing when a page fails; the iterator gave the items before it
        assert out == {"ids": case.ids if how == "iter" else [], "error": ["Pager::Error", case.error]}
    assert sent(loopback.requests) == case.requests
    assert {r.header("authorization") for r in loopback.requests} == {"Bearer sk-perl"}


@pytest.mark.parametrize("drop", [False, True], ids=["cut", "drop"])
@pytest.mark.parametrize("how", ["iter", "all"])
def test_a_page_cut_short_is_retried_then_dies_as_a_connection_error(
    dist: Path, loopback: Loopback, how: str, drop: bool
) -> None:
    # HTTP::Tiny sends a GET once more itself when the connection breaks mid-answer: two requests a try
    failing = faulty_page_two(tries=2, then_whole=False, per_try=2, drop=drop)
    out = walk(dist, loopback, failing, how, retries=1)
    assert out.pop("message", "").startswith("Connection error: "), out
    assert out == {"ids": failing.ids if how == "iter" else [], "error": ["Pager::Error", None]}
    assert sent(loopback.requests) == failing.requests
    loopback.requests.clear()
    recovering = faulty_page_two(tries=1, then_whole=True, per_try=2, drop=drop)
    assert walk(dist, loopback, recovering, how, retries=1) == {"ids": recovering.ids}
    assert sent(loopback.requests) == recovering.requests


def test_the_pod_shows_the_walkers(dist: Path) -> None:
    module = dist / "lib" / "Pager.pm"
    if shutil.which("podchecker") is not None:
        check = subprocess.run(["podchecker", str(module)], capture_output=True, text=True)
        assert check.returncode == 0 and "WARNING" not in check.stderr, check.stderr
    pod = module.read_text().split("__END__", 1)[1]
    assert "my $next = $client->list_files_iter({ ... });" in pod
    assert "my $items = $client->list_files_all({ ... });" in pod
    assert "list_models_iter" in pod and "retrieve_model_iter" not in pod
