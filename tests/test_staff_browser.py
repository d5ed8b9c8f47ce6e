"""The review page in a real headless Chromium (Debian's, driven by Playwright): load it, filter,
set a mark, reload and see it kept, then find it in the exported CSV.

Skipped only where no Chromium is installed, and never when A2_REQUIRE_BROWSER=1 (CI sets it,
and .ci/run installs Debian's chromium).
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import shutil

import pytest

from autograder.cli import main
from autograder.staff.overrides import load_overrides
from autograder.staff.store import load_grades

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _browser_or_skip():
    required = os.environ.get("A2_REQUIRE_BROWSER") == "1"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if required:
            raise
        pytest.skip("playwright is not installed (pip install -e '.[staff]')")
    if CHROMIUM is None:
        if required:
            pytest.fail("A2_REQUIRE_BROWSER=1 but no chromium: apt-get install chromium")
        pytest.skip("no chromium here (apt-get install chromium)")
    return sync_playwright


@pytest.mark.slow
def test_a_mark_set_in_the_browser_is_kept_and_reaches_the_csv(graded_export, tmp_path):
    sync_playwright = _browser_or_skip()
    from autograder.staff.review_app import ReviewServer

    grades = tmp_path / "grades"
    shutil.copytree(graded_export[1], grades)
    record = next(r for r in load_grades(grades) if r.result.part("q2").score == 0.5)
    sid = record.submitters[0].sid
    server = ReviewServer(grades, None, reviewer="ta-browser",
                          steps={"q1_i": 0.5, "q1_iii": 0.5, "q2": 0.5, "q3": 0.5})
    server.start()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                        args=["--no-sandbox"])
            page = browser.new_page()
            alerts = []
            page.on("dialog", lambda d: (alerts.append(d.message), d.dismiss()))
            page.goto(server.url)
            assert page.title() == "a2 review"  # the hostile answers did not rename it
            page.fill("#filter", sid)
            visible = page.locator(".item:not(.hidden)")
            parts = len(record.result.parts)  # short answers and numeric parts alike
            assert visible.count() == parts  # that student's answer to each part
            assert page.locator(".item.hidden").count() == parts * 52
            item = page.locator(f'#part-q2 .item[data-submission="{record.name}"]')
            assert item.is_visible()
            item.locator("select.mark").select_option("1.5")
            item.locator("input.comment").fill("named the codebook")
            item.locator("button.save").click()
            item.locator(".status.saved").wait_for(timeout=5000)
            assert "saved: 1.5 by ta-browser" in item.locator(".status").inner_text()
            numeric = page.locator(f'#part-q1_iv .item[data-submission="{record.name}"]')
            numeric.locator("select.mark").select_option("1.75")  # numeric parts: quarters
            numeric.locator("button.save").click()
            numeric.locator(".status.saved").wait_for(timeout=5000)
            page.reload()
            item = page.locator(f'#part-q2 .item[data-submission="{record.name}"]')
            assert item.locator("select.mark").input_value() == "1.5"
            assert "now 1.5 (set by ta-browser)" in item.inner_text()
            numeric = page.locator(f'#part-q1_iv .item[data-submission="{record.name}"]')
            assert "now 1.75 (set by ta-browser)" in numeric.inner_text()
            page.check("#flagged-only")
            assert page.locator('.item:not(.hidden)[data-flagged="no"]').count() == 0
            assert not alerts
            browser.close()
    finally:
        server.stop()
    override, numeric_override = load_overrides(grades)
    assert (override.submission, override.new, override.comment) == \
        (record.name, 1.5, "named the codebook")
    assert (numeric_override.part, numeric_override.new) == ("q1_iv", 1.75)
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["export", str(grades)]) == 0
    row = next(r for r in csv.DictReader((grades / "final.csv").open()) if r["sid"] == sid)
    assert row["q2"] == "1.5" and "overridden:q2" in row["flags"]
    assert row["q1_iv"] == "1.75" and "overridden:q1_iv" in row["flags"]
