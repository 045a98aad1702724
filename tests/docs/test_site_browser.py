"""The HTML reference in a real browser: Debian's headless Chromium driven by Playwright (no browser
download: the system's chromium; `.ci/run` installs it). Pages are opened from disk (file://), offline.

A language tab chosen on one page is the tab the next page opens on; searching `variation` and pressing
Enter opens the operation; the returns tree expands; screenshots (wide, phone width, dark) are saved
under the test's tmp folder; no page logs an error to the console.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, SHARED

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FRAGMENT = ROOT / "generated" / "site"
FULL_SPEC = SHARED / "corpus" / "openai.yaml"
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip

sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright (pip install playwright) is absent")
if not Path(CHROMIUM).is_file():
    pytest.skip(f"chromium is not installed ({CHROMIUM}; apt-get install chromium)", allow_module_level=True)


class Browser:
    """A page of one browser context, with what its pages logged as errors."""

    def __init__(self, context: Any, shots: Path) -> None:
        self.page = context.new_page()
        self.shots = shots
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("requestfailed", lambda r: self.errors.append(f"failed: {r.url}"))

    def open(self, path: Path) -> Any:
        self.page.goto(path.resolve().as_uri())
        self.page.wait_for_load_state("load")
        return self.page

    def shot(self, name: str) -> Path:
        out = self.shots / f"{name}.png"
        self.page.screenshot(path=str(out), full_page=False)
        assert out.stat().st_size > 1000
        return out


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def open_site(browser: Any, tmp_path: Path) -> Iterator[Any]:
    contexts: list[Any] = []

    def make(**options: Any) -> Browser:
        context = browser.new_context(**options)
        context.route("http*://**", lambda route: route.abort())  # offline: nothing leaves the machine
        contexts.append(context)
        return Browser(context, tmp_path)

    yield make
    for context in contexts:
        context.close()


def selected(page: Any, kind: str) -> str:
    return str(page.locator(f'.tabs[data-kind="{kind}"] .tab[aria-selected="true"]').inner_text())


def visible_panel(page: Any, kind: str) -> str:
    return str(page.locator(f'.tabs[data-kind="{kind}"] .panel:not([hidden])').get_attribute("data-lang"))


def test_fragment_site_tabs_search_tree(open_site: Any, tmp_path: Path) -> None:
    b = open_site(viewport={"width": 1280, "height": 900})
    page = b.open(FRAGMENT / "index.html")
    assert page.locator("#sidebar a").count() == 1  # the sidebar, built from site-data.js
    b.shot("index")

    page = b.open(FRAGMENT / "images" / "create_variation.html")
    assert selected(page, "signature") == "curl"
    page.locator('.tabs[data-kind="example"] .tab[data-lang="TypeScript"]').click()
    assert visible_panel(page, "example") == "TypeScript"
    assert visible_panel(page, "signature") == "TypeScript"  # every group on the page follows
    b.shot("typescript-tab")

    page = b.open(FRAGMENT / "schemas" / "ImagesResponse.html")
    page.locator("#sidebar a", has_text="Create image variation").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("images/create_variation.html")
    assert selected(page, "example") == "TypeScript"  # the next page opens on the chosen tab
    assert "client.images.createVariation" in page.locator('.tabs[data-kind="signature"] .panel:not([hidden])').inner_text()

    page = b.open(FRAGMENT / "index.html")
    page.locator("#search").fill("variation")
    first = page.locator("#results a").first
    assert "Create image variation" in first.inner_text()
    b.shot("search")
    page.locator("#search").press("Enter")
    page.wait_for_url("**/images/create_variation.html")

    closed = page.locator(".tree details.node:not([open])").first.element_handle()
    child = closed.query_selector(".children .node")
    assert not child.is_visible()
    closed.query_selector("summary").click()
    assert closed.evaluate("d => d.open") and child.is_visible()
    page.locator("button.expand").click()
    assert page.locator(".tree details.node:not([open])").count() == 0
    b.shot("returns-expanded")
    assert b.errors == []


def test_phone_width_and_dark(open_site: Any) -> None:
    b = open_site(viewport={"width": 390, "height": 844}, color_scheme="dark", is_mobile=True)
    page = b.open(FRAGMENT / "images" / "create_variation.html")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways at phone width ({width}px)"
    assert not page.locator("#sidebar").is_visible()
    page.locator("button.menu").click()
    assert page.locator("#sidebar").is_visible()
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(17, 20, 24)"  # the dark palette
    b.shot("phone-dark")
    assert b.errors == []


@pytest.fixture(scope="module")
def full_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not FULL_SPEC.is_file():
        pytest.skip(f"the corpus is not beside the project ({FULL_SPEC})")
    out = tmp_path_factory.mktemp("openai-site") / "site"
    result = subprocess.run(
        [sys.executable, "-m", "generator", "generate", str(FULL_SPEC), "--target", "site", "--out", str(out),
         "--package-name", "openai", "-q"],
        capture_output=True, text=True, cwd=ROOT, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    return out


@pytest.mark.slow
def test_a_page_of_the_full_spec(open_site: Any, full_site: Path) -> None:
    b = open_site(viewport={"width": 1280, "height": 900})
    page = b.open(full_site / "chat" / "completions" / "create.html")
    assert page.locator("#sidebar a").count() > 250
    assert page.locator('#sidebar a[aria-current="page"]').count() == 1
    page.locator('.tabs[data-kind="example"] .tab[data-lang="Perl"]').click()
    b.shot("full-chat-completions-perl")
    page = b.open(full_site / "images" / "create_variation.html")
    assert selected(page, "example") == "Perl"
    page = b.open(full_site / "index.html")
    page.locator("#search").fill("variation")
    page.locator("#search").press("Enter")
    page.wait_for_url("**/images/create_variation.html")
    b.shot("full-search")
    assert b.errors == []
