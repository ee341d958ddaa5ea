"""Shared by the map's browser tests: a loaded offline page, fixtures and measurements.

A page refuses any request that is not ``file:``, ``data:`` or ``blob:`` and records JS errors.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from geomap.map import build_payload, make_map
from geomap.mapping.headless import ARGS, CHROMIUM, LOCAL_SCHEMES
from geomap.mapping.synthetic import synthetic_result

#: Every map browser test: marked, and skipped without Debian's chromium.
BROWSER_MARKS = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium not installed at /usr/bin/chromium"),
]


EPOCH = pd.Timestamp("1970-01-01")


class Page:
    """A loaded map page that records JS errors and every non-local request (aborted)."""

    def __init__(self, browser, path: Path, width: int = 1280, height: int = 860):
        self.errors: list[str] = []
        self.blocked: list[str] = []
        self.page = browser.new_page(viewport={"width": width, "height": height}, accept_downloads=True)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("requestfailed", lambda r: self.blocked.append(r.url) if r.url not in self.blocked else None)
        self.page.route("**/*", self._route)
        self.page.goto(path.as_uri())
        self.idle()

    def idle(self):
        self.page.wait_for_function(
            "window.geomap && window.geomap.ready === true && window.geomap.idle()", timeout=30_000, polling=50
        )

    def _route(self, route):
        url = route.request.url
        if url.startswith(LOCAL_SCHEMES):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def js(self, expr):
        return self.page.evaluate(expr)

    def fit(self):
        self.js(
            "window.geomap.map.closePopup(); window.geomap.map.fitBounds([[32.25, 35.55], [37.4, 42.45]], {animate: false})"
        )
        self.idle()


def day(s) -> int:
    return int((pd.Timestamp(s) - EPOCH).days)


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def synth(browser, gaz_dir, tmp_path_factory):
    result = synthetic_result(60, 12, seed=5)
    # Second reports of three routes (new ids, other counts): the map draws one line per route.
    again = result.movements.iloc[[0, 1, 2]].copy()
    again["movement_id"] = again["movement_id"] + "-again"
    again["count_best"] = again["count_low"] = again["count_high"] = [100, 200, 300]
    result.movements = pd.concat([result.movements, again], ignore_index=True)
    out = tmp_path_factory.mktemp("map") / "map.html"
    make_map(result, title="Synthetic test map", gazetteer_dir=gaz_dir).save(str(out))
    pg = Page(browser, out)
    yield result, build_payload(result, gazetteer_dir=gaz_dir), pg
    pg.page.close()


def reset(pg):
    """Default window, no filters (tests share one page)."""
    pg.page.locator(".gm-clear").click()
    pg.page.locator(".gm-dense").click()
    pg.fit()


def drawn_incidents(pg) -> int:
    """Incidents drawn in view: cluster counts plus single markers."""
    return pg.js("""(function () { var n = 0; document.querySelectorAll('.gm-cluster b').forEach(function (d) {
        n += +d.textContent; }); return n + document.querySelectorAll('.gm-inc').length; })()""")


def overlaps(pg, selector):
    return pg.js(
        """(function (sel) {
      var els = Array.prototype.filter.call(document.querySelectorAll(sel), function (e) {
        var b = e.getBoundingClientRect();
        return e.offsetParent !== null && b.width > 0 && b.height > 0 && getComputedStyle(e).visibility !== "hidden"; });
      var out = [];
      for (var i = 0; i < els.length; i++) for (var j = i + 1; j < els.length; j++) {
        if (els[i].contains(els[j]) || els[j].contains(els[i])) continue;
        var a = els[i].getBoundingClientRect(), b = els[j].getBoundingClientRect();
        if (a.left < b.right && a.right > b.left && a.top < b.bottom && a.bottom > b.top) out.push([els[i].className, els[j].className]);
      }
      return [out, els.length]; })("""
        + json.dumps(selector)
        + ")"
    )


def contrast(fg, bg):
    def lum(c):
        def ch(v):
            v = v / 255
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        r, g, b = (ch(x) for x in c)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    a, b = sorted((lum(fg), lum(bg)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def checkbox_counts(pg, name) -> dict:
    return pg.js(f"""(function () {{ var o = {{}};
      document.querySelectorAll("input[type=checkbox][data-f='{name}']").forEach(function (c) {{
        o[c.value] = +c.parentNode.querySelector('small').textContent.replace(/,/g, ''); }});
      return o; }})()""")


def frames_syria(pg) -> bool:
    """True when the map's view holds Syria's frame (SYRIA_BOUNDS, a little slack for rounding)."""
    return pg.js("""(function () { var b = window.geomap.map.getBounds();
      return b.getWest() <= 35.6 && b.getEast() >= 42.4 && b.getSouth() <= 32.3 && b.getNorth() >= 37.35; })()""")
