"""Data Docs escape what they show (issue 10): a crafted value in the lake never runs in a browser.

Real GE renders the pages; headless Chromium (Debian's) opens them with the network blocked.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import store, validate
from tests.test_store import DAY, make_article, make_event, make_settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
HOSTILE = '<img src=x onerror="window.__pwned=1;document.title=\'pwned\'">'
SCRIPT = "<script>window.__pwned=2</script>"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not (CHROMIUM.exists() and CHROMEDRIVER.exists()), reason="needs Debian chromium + chromium-driver"
    ),
]


def browser(tmp_path: Path):
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
        "--host-resolver-rules=MAP * ~NOTFOUND",  # no network: CDN assets fail, the page must still be safe
        f"--user-data-dir={tmp_path / 'profile'}",
        "--window-size=1400,2400",
    ):
        opts.add_argument(arg)
    return webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=opts)


def test_failing_values_render_as_text_in_headless_chromium(tmp_path: Path) -> None:
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
    driver = browser(tmp_path)
    try:
        shown = ""
        for page in pages + [res.docs_index]:
            driver.get(page.as_uri())
            with pytest.raises(NoAlertPresentException):
                driver.switch_to.alert.text  # noqa: B018
            assert driver.execute_script("return window.__pwned") is None, page
            assert "pwned" not in driver.title
            assert driver.execute_script("return document.querySelectorAll('img[onerror]').length") == 0
            shown += driver.find_element(By.TAG_NAME, "body").text
        assert HOSTILE in shown and SCRIPT in shown  # shown to the reviewer, as text
    finally:
        driver.quit()
