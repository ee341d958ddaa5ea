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

Usage: ``python benchmarks/places_corpora.py [--max-docs N] [--show-errors] [--no-speed] [--dump FILE.jsonl]``
or ``--compare-matcher OLD_PLACES_PY`` (time the gazetteer matcher of an older ``places.py``
against the current one on the same parsed texts) or ``--linearity``.

``--dump`` writes every mention and every gold toponym as JSON lines (outside the project: it
holds eval data) so that errors can be read by class.
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

    gj = json.loads((ROOT / "geomap" / "gazetteer" / "data" / "countries.geojson").read_text(encoding="utf-8"))
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


def evaluate(nlp, docs, in_region, errors: list | None = None, dump=None, corpus: str = "") -> dict:
    gold_n = rec_n = acc_n = pred_n = pred_ok = 0
    for i, (doc, (text, golds)) in enumerate(zip(nlp.pipe([t for t, _ in docs], batch_size=8), docs)):
        mentions = [(s.start_char, s.end_char, s._.place) for s in doc._.places]
        if dump is not None:
            # one line per mention and per gold toponym, to read the errors by class afterwards
            for m0, m1, place in mentions:
                dump.write(
                    json.dumps(
                        {
                            "corpus": corpus,
                            "doc": i,
                            "kind": "mention",
                            "start": m0,
                            "end": m1,
                            "text": text[m0:m1],
                            "id": (place or {}).get("id"),
                            "name": (place or {}).get("name"),
                            "lat": _f((place or {}).get("lat")),
                            "lon": _f((place or {}).get("lon")),
                            "gold": any(m0 < g1 and g0 < m1 for g0, g1, _, _ in golds),
                            "context": text[max(0, m0 - 60) : m1 + 60],
                        }
                    )
                    + "\n"
                )
            for g0, g1, lat, lon in golds:
                dump.write(
                    json.dumps(
                        {
                            "corpus": corpus,
                            "doc": i,
                            "kind": "gold",
                            "start": g0,
                            "end": g1,
                            "text": text[g0:g1],
                            "lat": lat,
                            "lon": lon,
                            "region": bool(in_region(lat, lon)),
                        }
                    )
                    + "\n"
                )
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
                    errors.append(
                        (
                            text[g0:g1],
                            [(text[m[0] : m[1]], (m[2] or {}).get("id"), (m[2] or {}).get("name")) for m in hits],
                        )
                    )
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
    # The difference of two whole-pipeline times drowns in the load of a shared machine; the
    # places component timed alone on the model's own Docs is the steadier measure.
    with nlp.select_pipes(disable=["geomap_places"]):
        t0 = time.perf_counter()
        docs = list(nlp.pipe(texts, batch_size=8))
        model = time.perf_counter() - t0
    comp = nlp.get_pipe("geomap_places")
    alone = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        for d in docs:
            comp(d)
        alone = min(alone, time.perf_counter() - t0)
    return {
        "without": base,
        "with": full,
        "overhead": full / base - 1,
        "model": model,
        "alone": alone,
        "alone_ratio": alone / model,
    }


def linearity() -> None:
    """Time of the places stage alone on one long single line, at two lengths (ratio ~ 5)."""
    import spacy

    from geomap.nlp.places import PlacesComponent

    nlp = spacy.blank("en")
    comp = PlacesComponent()
    _ = comp.index  # build before timing
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


def compare_matcher(old_path: str, max_docs: int = 60) -> None:
    """Time ``_gazetteer_matches`` of another ``places.py`` (e.g. from ``git show HEAD:...``)
    against the current one on the same parsed corpus texts, interleaved, min of 5 rounds,
    and count the texts on which the two matchers' outputs differ."""
    import types

    from geomap.nlp import load_english_model
    from geomap.nlp.places import PlacesComponent as New

    src = Path(old_path).read_text(encoding="utf-8").replace('"geomap_places",', '"geomap_places_old",')
    mod = types.ModuleType("places_old")
    exec(compile(src, old_path, "exec"), mod.__dict__)  # noqa: S102 - a file of this repository
    nlp = load_english_model()
    texts = [t for name in ("GWN.xml", "TR-News.xml", "lgl.xml") for t, _ in load_corpus(EVAL / name)[:max_docs]]
    docs = list(nlp.pipe(texts, batch_size=8))
    comps = {"old": mod.PlacesComponent(), "new": New()}
    times = {k: [] for k in comps}
    outs: dict = {}
    for d in docs[:5]:
        for c in comps.values():
            c(d)
    for _ in range(5):
        for k, comp in comps.items():
            total = 0.0
            for d in docs:
                comp._index = comp.index
                ents = [None] * len(d)
                for e in d.ents:
                    for i in range(e.start, e.end):
                        ents[i] = e
                comp._desc = False
                t0 = time.perf_counter()
                got = comp._gazetteer_matches(d, ents)
                total += time.perf_counter() - t0
                outs.setdefault(k, {})[id(d)] = [(m.start, m.end, m.key, tuple(m.candidates), m.kind) for m in got]
            times[k].append(total)
    print(
        f"_gazetteer_matches on {len(docs)} texts: old {min(times['old']):.3f}s, new {min(times['new']):.3f}s, "
        f"ratio new/old {min(times['new']) / min(times['old']):.2f}; "
        f"texts whose matches differ: {sum(outs['old'][i] != outs['new'][i] for i in outs['old'])}"
    )


def main(argv):
    if "--linearity" in argv:
        linearity()
        return
    if "--compare-matcher" in argv:
        compare_matcher(argv[argv.index("--compare-matcher") + 1])
        return
    max_docs = int(argv[argv.index("--max-docs") + 1]) if "--max-docs" in argv else None
    import geomap.nlp.places  # noqa: F401
    from geomap.gazetteer import place_index
    from geomap.nlp import load_english_model

    t0 = time.perf_counter()
    place_index.cache_clear()
    place_index()
    t_index = time.perf_counter() - t0
    nlp = load_english_model()
    nlp.add_pipe("geomap_places")
    in_region = region_test()
    dump = open(argv[argv.index("--dump") + 1], "w", encoding="utf-8") if "--dump" in argv else None
    all_texts = []
    for name in ("TR-News.xml", "GWN.xml", "lgl.xml"):
        docs = load_corpus(EVAL / name)[:max_docs]
        all_texts += [t for t, _ in docs]
        errs = [] if "--show-errors" in argv else None
        r = evaluate(nlp, docs, in_region, errs, dump, name)
        for e in errs or ():
            print("  ERROR", name, e)
        print(
            f"{name:12s} docs {len(docs):4d} region gold {r['gold']:4d}  recall {r['recall']:.3f}  "
            f"precision {r['precision']:.3f}  acc@161km {r['acc@161km']:.3f}  (resolved in region {r['resolved_in_region']})"
        )
    if dump is not None:
        dump.close()
    print(f"index build (cold, once per process): {t_index:.2f}s")
    if "--no-speed" in argv:
        return
    s = speed(nlp, all_texts[:120])
    print(
        f"speed on {min(120, len(all_texts))} texts: model {s['without']:.2f}s, model+places {s['with']:.2f}s, "
        f"places overhead {100 * s['overhead']:.1f}%; places component alone {s['alone']:.2f}s "
        f"on the model's Docs vs the model {s['model']:.2f}s: {100 * s['alone_ratio']:.1f}%"
    )


if __name__ == "__main__":
    main(sys.argv)
