"""Data Docs escape what they show (issue 10): a crafted value in the lake never runs in a browser.

Real GE renders the pages; headless Chromium (Debian's) opens them with the network blocked (the
``browser`` fixture of test_report.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import store, validate
from tests.test_report import browser, needs_chromium  # noqa: F401 - the fixture: headless, no network
from tests.test_store import DAY, make_article, make_event, make_settings

HOSTILE = '<img src=x onerror="window.__pwned=1;document.title=\'pwned\'">'
SCRIPT = "<script>window.__pwned=2</script>"

pytestmark = [pytest.mark.slow, needs_chromium]


def test_failing_values_render_as_text_in_headless_chromium(tmp_path: Path, browser) -> None:  # noqa: F811
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By

    s = make_settings(tmp_path)
    events = [make_event(0), make_event(1, source_actor=HOSTILE, evidence=SCRIPT + " text"),
              make_event(2, target_actor=SCRIPT)]
    store.write_table("events", events, s, DAY)
    store.write_table("articles", [make_article(0), make_article(1, publication_date=DAY.replace(year=1066))],
                      s, DAY)
    res = validate.validate_day(s, DAY)
    assert any(HOSTILE in f for f in res.failed)  # the failure names the raw value, for envoy's own output
    pages = sorted((s.data_docs / "validations").rglob("*.html"))
    assert pages
    shown = ""
    for page in pages + [res.docs_index]:
        browser.get(page.as_uri())
        with pytest.raises(NoAlertPresentException):
            browser.switch_to.alert.text  # noqa: B018
        assert browser.execute_script("return window.__pwned") is None, page
        assert "pwned" not in browser.title
        assert browser.execute_script("return document.querySelectorAll('img[onerror]').length") == 0
        shown += browser.find_element(By.TAG_NAME, "body").text
    assert HOSTILE in shown and SCRIPT in shown  # shown to the reviewer, as text


def remote_requests(driver) -> list[str]:
    """Every URL the open page asked for that is not a local file (DevTools network log)."""
    import json

    sent = [json.loads(e["message"])["message"] for e in driver.get_log("performance")]
    urls = [m["params"]["request"]["url"] for m in sent if m["method"] == "Network.requestWillBeSent"]
    assert urls  # the log works: at least the page itself
    return [u for u in urls if not u.startswith(("file:", "data:"))]


def test_data_docs_work_offline_in_headless_chromium(tmp_path: Path, browser) -> None:  # noqa: F811
    """Index, suite and result pages open from file:// with the network blocked: styled by Bootstrap,
    jQuery and bootstrap-table running (the index's lists are built by them, they filter and link), the
    logo from the site itself, and not one request leaves the machine."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    s = make_settings(tmp_path)
    day1 = DAY.replace(day=DAY.day - 1)
    for day in (day1, DAY):
        events = [make_event(0, day=day), make_event(1, day=day, cameo_code="999")]
        store.write_table("events", events, s, day)
        store.write_table("articles", [make_article(0, day=day), make_article(1, day=day)], s, day)
        res = validate.validate_day(s, day)
    results = sorted((s.data_docs / "validations").rglob("*.html"))
    assert len(results) == 2 * len(validate.SUITES)
    suites = sorted((s.data_docs / "expectations").glob("*.html"))
    def loaded(d) -> bool:
        return d.execute_script("return document.readyState") == "complete"

    for page in [res.docs_index, *suites, *results]:
        browser.get_log("performance")
        browser.get(page.as_uri())
        WebDriverWait(browser, 20).until(loaded)
        plugin = browser.execute_script("return window.jQuery && typeof jQuery.fn.bootstrapTable")
        assert plugin == "function", page
        # Bootstrap's stylesheet applies (its navbar is a flex box); the logo is drawn from static/images
        assert browser.execute_script(
            "return getComputedStyle(document.querySelector('nav.navbar')).display") == "flex", page
        logo = browser.find_element(By.CSS_SELECTOR, ".navbar-brand img")
        assert logo.get_attribute("src").startswith("file:") and browser.execute_script(
            "return arguments[0].naturalWidth", logo) > 0
        faces = browser.execute_async_script(  # the icon font loads from static/vendor/fontawesome
            "const done = arguments[arguments.length - 1];"
            "document.fonts.load('900 16px \"Font Awesome 6 Free\"')"
            ".then(f => done(f.length), () => done(0))")
        assert faces > 0, page
        assert remote_requests(browser) == [], page
    # the index: bootstrap-table has built the list of results from its data, one row per result
    browser.get(res.docs_index.as_uri())
    table = "#section-1-content-block-2-1-body-table tbody tr"
    WebDriverWait(browser, 20).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, table)) == len(results))
    search = browser.find_element(By.CSS_SELECTOR, "#Validation-Results .search input")
    search.send_keys("envoy_articles")
    WebDriverWait(browser, 20).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, table)) == 2)
    browser.find_elements(By.CSS_SELECTOR, table)[0].click()  # a row links to its result page
    WebDriverWait(browser, 20).until(lambda d: "/validations/envoy_articles/" in d.current_url)
    # envoy's run table (Jinja2, no JavaScript needed) links every result page
    browser.get(res.docs_index.as_uri())
    runs = browser.find_element(By.ID, "envoy-runs")
    links = [a.get_attribute("href") for a in runs.find_elements(By.TAG_NAME, "a")]
    assert sorted(links) == sorted(p.as_uri() for p in results)
    assert "articles quarantined" in runs.text and day1.isoformat() in runs.text
