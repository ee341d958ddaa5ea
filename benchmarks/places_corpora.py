"""Syria-region toponyms of TR-News, GeoWebNews and LGL, plus the speed of the places stage.

Reads the corpora from ``../shared/eval`` (never copied into the project). Gold toponyms are
kept when their gold point lies in Syria or a neighbour (TR, IQ, JO, LB, IL, PS: the
polygons of ``gazetteer/countries.geojson``). Reported per corpus:

* recall: share of those gold toponyms overlapped by a geomap mention (resolved or not);
* precision: share of geomap's resolved mentions placed in the region that overlap a gold
  toponym of the corpus (any gold toponym: the corpora annotate the whole world);
* acc@161km: of the recognised gold toponyms, share whose overlapping mention resolves
  within 161 km of the gold point.

Speed: the same texts through the English model with and without ``geomap_places`` in one
run (the index is built before timing; its build time is reported apart).

Usage: ``python benchmarks/places_corpora.py [--max-docs N] [--show-errors] [--no-speed]``
"""

from __future__ import annotations

import json
import math
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"
REGION = {"SY", "TR", "IQ", "JO", "LB", "IL", "PS"}


def haversine_km(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


def region_test():
    from shapely.geometry import Point, shape
    from shapely.ops import unary_union

    gj = json.loads((ROOT / "gazetteer" / "countries.geojson").read_text(encoding="utf-8"))
    polys = [shape(f["geometry"]) for f in gj["features"] if str(f["properties"].get("iso_a2")).upper() in REGION]
    region = unary_union(polys).buffer(0.05)
    return lambda lat, lon: region.contains(Point(float(lon), float(lat)))


def _f(x):
    try:
        return float(x)
    except (TypeError, ValueError):
        return None


def load_corpus(path: Path) -> list[tuple[str, list[tuple[int, int, float, float]]]]:
    """[(text, [(start, end, lat, lon), ...]), ...] for one corpus file."""
    root = ET.parse(path).getroot()
    docs = []
    for art in root.iter("article"):
        text_el = art.find("text")
        if text_el is None or not text_el.text:
            continue
        golds = []
        for t in art.iter("toponym"):
            start, end = _f(t.findtext("start")), _f(t.findtext("end"))
            lat = _f(t.findtext("gaztag/lat")) if t.find("gaztag") is not None else _f(t.findtext("latitude"))
            lon = _f(t.findtext("gaztag/lon")) if t.find("gaztag") is not None else _f(t.findtext("longitude"))
            if start is None or end is None or lat is None or lon is None:
                continue
            golds.append((int(start), int(end), lat, lon))
        docs.append((text_el.text, golds))
    return docs


def evaluate(nlp, docs, in_region, errors: list | None = None) -> dict:
    gold_n = rec_n = acc_n = pred_n = pred_ok = 0
    for doc, (text, golds) in zip(nlp.pipe([t for t, _ in docs], batch_size=8), docs):
        mentions = [(s.start_char, s.end_char, s._.place) for s in doc._.places]
        for g0, g1, lat, lon in golds:
            if not in_region(lat, lon):
                continue
            gold_n += 1
            hits = [m for m in mentions if m[0] < g1 and g0 < m[1]]
            if hits:
                rec_n += 1
                res = [m[2] for m in hits if m[2]]
                if res and min(haversine_km(lat, lon, float(p["lat"]), float(p["lon"])) for p in res) <= 161:
                    acc_n += 1
                elif errors is not None:
                    errors.append((text[g0:g1], [(text[m[0]:m[1]], (m[2] or {}).get("id"), (m[2] or {}).get("name")) for m in hits]))
        for m0, m1, place in mentions:
            if place and in_region(float(place["lat"]), float(place["lon"])):
                pred_n += 1
                if any(m0 < g1 and g0 < m1 for g0, g1, _, _ in golds):
                    pred_ok += 1
    return {
        "gold": gold_n,
        "recall": rec_n / gold_n if gold_n else float("nan"),
        "precision": pred_ok / pred_n if pred_n else float("nan"),
        "acc@161km": acc_n / rec_n if rec_n else float("nan"),
        "resolved_in_region": pred_n,
    }


def speed(nlp, texts, repeats: int = 2) -> dict:
    """Seconds for the texts with and without the places stage, best of ``repeats``."""
    def run(disable):
        best = float("inf")
        for _ in range(repeats):
            t0 = time.perf_counter()
            with nlp.select_pipes(disable=disable):
                for _ in nlp.pipe(texts, batch_size=8):
                    pass
            best = min(best, time.perf_counter() - t0)
        return best

    base = run(["geomap_places"])
    full = run([])
    return {"without": base, "with": full, "overhead": full / base - 1}


def linearity() -> None:
    """Time of the places stage alone on one long single line, at two lengths (ratio ~ 5)."""
    import spacy

    from geomap.nlp.places import PlacesComponent

    nlp = spacy.blank("en")
    comp = PlacesComponent()
    comp.index  # build before timing
    unit = "Rebels shelled Aleppo and Idlib; Iraqi refugees left Syria for the Turkish border near Azaz. "
    times = {}
    for mb in (1, 5):
        text = unit * (mb * 1_000_000 // len(unit))
        nlp.max_length = len(text) + 1
        doc = nlp.make_doc(text)
        t0 = time.perf_counter()
        comp(doc)
        times[mb] = time.perf_counter() - t0
        print(f"{mb} MB single line: {len(doc)} tokens, {len(doc._.places)} places, places stage {times[mb]:.2f}s")
    print(f"5 MB / 1 MB time ratio: {times[5] / times[1]:.2f} (5.0 = linear)")


def main(argv):
    if "--linearity" in argv:
        linearity()
        return
    max_docs = int(argv[argv.index("--max-docs") + 1]) if "--max-docs" in argv else None
    from geomap.nlp import load_english_model
    import geomap.nlp.places  # noqa: F401
    from geomap.nlp.place_resolve import place_index

    t0 = time.perf_counter()
    place_index.cache_clear()
    place_index()
    t_index = time.perf_counter() - t0
    nlp = load_english_model()
    nlp.add_pipe("geomap_places")
    in_region = region_test()
    all_texts = []
    for name in ("TR-News.xml", "GWN.xml", "lgl.xml"):
        docs = load_corpus(EVAL / name)[:max_docs]
        all_texts += [t for t, _ in docs]
        errs = [] if "--show-errors" in argv else None
        r = evaluate(nlp, docs, in_region, errs)
        for e in errs or ():
            print("  ERROR", name, e)
        print(f"{name:12s} docs {len(docs):4d} region gold {r['gold']:4d}  recall {r['recall']:.3f}  "
              f"precision {r['precision']:.3f}  acc@161km {r['acc@161km']:.3f}  (resolved in region {r['resolved_in_region']})")
    print(f"index build (cold, once per process): {t_index:.2f}s")
    if "--no-speed" in argv:
        return
    s = speed(nlp, all_texts[:120])
    print(f"speed on {min(120, len(all_texts))} texts: model {s['without']:.2f}s, model+places {s['with']:.2f}s, "
          f"places overhead {100 * s['overhead']:.1f}%")


if __name__ == "__main__":
    main(sys.argv)
