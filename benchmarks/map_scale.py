"""Map at scale: render time, file size, browser load and time-window redraw.

Usage: python benchmarks/map_scale.py [N_INCIDENTS N_MOVEMENTS [DAYS]]

Without arguments it measures the two cases of benchmarks/README.md in one run, beside a
40-incident map (so figures can be read as ratios on whatever machine runs this):

- 5,000 incidents + 1,000 movements over three years (1,095 days): written < 3 s, <= 5 MB,
  loaded and drawn < 2 s, a change of the time window redrawn < 200 ms;
- 50,000 incidents + 5,000 movements over 400 days: render < 20 s, <= 25 MB, load + draw < 5 s.

"Redrawn" is `geomap.setWindow(...)` (filter, markers, rings, flows, charts, counts) plus two
animation frames (layout and paint), for five different windows (median reported); "script" is
the part spent in geomap's own code (`geomap.timings.apply`).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from geomap.map import make_map
from geomap.mapping.headless import ARGS, CHROMIUM, offline
from geomap.mapping.synthetic import box_governorates, synthetic_result

CASES = [(40, 8, 30), (5_000, 1_000, 1_095), (50_000, 5_000, 400)]

# Five windows of different widths inside the data's extent, then the full extent back.
WINDOW_CHANGES = """async () => {
  const g = window.geomap, [a, b] = g.extent, out = [];
  const frames = () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  for (const [f0, f1] of [[0.1, 0.3], [0.5, 0.55], [0.0, 0.5], [0.7, 1.0], [0.0, 1.0]]) {
    const t = performance.now();
    g.setWindow(Math.round(a + f0 * (b - a)), Math.round(a + f1 * (b - a)));
    await frames();
    out.push([performance.now() - t, g.timings.apply]);
  }
  return out;
}"""


def render(n_inc: int, n_mov: int, days: int, out: Path, gaz: Path) -> dict:
    r = synthetic_result(n_inc, n_mov, seed=1, days=days, jitter=0.25)
    t = time.perf_counter()
    m = make_map(r, title=f"Benchmark {n_inc} incidents", gazetteer_dir=gaz)
    m.save(str(out))
    return {
        "incidents": n_inc,
        "movements": n_mov,
        "days": days,
        "render_s": time.perf_counter() - t,
        "size_mb": out.stat().st_size / 1e6,
    }


def browser_load(rows: list[dict], paths: list[Path]) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for row, path in zip(rows, paths):
            page = b.new_page(viewport={"width": 1366, "height": 768})
            page.route("**/*", offline)
            errors = []
            page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
            t = time.perf_counter()
            page.goto(path.as_uri())
            page.wait_for_function(
                "window.geomap && window.geomap.ready === true && window.geomap.idle()", timeout=120_000, polling=50
            )
            # Drawn = every layer built, then two animation frames (markers and canvas painted).
            page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
            row["load_s"] = time.perf_counter() - t
            changes = page.evaluate(WINDOW_CHANGES)
            row["window_ms"] = statistics.median(c[0] for c in changes)
            row["apply_ms"] = statistics.median(c[1] for c in changes)
            row["errors"] = len(errors)
            if errors:
                print("JS errors:", errors[:3])
            page.close()
        b.close()


def main() -> None:
    cases = CASES
    if len(sys.argv) > 2:
        cases = [CASES[0], (int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 400)]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "governorates.geojson").write_text(json.dumps(box_governorates()))
        rows, paths = [], []
        for i, (n_inc, n_mov, days) in enumerate(cases):
            paths.append(tmp / f"map{i}.html")
            rows.append(render(n_inc, n_mov, days, paths[-1], tmp))
        if os.path.exists(CHROMIUM):
            browser_load(rows, paths)
    for row in rows:
        print(
            f"{row['incidents']:>6} incidents {row['movements']:>5} movements over {row['days']:>4} days: "
            f"written {row['render_s']:.2f} s, {row['size_mb']:.2f} MB, chromium load+draw {row.get('load_s', float('nan')):.2f} s, "
            f"window change redrawn {row.get('window_ms', float('nan')):.0f} ms (script {row.get('apply_ms', float('nan')):.0f} ms; "
            f"median of 5), JS errors {row.get('errors', '?')}"
        )


if __name__ == "__main__":
    main()
