"""How the tests and benchmarks open a map in headless Chromium (Debian's, driven by playwright).

One definition for ``tests/test_map_browser*.py`` and ``benchmarks/map_scale.py``: the same
browser, flags and offline rule everywhere, so a figure and a test speak of the same page.
"""

from __future__ import annotations

#: Debian's chromium (``make browser`` installs it); tests skip and benchmarks skip the browser without it.
CHROMIUM = "/usr/bin/chromium"
#: Headless, no GPU (the machine has none), nothing fetched in the background.
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: A page may load only these: the map is self-contained, every other request is refused.
LOCAL_SCHEMES = ("file:", "data:", "blob:")


def offline(route) -> None:
    """A playwright route handler that refuses every request but a local one."""
    if route.request.url.startswith(LOCAL_SCHEMES):
        route.continue_()
    else:
        route.abort()
