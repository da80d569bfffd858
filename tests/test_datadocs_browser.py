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
