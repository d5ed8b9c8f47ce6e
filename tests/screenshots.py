"""Screenshots of report.html and the review page for the README (`make screenshots`).

Grades the generated Gradescope export of tests/gradescope_export.py (no real student), sets
one override, and photographs both pages in Debian's headless Chromium through Playwright.
Writes docs/img/report.png and docs/img/review.png.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))


def main() -> int:
    from gradescope_export import make_export
    from playwright.sync_api import sync_playwright

    from autograder.casebook import cached_grading_data
    from autograder.cli import main as a2
    from autograder.manifest import load_manifest
    from autograder.staff.overrides import make_override, save_override
    from autograder.staff.review_app import ReviewServer
    from autograder.staff.store import load_grades

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("screenshots need Debian's chromium: apt-get install chromium", file=sys.stderr)
        return 2
    manifest = load_manifest(ROOT / "solutions" / "manifest.yaml")
    examples = {e.name: e for e in manifest.examples}
    out_dir = ROOT / "docs" / "img"
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="a2-shots-") as tmp:
        export = make_export(Path(tmp) / "in", lambda name: examples[name].source())
        grades = Path(tmp) / "grades"
        with contextlib.redirect_stdout(io.StringIO()):
            if a2(["grade", str(export.zip_path), "-o", str(grades), "-q"]) != 0:
                return 1
        record = next(r for r in load_grades(grades) if r.result.part("q2").score == 0.5)
        save_override(grades, make_override(record, "q2", 1, "ta", "codebook named"))
        with contextlib.redirect_stdout(io.StringIO()):
            a2(["export", str(grades)])
        server = ReviewServer(grades, cached_grading_data(manifest), reviewer="ta")
        server.start()
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=chromium, headless=True,
                                            args=["--no-sandbox"])
                page = browser.new_page(viewport={"width": 1200, "height": 900})
                page.goto((grades / "report.html").as_uri())
                page.screenshot(path=str(out_dir / "report.png"), full_page=False)
                page.goto(server.url + "#part-q3")
                page.screenshot(path=str(out_dir / "review.png"), full_page=False)
                browser.close()
        finally:
            server.stop()
    print(f"wrote {out_dir / 'report.png'} and {out_dir / 'review.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
