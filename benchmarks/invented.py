"""Nothing invented: what would geomap put on a Syrian map from news that is not about Syria?

Runs the whole pipeline (``geomap.extract``, no cross-article merge) over the article texts of
the three geoparsing corpora in ../shared/eval (TR-News.xml, GWN.xml, lgl.xml: world and US
local news; read there, never copied into the project). An article that names neither Syria nor
any actor or city of its war (``SYRIA_WORDS``) cannot support a record located in Syria: every
incident or movement end that geomap puts inside Syria's governorates is a **candidate
invention**, printed with its sentence for a hand classification of the cause (see
benchmarks/RESULTS-invented.md). Articles that do speak of Syria are counted apart (their
Syrian records may be right).

Figures per corpus: articles, articles not about Syria, incidents found in them (anywhere),
incidents located in Syria, of those with a toll (killed or injured), movements with an end in
Syria.

Usage: python benchmarks/invented.py [--list] [--all] [--limit N] [--json FILE]

``--list`` prints every candidate with its sentence; ``--all`` also lists the incidents outside
Syria found in the articles not about Syria (what a map of everything would show). Skips with a
message when ../shared/eval is absent.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import re
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"
if not EVAL.exists():
    EVAL = Path("/work/shared/eval")
CORPORA = ("TR-News.xml", "GWN.xml", "lgl.xml")
GOVERNORATES = Path(__file__).resolve().parents[1] / "geomap" / "gazetteer" / "data" / "governorates.geojson"

#: words that make an article speak of Syria or its war: such an article may rightly put
#: records in Syria, so it is not counted among the texts that cannot
SYRIA_WORDS = re.compile(
    r"\b(?:Syria|Syrian|Syrians|Damascus|Aleppo|Assad|Idlib|Raqqa|Raqa|Homs|Hama|Daraa|Deir\s?ez|Kobani|Palmyra|"
    r"Latakia|Qamishli|Manbij|Afrin|ISIS|ISIL|Daesh|Islamic State|YPG|SDF|Hezbollah|Nusra)\b",
    re.I,
)


def load_articles(limit: int | None = None) -> list[dict]:
    """Every article of the three corpora: ``doc_id``, ``corpus``, ``title``, ``text``, ``date``."""
    out = []
    for name in CORPORA:
        root = ET.parse(EVAL / name).getroot()
        for k, art in enumerate(root.iter("article")):
            text = (art.findtext("text") or "").strip()
            if not text:
                continue
            when = (art.findtext("dltime") or "").strip()[:10]
            try:
                date = dt.date.fromisoformat(when) if when else None
            except ValueError:
                date = None
            out.append(
                {
                    "doc_id": f"{name.split('.')[0]}-{art.get('docid') or art.get('file') or k}",
                    "corpus": name,
                    "title": (art.findtext("title") or "").strip(),
                    "text": text,
                    "date": date,
                }
            )
    return out[:limit] if limit else out


def syria_shape():
    """Syria as one shapely geometry (the union of the governorates geomap ships)."""
    from shapely.geometry import shape
    from shapely.ops import unary_union

    data = json.loads(GOVERNORATES.read_text(encoding="utf-8"))
    return unary_union([shape(f["geometry"]) for f in data["features"]])


def _num(v) -> float | None:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def in_syria(shape, lat, lon) -> bool:
    from shapely.geometry import Point

    lat, lon = _num(lat), _num(lon)
    return lat is not None and lon is not None and shape.covers(Point(lon, lat))


def run(articles: list[dict]):
    """Extract every article; return (incidents, movements, seconds)."""
    import pandas as pd

    import geomap

    frame = pd.DataFrame(
        {
            "doc_id": [a["doc_id"] for a in articles],
            "title": [a["title"] for a in articles],
            "text": [a["text"] for a in articles],
            "date": [a["date"] for a in articles],
        }
    )
    t0 = time.perf_counter()
    result = geomap.extract(frame, dedupe=False)
    return result.incidents, result.movements, time.perf_counter() - t0


def candidates(articles, incidents, movements, shape) -> dict:
    """Per corpus: figures and the records located in Syria from articles not about Syria."""
    about_syria = {a["doc_id"] for a in articles if SYRIA_WORDS.search(a["title"] + " " + a["text"])}
    corpus_of = {a["doc_id"]: a["corpus"] for a in articles}
    figures: dict[str, dict] = {}
    for a in articles:
        f = figures.setdefault(a["corpus"], dict.fromkeys(("articles", "not_about_syria"), 0))
        f["articles"] += 1
        f["not_about_syria"] += a["doc_id"] not in about_syria
        for key in ("incidents", "incidents_in_syria", "tolls_in_syria", "movements_in_syria", "syria_texts_in_syria"):
            f.setdefault(key, 0)
        f.setdefault("listed", [])
        f.setdefault("abroad", [])
    for rec in incidents.to_dict("records"):
        doc = str(rec["doc_id"])
        f = figures[corpus_of[doc]]
        here = in_syria(shape, rec.get("lat"), rec.get("lon")) or rec.get("country_code") == "SY"
        if doc in about_syria:
            f["syria_texts_in_syria"] += here
            continue
        f["incidents"] += 1
        if here:
            f["incidents_in_syria"] += 1
            f["tolls_in_syria"] += (
                rec.get("count_type") in ("killed", "injured") and _num(rec.get("count_best")) is not None
            )
            f["listed"].append(("incident", rec))
        else:
            f["abroad"].append(("incident", rec))
    for rec in movements.to_dict("records"):
        doc = str(rec["doc_id"])
        if doc in about_syria:
            continue
        ends = [("origin_lat", "origin_lon"), ("destination_lat", "destination_lon")]
        if any(in_syria(shape, rec.get(a), rec.get(b)) for a, b in ends):
            figures[corpus_of[doc]]["movements_in_syria"] += 1
            figures[corpus_of[doc]]["listed"].append(("movement", rec))
    return figures


def describe(kind: str, rec: dict) -> str:
    if kind == "movement":
        what = f"movement {rec.get('kind')} {rec.get('origin_name')} -> {rec.get('destination_name')}"
    else:
        count = f" {rec.get('count_type')} {rec.get('count_best')}" if rec.get("count_type") else ""
        what = (
            f"incident {rec.get('event_type')}/{rec.get('sub_type')} at {rec.get('location_name')!s}"
            f" (text {rec.get('place_text')!r}, {rec.get('geo_precision')}){count}"
        )
    return f"  [{rec['doc_id']}] {what}\n      {str(rec.get('evidence'))[:400]!r}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--list", action="store_true", help="print every candidate with its sentence")
    ap.add_argument("--all", action="store_true", help="also list incidents abroad from texts not about Syria")
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--json", type=Path, default=None, help="also write the figures to this file")
    args = ap.parse_args(argv)
    if not EVAL.exists():
        print(f"skipped: {EVAL} is absent (the evaluation data lives in ../shared/eval)")
        return 0
    articles = load_articles(args.limit)
    incidents, movements, secs = run(articles)
    figures = candidates(articles, incidents, movements, syria_shape())
    for name, f in figures.items():
        if args.list and f["listed"]:
            print(f"\n{name}: records placed in Syria from articles not about Syria")
            for kind, rec in f["listed"]:
                print(describe(kind, rec))
        if args.all and f["abroad"]:
            print(f"\n{name}: incidents outside Syria from articles not about Syria")
            for kind, rec in f["abroad"]:
                print(describe(kind, rec))
    print(f"\nextraction {secs:.1f} s ({len(articles)} articles)")
    print(
        f"{'corpus':12s} {'articles':>8s} {'not Syria':>9s} {'incidents':>9s} "
        f"{'in Syria':>8s} {'tolls':>5s} {'moves':>5s}  (Syria texts: records in Syria)"
    )
    for name, f in figures.items():
        print(
            f"{name:12s} {f['articles']:8d} {f['not_about_syria']:9d} {f['incidents']:9d} "
            f"{f['incidents_in_syria']:8d} {f['tolls_in_syria']:5d} {f['movements_in_syria']:5d}"
            f"  ({f['syria_texts_in_syria']})"
        )
    if args.json:
        out = {n: {k: v for k, v in f.items() if k not in ("listed", "abroad")} for n, f in figures.items()}
        args.json.write_text(json.dumps(out, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
