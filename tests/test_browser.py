"""One real browser: `streamlit run` on a free port, headless Debian Chromium driven by Playwright.

Each page loads through the app's navigation, a plotly chart draws, the map draws its
countries offline, no console error appears, and no request leaves localhost.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from dashboard.registry import PAGES

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = pytest.mark.browser

if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError("CI must install Debian chromium (.ci/run does) for the browser test")
    pytest.skip("Debian chromium is not installed (apt-get install chromium)", allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    port = _free_port()
    streamlit = shutil.which("streamlit", path=str(Path(sys.executable).parent)) or "streamlit"
    proc = subprocess.Popen(
        [
            streamlit,
            "run",
            "app.py",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(f"{base}/_stcore/health", timeout=2).read() == b"ok":
                break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        raise RuntimeError("streamlit did not start: " + proc.stdout.read().decode(errors="replace")[-2000:])
    yield base
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def _watch(page):
    outside, errors = [], []
    local = ("http://127.0.0.1", "http://localhost", "data:", "blob:", "about:")
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(local) else None)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return outside, errors


def test_every_page_draws_offline(server, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1600})
    outside, errors = _watch(page)
    page.goto(server)
    page.wait_for_selector("[data-testid=stMetricValue]", timeout=30_000)
    assert page.locator("[data-testid=stMetricValue]").first.inner_text() == "€145.1M"
    for spec in PAGES:
        page.locator("[data-testid=stSidebarNav] a", has_text=spec.title).first.click()
        page.wait_for_selector("h1", timeout=30_000)
        if spec.url_path != "sources":
            page.wait_for_selector(".js-plotly-plot .main-svg", timeout=30_000)
        if spec.url_path == "regions":
            page.wait_for_function(
                "document.querySelectorAll('.js-plotly-plot .choroplethlocation').length >= 9", timeout=30_000
            )
    assert outside == [], f"requests left localhost: {outside}"
    assert errors == [], f"console errors: {errors}"
    page.close()


def test_language_and_filters_from_the_url(server, browser):
    page = browser.new_page()
    page.goto(f"{server}/?lang=fr&scope=National")
    page.wait_for_selector("[data-testid=stMetricValue]", timeout=30_000)
    assert page.locator("[data-testid=stMetricValue]").first.inner_text() == "91,5\u00a0M€"
    page.close()
