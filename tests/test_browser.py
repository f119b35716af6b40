"""One real browser: `streamlit run` on a free port, headless Debian Chromium driven by Playwright.

Each page loads through the app's navigation, a plotly chart draws, the map draws its
countries offline, no console error appears, and no request leaves localhost.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from dashboard.registry import PAGES
from store.auth import hash_password

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
#: Milliseconds to wait for a page element: generous, since a two-core CI machine may be busy.
TIMEOUT = 60_000

if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError("CI must install Debian chromium (.ci/run does) for the browser test")
    pytest.skip("Debian chromium is not installed (apt-get install chromium)", allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


PASSWORD = "browser-test-password"


@contextlib.contextmanager
def _serve(home: Path, prepare: Callable[[str], None] | None = None) -> Iterator[str]:
    """`streamlit run` on a free port over a store in ``home`` (seeded, then ``prepare(database_url)``)."""
    port = _free_port()
    env = {
        **os.environ,
        "EUTF_DATABASE_URL": f"sqlite:///{home / 'browser.sqlite'}",
        "EUTF_ANALYST_PASSWORD_HASH": hash_password(PASSWORD, iterations=1000),
        "EUTF_ANALYST_NAME": "Browser test",
    }
    # seed the store (the Mali workbook and the public exports) before the server starts, as
    # `python -m cli` does, so that no test waits for a first session's seeding
    subprocess.run([sys.executable, "-m", "cli", "datasets"], cwd=ROOT, env=env, check=True, capture_output=True)
    if prepare is not None:
        prepare(env["EUTF_DATABASE_URL"])
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
        env=env,
        stdout=(home / "server.log").open("w"),
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
        raise RuntimeError("streamlit did not start: " + (home / "server.log").read_text()[-2000:])
    try:
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with _serve(tmp_path_factory.mktemp("browser")) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def _settle(page) -> None:
    """Wait until the page is drawn: no status widget, no stale element, no skeleton placeholder.

    A fixed pause is not enough on a loaded two-core machine: a rerun can take seconds.
    """
    page.wait_for_timeout(500)
    page.wait_for_function(
        """() => !document.querySelector('[data-testid="stStatusWidget"]')
                 && !document.querySelector('[data-stale="true"]')
                 && !document.querySelector('[data-testid="stSkeleton"]')""",
        timeout=60_000,
        polling=250,
    )
    page.wait_for_timeout(300)


def _download(page, button):
    """Click a download button and return the download.

    Streamlit builds a deferred download's data on click, from the id that the last run gave
    the button: a click that lands while a rerun replaces that id starts nothing. On a loaded
    two-core machine that happens now and then, so the click is retried (up to 3 times) after
    the page settles; a button that never downloads still fails the test.
    """
    for attempt in range(3):
        try:
            with page.expect_download(timeout=TIMEOUT // 2) as info:
                button.click()
            return info.value
        except Exception:  # playwright's TimeoutError: no download started
            if attempt == 2:
                raise
            _settle(page)
    raise AssertionError("unreachable")


def _watch(page):
    """Collect requests that leave localhost and errors (console errors, pageerrors, HTTP >= 400).

    Ignored: the 404s of Streamlit's base-path probe when a deep link is opened
    (``/<page>/_stcore/health`` and ``/<page>/_stcore/host-config``), a Streamlit behaviour
    described in the README, and the console lines that echo them.
    """
    outside, errors = [], []
    local = ("http://127.0.0.1", "http://localhost", "data:", "blob:", "about:")
    probe = re.compile(r"/[^/]+/_stcore/(health|host-config)$")
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(local) else None)
    page.on(
        "response",
        lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 and not probe.search(r.url) else None,
    )
    page.on(
        "console",
        lambda m: (
            errors.append(m.text) if m.type == "error" and not m.text.startswith("Failed to load resource") else None
        ),
    )
    page.on("pageerror", lambda e: errors.append(str(e)))
    return outside, errors


def test_every_page_draws_offline(server, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1600})
    outside, errors = _watch(page)
    page.goto(server)
    page.wait_for_selector("[data-testid=stMetricValue]", timeout=TIMEOUT)
    assert page.locator("[data-testid=stMetricValue]").first.inner_text() == "€145.1M"
    chart_pages = {"overview", "themes", "regions", "rounds", "timeline", "results"}
    for spec in (s for s in PAGES if s.visible):
        before = page.locator("h1").first.inner_text()
        page.locator("[data-testid=stSidebarNav] a", has_text=spec.title).first.click()
        if spec.url_path != "overview":  # the app opens on the overview
            page.wait_for_function(
                "(before) => document.querySelector('h1') && document.querySelector('h1').innerText !== before",
                arg=before,
                timeout=TIMEOUT,
            )
        if spec.url_path in chart_pages:
            page.wait_for_selector(".js-plotly-plot .main-svg", timeout=TIMEOUT)
        if spec.url_path == "regions":
            page.wait_for_function(
                "document.querySelectorAll('.js-plotly-plot .choroplethlocation').length >= 9", timeout=TIMEOUT
            )
    assert outside == [], f"requests left localhost: {outside}"
    assert errors == [], f"console errors: {errors}"
    page.close()


def test_language_and_filters_from_the_url(server, browser):
    from playwright.sync_api import expect

    page = browser.new_page()
    page.goto(f"{server}/?lang=fr&scope=national")
    total = page.locator("[data-testid=stMetric]", has_text="Total alloué").locator("[data-testid=stMetricValue]")
    expect(total).to_have_text("91,5\u00a0M€", timeout=TIMEOUT)
    page.close()


def test_french_through_the_url_and_filters_by_keyboard(server, browser):
    """``?lang=fr``: French title, menu and numbers; a filter is reached, opened and set with the keyboard only."""
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1400, "height": 1600})
    outside, errors = _watch(page)
    page.goto(f"{server}/?lang=fr")
    expect(page.locator("h1")).to_have_text(
        "Allocations du FFUE derrière le dialogue de haut niveau Mali–UE sur la migration", timeout=TIMEOUT
    )
    total = page.locator("[data-testid=stMetric]", has_text="Total alloué").locator("[data-testid=stMetricValue]")
    expect(total).to_have_text("145,1\u00a0M€", timeout=TIMEOUT)
    expect(page.locator("[data-testid=stSidebarNav]")).to_contain_text("Vue d’ensemble")
    expect(page.locator("[data-testid=stSidebarNav]")).to_contain_text("Sources et méthode")
    expect(page).to_have_title(re.compile("Vue d’ensemble"))
    _settle(page)
    # keyboard only: Tab from the language switch to the "Portée" (scope) filter, open it, choose an option
    page.locator("[data-testid=stSidebar] input[type=radio]").first.focus()
    in_scope = "() => !!document.activeElement.closest('[data-testid=stMultiSelect]')?.innerText.includes('Portée')"
    for _ in range(40):
        if page.evaluate(in_scope):
            break
        page.keyboard.press("Tab")
    assert page.evaluate(in_scope), "the scope filter is reachable with Tab"
    page.keyboard.press("ArrowDown")  # opens the list on its first option, National (no "Select all": select_all=False)
    expect(page.get_by_role("option", name="National")).to_be_visible(timeout=10_000)
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    expect(total).to_have_text("91,5\u00a0M€", timeout=TIMEOUT)
    assert "scope=national" in page.url
    assert outside == []
    assert errors == [], errors
    page.close()


def test_analyst_uploads_through_the_file_input_and_publishes(server, browser, tmp_path):
    """An analyst uploads a workbook with one changed amount: version 2, and the Overview shows it."""
    from openpyxl import load_workbook
    from playwright.sync_api import expect

    from etl.catalog import ALLOCATIONS_XLSX

    wb = load_workbook(ALLOCATIONS_XLSX)
    wb["Allocations"]["I5"] = 13_500_000  # T05-EUTF-SAH-ML-04: 13 000 000 -> 13 500 000
    changed = tmp_path / "allocations_update.xlsx"
    wb.save(changed)
    page = browser.new_page(viewport={"width": 1400, "height": 2400})
    outside, errors = _watch(page)
    page.goto(server)
    page.wait_for_selector("[data-testid=stMetricValue]", timeout=TIMEOUT)
    page.locator("[data-testid=stSidebarNav] a", has_text="Upload").first.click()
    page.get_by_text("Uploading and publishing need the analyst role").wait_for(timeout=TIMEOUT)
    _settle(page)
    password = page.locator("input[type=password]")
    password.fill(PASSWORD)
    page.wait_for_timeout(500)
    expect(password).to_have_value(PASSWORD)  # not reset by a late rerun
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_selector("input[type=file]", state="attached", timeout=TIMEOUT)
    page.set_input_files("input[type=file]", str(changed))
    page.get_by_text("2 warnings").first.wait_for(timeout=TIMEOUT)
    page.get_by_text("€500,000").first.wait_for(timeout=TIMEOUT)
    page.get_by_label("Comment (why this version)").fill("ML-04 top-up")
    page.keyboard.press("Enter")
    _settle(page)  # Enter reran the script: a tick during that run could be lost
    acknowledged = page.get_by_role("checkbox", name="I have read the 2 warnings")
    publish = page.get_by_role("button", name="Publish as version 2")
    for _ in range(3):
        if not acknowledged.is_checked():
            page.get_by_text("I have read the 2 warnings").click()
        _settle(page)
        if publish.is_enabled():
            break
    expect(publish).to_be_enabled(timeout=TIMEOUT)
    publish.click()
    page.get_by_text("Published version 2").wait_for(timeout=TIMEOUT)
    page.locator("[data-testid=stSidebarNav] a", has_text="Overview").first.click()
    page.get_by_text("€145.6M").first.wait_for(timeout=TIMEOUT)
    assert outside == []
    assert errors == [], errors
    page.close()


def test_manager_downloads_exactly_the_filtered_table(server, browser, tmp_path):
    """Mali national projects approved in 2016: French Excel CSV and XLSX hold the rows and totals on screen."""
    import csv
    import io

    import openpyxl

    from domain.fmt import meur

    page = browser.new_page(viewport={"width": 1400, "height": 2000}, accept_downloads=True)
    outside, errors = _watch(page)
    page.goto(f"{server}/explorer?scope=national&country=ML&approved_from=2016-01-01&approved_to=2016-12-31")
    page.get_by_text("Download exactly this table").wait_for(timeout=TIMEOUT)
    _settle(page)
    on_screen = page.locator("[data-testid=stMetricValue]").nth(1).inner_text()  # "Total shown"
    assert page.locator("[data-testid=stMetricValue]").first.inner_text() == "6"
    download = _download(page, page.get_by_role("button", name="CSV (French Excel)"))
    assert download.suggested_filename.endswith("_excel-fr.csv")
    download.save_as(tmp_path / "fr.csv")
    data = (tmp_path / "fr.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 7
    amount = rows[0].index("Montant UE (EUR)")
    total = sum(int(r[amount]) for r in rows[1:])
    assert meur(total, "en") == on_screen  # 91 500 000 EUR, or more once another test published a top-up
    _settle(page)  # the click reran the script
    _download(page, page.get_by_role("button", name="Excel (.xlsx)")).save_as(tmp_path / "x.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "x.xlsx")
    assert wb["Allocations"].max_row == 7
    about = {r[0]: r[1] for r in wb["About"].iter_rows(min_row=2, values_only=True) if r[0]}
    assert about["Version"].startswith("v")
    assert about["Total (EUR)"] == total
    assert "Scope: National" in about["Filters"]
    assert about["Sources"].startswith("European Commission")
    # the chart toolbar's camera button saves an image
    page.locator("[data-testid=stSidebarNav] a", has_text="Themes").first.click()
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=TIMEOUT)
    _settle(page)
    page.locator(".js-plotly-plot").first.hover()
    with page.expect_download(timeout=TIMEOUT) as info:
        page.locator(".js-plotly-plot").first.locator("button.modebar-btn[data-title^='Download plot']").click()
    assert info.value.suggested_filename == "eutf-objectives.png"
    assert outside == []
    assert errors == [], errors
    page.close()


def test_clicking_a_bar_opens_the_rows_behind_it(server, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1600})
    outside, errors = _watch(page)
    page.goto(server)
    page.wait_for_selector("[data-testid=stMetricValue]", timeout=TIMEOUT)
    page.locator("[data-testid=stSidebarNav] a", has_text="Themes").first.click()
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=TIMEOUT)
    _settle(page)
    bar = page.locator(".js-plotly-plot").first.locator(".point path").nth(2)  # objective 3
    box = bar.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url("**/explorer?*objective=3*", timeout=TIMEOUT)
    page.get_by_text("Opened from the strategic-objective chart").wait_for(timeout=TIMEOUT)
    assert page.locator("[data-testid=stMetricValue]").first.inner_text() == "2"
    assert outside == []
    assert errors == [], errors
    page.close()


def test_dataset_switch_drill_to_contracts_and_export(server, browser, tmp_path):
    """Switch to the decisions-and-contracts dataset in the sidebar, open a decision's contracts, export."""
    import csv
    import io

    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1400, "height": 2000}, accept_downloads=True)
    outside, errors = _watch(page)
    page.goto(server)
    # the first session of a fresh server seeds the store, the public exports included
    page.wait_for_selector("[data-testid=stMetricValue]", timeout=120_000)
    _settle(page)
    page.locator("[data-testid=stSidebar] [data-testid=stSelectbox]", has_text="Dataset").click()
    page.get_by_role("option", name="EUTF decisions and contracts — Dec 2021").click()
    total = page.locator("[data-testid=stMetric]", has_text="Total allocated").locator("[data-testid=stMetricValue]")
    expect(total).to_have_text("€5.20bn", timeout=TIMEOUT)
    expect(page.locator("h1")).to_contain_text("EUTF decisions and contracts — Dec 2021")
    assert "dataset=eutf-decisions-and-contracts-dec-2021" in page.url
    _settle(page)
    page.goto(f"{server}/project?ref=T05-EUTF-HOA-SO-03&dataset=eutf-decisions-and-contracts-dec-2021")
    page.get_by_text("Contracts under this decision").wait_for(timeout=TIMEOUT)
    expect(page.get_by_text("12 contracts")).to_be_visible()
    page.goto(f"{server}/explorer?dataset=eutf-decisions-and-contracts-dec-2021&window=NOA")
    page.get_by_text("Download exactly this table").wait_for(timeout=TIMEOUT)
    _settle(page)
    download = _download(page, page.get_by_role("button", name="CSV (standard)"))
    assert download.suggested_filename.startswith("eutf-decisions-and-contracts-dec-2021_v1")
    download.save_as(tmp_path / "noa.csv")
    text = (tmp_path / "noa.csv").read_text(encoding="utf-8-sig")
    assert "Contracted (EUR)" in text.splitlines()[0]
    rows = list(csv.DictReader(io.StringIO(text)))
    decisions = [r for r in rows if r["Record type"] == "decision"]
    contracts = [r for r in rows if r["Record type"] == "contract"]
    assert len(decisions) == 40  # the 40 NOA decisions, each followed by its contracts as rows
    assert len(contracts) == len(rows) - 40 > 0
    assert {r["Parent decision"] for r in contracts} <= {r["Reference"] for r in decisions}
    assert outside == []
    assert errors == [], errors
    page.close()


def test_overview_by_its_name_opens_without_a_page_not_found(server, browser):
    """``/overview`` (the menu's name for the first page) opens the Overview with the link's values, no modal."""
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    outside, errors = _watch(page)
    page.goto(f"{server}/overview?scope=regional&lang=fr")  # regional: the upload test's top-up is national
    total = page.locator("[data-testid=stMetric]", has_text="Total alloué").locator("[data-testid=stMetricValue]")
    expect(total).to_have_text("53,6\u00a0M€", timeout=TIMEOUT)
    _settle(page)
    expect(page.get_by_text("Page not found")).to_have_count(0)
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(page.locator("h1")).to_have_text(
        "Allocations du FFUE derrière le dialogue de haut niveau Mali–UE sur la migration"
    )
    assert "scope=regional" in page.url
    assert "lang=fr" in page.url
    assert outside == []
    assert errors == [], errors
    page.close()


def test_enter_in_the_country_filter_picks_one_country(server, browser):
    """Typing "Mali" then Enter selects Mali only, not Mali and Somalia (``select_all=False``)."""
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1400, "height": 1600})
    outside, errors = _watch(page)
    page.goto(f"{server}/explorer?dataset=eutf-portfolio-jan-2022")
    page.get_by_text("Download exactly this table").wait_for(timeout=TIMEOUT)
    _settle(page)
    country = page.locator("[data-testid=stSidebar] [data-testid=stMultiSelect]", has_text="Country")
    country.locator("input").click()
    page.keyboard.type("Mali")
    expect(page.get_by_role("option", name="SO – Somalia")).to_be_visible(timeout=10_000)  # both match
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    page.wait_for_url("**country=ML*", timeout=TIMEOUT)
    _settle(page)
    assert "country=SO" not in page.url
    chosen = country.locator(".react-aria-ComboBox [data-tag]")
    expect(chosen).to_have_count(1)
    expect(chosen).to_have_text("ML – Mali")
    assert outside == []
    assert errors == [], errors
    page.close()


def test_a_password_sign_in_survives_a_reload_and_a_sign_out_ends_it(server, browser):
    """Issue 15: sign-in was lost on every reload of /upload. A signed cookie keeps it; Sign out clears it."""
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1400, "height": 1400})
    outside, errors = _watch(page)
    page.goto(f"{server}/upload")
    page.get_by_text("Uploading and publishing need the analyst role").wait_for(timeout=TIMEOUT)
    _settle(page)
    password = page.locator("input[type=password]")
    password.fill(PASSWORD)
    page.wait_for_timeout(500)
    expect(password).to_have_value(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("Signed in as analyst").wait_for(timeout=TIMEOUT)
    page.wait_for_function("() => document.cookie.includes('eutf_analyst=')", timeout=TIMEOUT)
    assert PASSWORD not in page.evaluate("() => document.cookie")  # a signed token, never the password
    page.reload()
    page.get_by_text("Signed in as analyst").wait_for(timeout=TIMEOUT)  # still signed in after the reload
    _settle(page)
    page.get_by_role("button", name="Sign out").click()
    page.get_by_text("Uploading and publishing need the analyst role").wait_for(timeout=TIMEOUT)
    page.wait_for_function("() => !document.cookie.includes('eutf_analyst=')", timeout=TIMEOUT)
    page.reload()
    page.get_by_text("Uploading and publishing need the analyst role").wait_for(timeout=TIMEOUT)
    assert outside == []
    assert errors == [], errors
    page.close()


def _publish_sectors(url: str) -> None:
    """Version 2 of the Mali dataset: the IATI file of tests/test_sectors.py, with its DAC sectors."""
    from store.db import make_engine
    from store.versions import Store
    from tests.test_sectors import FILE
    from validation.pipeline import load_bytes

    result = load_bytes(FILE, "sectors.xml")
    Store(make_engine(url)).publish(
        result.dataset.records,
        base=1,
        by="test",
        file_name="sectors.xml",
        file_sha256=result.sha256,
        sectors=result.sectors,
    )


@pytest.mark.parametrize(
    ("lang", "title", "rule"),
    [("en", "By DAC sector", "Split rule"), ("fr", "Par secteur CAD", "Règle de répartition")],
)
def test_the_dac_sector_chart_reads_well(tmp_path, browser, lang, title, rule):
    """Screenshot check: the sector chart draws its bars, names them from the codelist, and its rule is beside it."""
    with _serve(tmp_path, _publish_sectors) as base:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        outside, errors = _watch(page)
        page.goto(f"{base}/themes?lang={lang}")
        chart = page.locator(".js-plotly-plot", has_text=title).first
        chart.wait_for(timeout=TIMEOUT)
        _settle(page)
        chart.scroll_into_view_if_needed()
        shot = chart.screenshot()
        (tmp_path / f"sectors_{lang}.png").write_bytes(shot)
        assert len(shot) > 10_000  # drawn, not blank
        text = chart.inner_text()
        assert "15190" in text
        assert "16020" in text
        assert ("No DAC sector given" if lang == "en" else "Aucun secteur CAD indiqué") in text
        # five bars' worth of labels, none cut: every label's box lies inside the chart
        box = chart.bounding_box()
        for label in page.locator(".js-plotly-plot .ytick text").all():
            b = label.bounding_box()
            if b is not None and b["y"] >= box["y"] and b["y"] <= box["y"] + box["height"]:
                assert b["x"] >= box["x"] - 1, "a bar label is cut at the left"
        assert page.get_by_text(rule).count() >= 1
        assert outside == [], f"requests left localhost: {outside}"
        assert errors == [], f"console errors: {errors}"
        page.close()


def test_the_explorers_iati_download_writes_the_stored_sectors(tmp_path, browser):
    """The Explorer's IATI (.xml) download of a version published from an IATI file carries its DAC sectors back."""
    from lxml import etree

    with _serve(tmp_path, _publish_sectors) as base:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        outside, errors = _watch(page)
        page.goto(f"{base}/explorer?lang=en")
        page.get_by_role("button", name="IATI (.xml)").wait_for(timeout=TIMEOUT)
        _settle(page)
        _download(page, page.get_by_role("button", name="IATI (.xml)")).save_as(tmp_path / "x.xml")
        root = etree.parse(str(tmp_path / "x.xml")).getroot()
        by_activity = {
            a.findtext("iati-identifier"): [
                (s.get("vocabulary"), s.get("code"), s.get("percentage")) for s in a.iter("sector")
            ]
            for a in root.iter("iati-activity")
        }
        mali = next(v for k, v in by_activity.items() if k.endswith("T05-EUTF-SAH-ML-04"))
        assert mali == [("1", "15190", "60"), ("1", "16020", "40"), ("2", "152", None)]
        assert outside == [], f"requests left localhost: {outside}"
        assert errors == [], f"console errors: {errors}"
        page.close()
