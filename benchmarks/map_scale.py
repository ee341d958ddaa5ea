"""Map at scale: 50,000 incidents + 5,000 movements -> map.html; render time, size, browser load.

Usage: python benchmarks/map_scale.py [N_INCIDENTS] [N_MOVEMENTS]
Goals: render < 20 s, file <= 25 MB, Chromium loads and draws < 5 s. Also measures a small map
in the same run so figures can be read as ratios on whatever machine runs this.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

from geomap.map import make_map
from geomap.mapping.synthetic import box_governorates, synthetic_result

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def render(n_inc: int, n_mov: int, out: Path, gaz: Path) -> dict:
    r = synthetic_result(n_inc, n_mov, seed=1, days=400, jitter=0.25)
    t = time.perf_counter()
    m = make_map(r, title=f"Benchmark {n_inc} incidents", gazetteer_dir=gaz)
    m.save(str(out))
    return {"incidents": n_inc, "movements": n_mov, "render_s": time.perf_counter() - t,
            "size_mb": out.stat().st_size / 1e6}


def browser_load(paths: list[Path]) -> list[float]:
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for path in paths:
            page = b.new_page(viewport={"width": 1280, "height": 860})
            page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("file:", "data:")) else route.abort())
            errors = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            t = time.perf_counter()
            page.goto(path.as_uri())
            page.wait_for_function("window.geomap && window.geomap.ready === true && window.geomap.idle()",
                                   timeout=120_000, polling=50)
            # Drawn = every cluster group done, then two animation frames (clusters and canvas painted).
            page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
            times.append(time.perf_counter() - t)
            if errors:
                print("JS errors:", errors[:3])
            page.close()
        b.close()
    return times


def main() -> None:
    n_inc = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    n_mov = int(sys.argv[2]) if len(sys.argv) > 2 else 5_000
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "governorates.geojson").write_text(json.dumps(box_governorates()))
        small = render(40, 8, tmp / "small.html", tmp)
        big = render(n_inc, n_mov, tmp / "big.html", tmp)
        loads = browser_load([tmp / "small.html", tmp / "big.html"]) if os.path.exists(CHROMIUM) else [float("nan")] * 2
    small["load_s"], big["load_s"] = loads
    for row in (small, big):
        print(f"{row['incidents']:>6} incidents {row['movements']:>5} movements: render {row['render_s']:.2f} s, "
              f"{row['size_mb']:.2f} MB, chromium load+draw {row['load_s']:.2f} s")
    print(f"ratios big/small: render x{big['render_s'] / small['render_s']:.1f}, size x{big['size_mb'] / small['size_mb']:.1f}, "
          f"load x{big['load_s'] / small['load_s']:.1f}")


if __name__ == "__main__":
    main()
