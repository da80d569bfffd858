"""The HTML relations report: content, escaping of hostile article text, offline rendering in Chromium."""

from __future__ import annotations

import json
import re
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from pipeline import report
from tests.test_analytics import EVENTS, make_warehouse

DAY = date(2025, 8, 20)
XSS = "<script>alert(1)</script>"
EVIL_ACTOR = "</script><img src=x onerror=alert(4)>"
HOSTILE = ("x1", "a9", "2025-08-20", "2025-08-20", "USA", "CHN", "042", 1, 2.0, 1, 5)
RUN = dict(
    run_id="cli-2025-08-20-abcd",
    day=DAY,
    started_at=datetime(2025, 8, 20, 6, tzinfo=UTC),
    status="validation_failed",
    trigger="cli",
    files=4,
    articles=3,
    events=4,
    quarantined=2,
    duplicates=1,
    validation_success=False,
    failed_expectations='["goldstein within [-10, 10]"]',
    timings='{"ingest": 0.4, "extract": 2.5}',
)
QUARANTINE = [
    ("landing/2025-08-20/a.bin", "binary", "NUL bytes", None, datetime(2025, 8, 20, tzinfo=UTC), DAY),
    ("landing/2025-08-20/b.bin", "binary", "NUL bytes", None, datetime(2025, 8, 20, tzinfo=UTC), DAY),
    ("landing/2025-08-20/c.json", "malformed_json", "line 1", None, datetime(2025, 8, 20, tzinfo=UTC), DAY),
]


def analytics_con(settings):
    from pipeline.load import connect

    return connect(settings)


def hostile_warehouse(settings) -> None:
    """The hand-made events plus one article whose evidence, title and URL are hostile."""
    from pipeline.load import connect

    make_warehouse(settings, EVENTS + [HOSTILE], runs=[RUN], quarantine=QUARANTINE)
    with connect(settings) as con:
        con.execute(
            "UPDATE events SET evidence = ?, trigger = 'warned' WHERE event_id = 'x1'",
            [f"The US warned China {XSS} & <b>bold</b> on Tuesday."],
        )
        con.execute(
            "UPDATE articles SET title = '<img src=x onerror=alert(2)>', url = 'javascript:alert(3)' "
            "WHERE article_id = 'a9'"
        )


def test_report_files_header_and_sections(settings):
    hostile_warehouse(settings)
    path = report.build_report(settings)
    assert path == settings.relations_reports / "relations-2025-08-20.html"
    page = path.read_text(encoding="utf-8")
    assert "country relations · 2025-08-20" in page
    for section in ('id="dyads"', 'id="timelines"', 'id="matrix"', 'id="quality"', 'id="events"'):
        assert section in page
    # data quality: the run, its failed validation, quarantine by reason, relative Data Docs link
    assert "cli-2025-08-20-abcd" in page and "goldstein within [-10, 10]" in page
    assert re.search(r"<td>binary</td><td class=\"num\">2</td>", page)
    assert 'href="../data_docs/index.html"' in page
    # the day's events (3 loaded on 08-20, incl. the hostile one), trigger highlighted
    assert page.count('<td class="evidence">') == 3
    assert "RUS <mark>trigger-190</mark> UKR." in page
    assert 'href="index.html"' in page  # back to the list of days


def test_plotly_js_is_written_once_beside_the_pages(settings):
    make_warehouse(settings)
    pages = [report.build_report(settings, d) for d in (date(2025, 7, 1), date(2025, 7, 15), DAY)]
    assets = sorted(p.name for p in settings.relations_reports.glob("*.js"))
    assert assets == [report.plotly_js_name()]
    from plotly.offline import get_plotlyjs

    js = (settings.relations_reports / assets[0]).read_text(encoding="utf-8")
    assert js.strip() == get_plotlyjs().strip()
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert f'<script src="{assets[0]}"></script>' in text  # relative: the folder works anywhere
        assert get_plotlyjs()[:300] not in text and page.stat().st_size < 200_000


def chart_data(page: Path) -> dict:
    text = page.read_text(encoding="utf-8")
    m = re.search(r'<script type="application/json" id="chart-data">(.*?)</script>', text, re.S)
    assert m
    return json.loads(m.group(1))


ARCHIVE_DAY = date(2025, 8, 21)
#: An archive landed on 2025-08-21: its articles report events from 1987-2006.
ARCHIVE = [
    ("h1", "h1", "2025-08-21", "1987-12-08", "USA", "RUS", "057", 2, 8.0, 1, 0),
    ("h2", "h1", "2025-08-21", "1995-03-01", "FRA", "DEU", "042", 1, 2.0, 1, 1),
    ("h3", "h2", "2025-08-21", "2006-10-09", "JPN", "PRK", "111", 3, -2.0, 1, 0),
    ("h4", "h2", "2025-08-21", "2006-10-09", "USA", "PRK", "163", 4, -8.0, 1, 1),
]


def test_report_charts_follow_the_events_own_dates(settings):
    """A day of archive articles: the page opens on 1987-2006, where its events are, not on the ingest day."""
    make_warehouse(settings, EVENTS + ARCHIVE)
    page = report.build_report(settings, ARCHIVE_DAY)
    text = page.read_text(encoding="utf-8")
    assert "This day's events are dated 1987-12-08 – 2006-10-09" in text
    data = chart_data(page)
    assert data["initial"] == "day" and data["presets"]["day"] == ["1987-12-08", "2006-10-09"]
    assert data["presets"]["all"] == ["1987-12-08", "2025-08-20"]
    assert data["resolution"] == "day"
    in_window = [r for r in data["rows"] if "1987-12-08" <= r[0] <= "2006-10-09"]
    assert sum(r[3] for r in in_window) == 4  # exactly the day's four events
    assert sum(r[3] for r in data["rows"]) == 10 + 4  # every relation event of the warehouse, deduplicated


def test_large_warehouses_coarsen_the_chart_dates(settings, monkeypatch):
    make_warehouse(settings)
    monkeypatch.setattr(report, "MAX_CHART_ROWS", 8)  # 9 (day, dyad) rows, 8 (month, dyad) rows
    data = chart_data(report.build_report(settings))
    assert data["resolution"] == "month" and {r[0] for r in data["rows"]} == {"2025-07-01", "2025-08-01"}
    assert sum(r[3] for r in data["rows"]) == 10


def test_index_lists_the_days_that_have_data(settings):
    runs = [
        {**RUN, "run_id": "r-empty", "day": date(2025, 8, 22), "status": "empty", "validation_success": True},
        {**RUN, "run_id": "r-old", "day": DAY, "status": "loaded", "validation_success": True,
         "started_at": datetime(2025, 8, 19, tzinfo=UTC)},
    ]
    make_warehouse(settings, EVENTS + ARCHIVE, runs=runs)
    newest = report.build_report(settings)  # the newest day is the one without events
    assert newest.name == "relations-2025-08-22.html"
    report.build_report(settings, DAY)
    index = (settings.relations_reports / "index.html").read_text(encoding="utf-8")
    listed = re.findall(r'<section id="days">.*?</section>', index, re.S)[0]
    days_with_data = re.findall(r"<tr>\s*<td>(?:<a href=\"[^\"]+\">)?(\d{4}-\d{2}-\d{2})", listed)
    expected = sorted({r[2] for r in EVENTS + ARCHIVE}, reverse=True)  # every ingest day with events
    assert days_with_data == expected
    assert '<a href="relations-2025-08-20.html">2025-08-20</a>' in listed  # pages that exist are linked
    assert "envoy report --day 2025-08-21" in listed  # a day with data but no page yet says how
    assert "2025-08-22" not in listed
    empty = re.findall(r'<section id="empty-days">.*?</section>', index, re.S)[0]
    assert "2025-08-22" in empty and "empty" in empty
    assert "<script" not in index


def test_report_escapes_hostile_article_text(settings):
    hostile_warehouse(settings)
    page = report.build_report(settings).read_text(encoding="utf-8")
    assert XSS not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in page
    assert "The US <mark>warned</mark> China" in page
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(2)&gt;" in page
    assert "javascript:alert(3)" not in page  # not an http(s) URL: no link at all
    assert 'href="https://news.example/a6"' in page
    # scripts: the shared plotly.js beside the page, the chart data (inert JSON) and the chart script
    scripts = re.findall(r"<script[^>]*>", page)
    assert scripts == [
        f'<script src="{report.plotly_js_name()}">',
        '<script type="application/json" id="chart-data">',
        "<script>",
    ]
    assert not re.search(r"<link\b", page)
    assert not re.search(r"(src|href)=\"(https?:)?//(?!news\.example)", page)


def test_chart_data_cannot_break_out_of_its_script_element(settings):
    make_warehouse(settings, EVENTS + [("z1", "z1", "2025-08-20", "2025-08-20", EVIL_ACTOR, "USA", "042", 1,
                                         2.0, 1, 0)])
    page = report.build_report(settings).read_text(encoding="utf-8")
    assert EVIL_ACTOR not in page and "</script><img" not in page
    data = chart_data(settings.relations_reports / "relations-2025-08-20.html")
    assert any(r[1] == EVIL_ACTOR for r in data["rows"])  # the JSON still carries the exact text


def test_report_with_empty_or_missing_warehouse(settings):
    path = report.build_report(settings)  # no warehouse file at all
    assert path == settings.relations_reports / "index.html"
    page = path.read_text(encoding="utf-8")
    assert "No data yet" in page and "envoy run" in page and "<script" not in page
    assert not settings.warehouse.exists()

    from pipeline.load import connect

    with connect(settings):
        pass  # an empty warehouse with the schema
    page = report.build_report(settings).read_text(encoding="utf-8")
    assert "No data yet" in page and "no loaded events" in page
    assert not list(settings.relations_reports.glob("*.js"))  # no chart, no plotly.js


def test_report_for_a_day_that_failed_validation_before_any_load(settings):
    make_warehouse(settings, events=[], runs=[RUN], quarantine=QUARANTINE)
    path = report.build_report(settings)
    assert path.name == "relations-2025-08-20.html"
    page = path.read_text(encoding="utf-8")
    assert "No events have been loaded yet" in page and 'id="dyads"' not in page
    assert "validation_failed" in page and "goldstein within [-10, 10]" in page
    assert '<span class="pill fail">failed</span>' in page
    index = (settings.relations_reports / "index.html").read_text(encoding="utf-8")
    assert '<a href="relations-2025-08-20.html">2025-08-20</a>' in index and 'id="days"' not in index


def test_report_for_an_older_day(settings):
    make_warehouse(settings)
    latest = report.build_report(settings)
    older = report.build_report(settings, date(2025, 7, 15))
    assert older.name == "relations-2025-07-15.html"
    assert "country relations · 2025-07-15" in older.read_text(encoding="utf-8")
    assert report.day_of(latest) == DAY and report.day_of(settings.relations_reports / "index.html") is None
    assert chart_data(older)["presets"]["day"] == ["2025-07-15", "2025-07-15"]


def test_readme_shows_a_screenshot_of_the_report():
    root = Path(__file__).resolve().parents[1]
    readme = (root / "README.md").read_text(encoding="utf-8")
    images = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", readme)
    assert "docs/img/report.png" in images
    png = (root / "docs" / "img" / "report.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 50_000
    # the evaluate lines: the bundled set's paths exist in a plain clone, the dev set's location is named
    assert (root / "tests" / "data" / "heldout" / "gold.json").is_file()
    assert "../shared/devset/" in readme and re.search(r"not in\s+the repository", readme)


def test_highlight_and_safe_href():
    assert (
        str(report.highlight("Paris Warned <Berlin>", "warned")) == "Paris <mark>Warned</mark> &lt;Berlin&gt;"
    )
    assert str(report.highlight("a <b>", None)) == "a &lt;b&gt;"
    assert str(report.highlight("no trigger here", "absent")) == "no trigger here"
    assert report.safe_href("https://a.example/x") == "https://a.example/x"
    assert report.safe_href("javascript:alert(1)") is None and report.safe_href("data:text/html,x") is None


CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


needs_chromium = pytest.mark.skipif(
    not (CHROMIUM.exists() and CHROMEDRIVER.exists()), reason="needs Debian chromium + chromium-driver"
)


@pytest.fixture
def browser(tmp_path):
    """Headless Chromium with the network blocked: no DNS, every http(s)/ws request refused."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = str(CHROMIUM)
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--host-resolver-rules=MAP * ~NOTFOUND",
        "--proxy-server=127.0.0.1:9",  # nothing listens there: any request that slips through fails
        f"--user-data-dir={tmp_path / 'profile'}",
        "--window-size=1400,2400",
    ):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=opts)
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["http://*", "https://*", "ws://*", "wss://*"]})
    try:
        yield driver
    finally:
        driver.quit()


def open_report(driver, path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get_log("performance")  # drop what the browser's own start-up page asked for
    driver.get(path.as_uri())
    WebDriverWait(driver, 30).until(
        lambda d: len(d.find_elements(By.CSS_SELECTOR, ".js-plotly-plot .main-svg")) >= 3
    )


def loaded_only_local_files(driver) -> list[str]:
    """Every URL the page requested (DevTools network log); anything but file: is returned."""
    sent = [json.loads(e["message"])["message"] for e in driver.get_log("performance")]
    urls = [
        m["params"]["request"]["url"]
        for m in sent
        if m["method"] == "Network.requestWillBeSent"
        and m["params"].get("documentURL", "").startswith("file:")
    ]
    assert any(u.endswith(report.plotly_js_name()) for u in urls), urls  # plotly.js came from the folder
    assert driver.execute_script("return typeof Plotly") == "object"
    return [u for u in urls if not u.startswith(("file:", "data:"))]


def bar_total(driver) -> int:
    return driver.execute_script(
        "return document.getElementById('chart-dyads').data"
        ".reduce((s, t) => s + t.x.reduce((a, b) => a + b, 0), 0)"
    )


@pytest.mark.slow
@needs_chromium
def test_report_renders_offline_in_headless_chromium(settings, browser):
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By

    hostile_warehouse(settings)
    with analytics_con(settings) as con:
        con.execute(
            "INSERT INTO events SELECT * REPLACE (? AS source_actor, 'z1' AS event_id) FROM events "
            "WHERE event_id = 'e10'",
            [EVIL_ACTOR],
        )
    path = report.build_report(settings)
    open_report(browser, path)
    for chart in ("chart-dyads", "chart-timelines", "chart-matrix"):
        assert browser.find_elements(By.CSS_SELECTOR, f"#{chart} .main-svg"), chart
    assert browser.find_elements(By.CSS_SELECTOR, "#chart-dyads .bars path"), "bars drawn"
    assert browser.find_elements(By.CSS_SELECTOR, "#chart-matrix .hm image, #chart-matrix .hm"), "heatmap"
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018 - neither the hostile evidence nor the actor code ran
    cells = [c.text for c in browser.find_elements(By.CSS_SELECTOR, "td.evidence")]
    assert any(XSS in c for c in cells)  # shown as text
    scale = browser.execute_script("return document.getElementById('chart-matrix').data[0].colorscale")
    assert scale[0] == [0, "#67001f"] and scale[-1] == [1, "#053061"]  # -10 red (hostile), +10 blue
    labels = [t.text for t in browser.find_elements(By.CSS_SELECTOR, "#chart-matrix .xtick text")]
    assert EVIL_ACTOR in labels  # the hostile code is a label, as text
    assert loaded_only_local_files(browser) == []
    severe = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert severe == []


@pytest.mark.slow
@needs_chromium
def test_charts_follow_the_events_dates_and_the_range_control(settings, browser):
    """An archive day: the charts open on its 1987-2006 events; the buttons and the date inputs choose
    another range, and every chart follows."""
    from selenium.webdriver.common.by import By

    make_warehouse(settings, EVENTS + ARCHIVE)
    open_report(browser, report.build_report(settings, ARCHIVE_DAY))
    assert browser.execute_script("return document.body.dataset.range") == "1987-12-08..2006-10-09"
    assert bar_total(browser) == 4  # the day's four events, not the 2025 ones
    assert "4 deduplicated events" in browser.find_element(By.ID, "range-summary").text
    years = [t.text for t in browser.find_elements(By.CSS_SELECTOR, "#chart-timelines .xtick text") if t.text]
    assert years and all(re.fullmatch(r"\d{4}", y) for y in years), years  # a 19-year span: yearly ticks

    browser.find_element(By.CSS_SELECTOR, "button[data-preset=all]").click()
    assert bar_total(browser) == 14
    browser.execute_script(
        "const f = document.getElementById('range-from'), t = document.getElementById('range-to');"
        "f.value = '2025-07-01'; t.value = '2025-07-09'; t.dispatchEvent(new Event('change'));"
    )
    assert browser.execute_script("return document.body.dataset.range") == "2025-07-01..2025-07-09"
    assert bar_total(browser) == 4  # USA-CHN 07-01 (two codes), CHN-USA 07-08 and 07-09
    pairs = browser.execute_script("return document.getElementById('chart-dyads').data[0].y")
    assert pairs == ["CHN \u2013 USA"]
    browser.execute_script(
        "const f = document.getElementById('range-from'); f.value = '2001-01-01';"
        "const t = document.getElementById('range-to'); t.value = '2001-12-31';"
        "t.dispatchEvent(new Event('change'));"
    )
    assert browser.find_element(By.CSS_SELECTOR, ".empty-range").is_displayed()
    assert not browser.find_element(By.ID, "chart-dyads").is_displayed()
    assert loaded_only_local_files(browser) == []


@pytest.mark.slow
@needs_chromium
def test_a_daily_axis_has_daily_ticks(settings, browser):
    """Three days of points: the Goldstein axis is labelled by day, never by hour."""
    from selenium.webdriver.common.by import By

    make_warehouse(settings)
    open_report(browser, report.build_report(settings, date(2025, 7, 9)))  # events dated 07-08 and 07-09
    browser.execute_script(
        "const f = document.getElementById('range-from'), t = document.getElementById('range-to');"
        "f.value = '2025-07-01'; t.value = '2025-07-09'; t.dispatchEvent(new Event('change'));"
    )
    ticks = [t.text for t in browser.find_elements(By.CSS_SELECTOR, "#chart-timelines .xtick text") if t.text]
    assert ticks and all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", t) for t in ticks), ticks
    assert len(set(ticks)) == len(ticks)
    grain = browser.find_element(By.ID, "timeline-grain").text
    assert grain == "day"


@pytest.mark.slow
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian chromium")
def test_screenshot_script(settings, tmp_path):
    import subprocess

    make_warehouse(settings)
    page = report.build_report(settings)
    out = tmp_path / "shot.png"
    script = Path(__file__).resolve().parents[1] / "scripts" / "screenshot_report.sh"
    proc = subprocess.run(
        ["bash", str(script), str(page), str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and out.stat().st_size > 20_000
    assert shutil.which("bash")


# ---------------------------------------------------------------- the map (issue 13)

EVIL_PLACE = "<img src=x onerror=alert(5)>"


def placed_warehouse(settings) -> None:
    """The hostile warehouse, with places on the day's events: two cities and a hostile place name."""
    hostile_warehouse(settings)
    with analytics_con(settings) as con:
        for eid, name, country, lat, lon in (
            ("e10", "Paris", "FRA", 48.85, 2.35),
            ("e11", "Kharkiv", "UKR", 49.98, 36.25),
            ("x1", EVIL_PLACE, "CHN", 39.9, 116.4),
        ):
            con.execute(
                "UPDATE events SET place_name = ?, place_country = ?, place_latitude = ?,"
                " place_longitude = ?, place_precision = 'city', place_source = 'clause' WHERE event_id = ?",
                [name, country, lat, lon, eid],
            )


def test_the_map_embeds_the_days_places_and_writes_the_base_map_once(settings):
    placed_warehouse(settings)
    path = report.build_report(settings)
    page = path.read_text(encoding="utf-8")
    assert 'id="chart-map"' in page and "3 of 3 event reports" in page
    raw = re.search(r'<script type="application/json" id="map-data">(.*?)</script>', page, re.S).group(1)
    data = json.loads(raw)
    assert sorted(p["name"] for p in data["points"]) == sorted(["Paris", "Kharkiv", EVIL_PLACE])
    assert sorted(c for c, _ in data["countries"]) == ["CHN", "FRA", "UKR"]
    assert EVIL_PLACE not in page  # the JSON is script-safe, the table cell escaped
    geo = settings.relations_reports / report.geo_js_name()
    assert geo.exists() and f'src="{report.geo_js_name()}"' in page
    stamp = geo.stat().st_mtime_ns
    report.build_report(settings)
    assert geo.stat().st_mtime_ns == stamp  # written once, like plotly.js
    assert "<td class=\"place\">Paris, FRA" in page


def test_a_day_without_places_says_so_and_ships_no_base_map(settings):
    hostile_warehouse(settings)
    page = report.build_report(settings).read_text(encoding="utf-8")
    assert "None of the day's events names the place" in page and 'id="map-data"' not in page
    assert not (settings.relations_reports / report.geo_js_name()).exists()


@pytest.mark.slow
@needs_chromium
def test_the_map_renders_offline_in_headless_chromium(settings, browser):
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.support.ui import WebDriverWait

    placed_warehouse(settings)
    open_report(browser, report.build_report(settings))
    drawn = "return document.body.dataset.map"
    WebDriverWait(browser, 30).until(lambda d: d.execute_script(drawn) == "drawn")

    def count(selector: str) -> int:
        return browser.execute_script(f"return document.querySelectorAll('#chart-map {selector}').length")

    assert count(".scattergeo path.point") == 3
    assert count(".choroplethlocation") == 3  # FRA, UKR and CHN, found in the shipped base map by ISO-3
    assert count(".layer.land path") >= 1
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018 - the hostile place name did not run
    assert loaded_only_local_files(browser) == []  # no CDN topojson, no tile server
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []
