"""Incidents and movements from full news articles, scored record by record against a coder.

Reads ``../shared/eval/news_dev.jsonl`` (never copied into the project): 40 articles on the
Syrian war, each with ``gold_events`` and ``gold_movements`` coded by
``../shared/eval/NEWS-CODEBOOK.md``. Each article (text, title, date, source) goes through
``geomap.extract`` (no cross-article merge, so that records stay with their article) and the
system's records are matched to the gold ones of the same article by the codebook's rules:

* incidents: compatible types (the same ``event_type``, or the same ACLED event type, or one of
  the two is ``casualties`` and the other a violent type); places within 25 km, or in the same
  governorate when either is governorate-level or coarser, or both country-level in the same
  country (a gold record without a place matches on the other conditions alone); dates that
  overlap with one day of slack on each side. Each record matches at most one other (an
  optimal one-to-one assignment). Precision = matched system records / system records not
  matched to a ``background`` gold record; recall = matched non-background gold / non-background
  gold. Deaths are right when the system's ``killed`` count equals ``deaths_best`` or lies in
  [``deaths_low``, ``deaths_high``].
* movements: the kind is right and every end the coder located lies within 25 km of the
  system's end (same one-to-one matching and background rule).

The scoring functions (``match_incidents``, ``score_incidents``, ``match_movements``,
``score_movements``) take plain dicts so that other benchmarks (``acled_dev.py``) can import them.

Usage::

    python benchmarks/news_dev.py [--misses] [--limit N] [--id ID ...]

Skips (exit 0) when ``../shared/eval`` is absent.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import re
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

_HERE = Path(__file__).resolve()
EVAL_DIR = _HERE.parents[2] / "shared" / "eval"
if not EVAL_DIR.exists():
    EVAL_DIR = Path("/work/shared/eval")
NEWS_DEV = EVAL_DIR / "news_dev.jsonl"

#: Places closer than this are the same place (codebook).
MAX_KM = 25.0
#: Days of slack on each side when comparing date spans (codebook).
SLACK_DAYS = 1

#: ACLED event type of each geomap event type when the record does not carry its own.
ACLED_OF_TYPE = {
    "clash": "Battles",
    "bombardment": "Explosions/Remote violence",
    "attack_on_civilians": "Violence against civilians",
    "control_change": "Battles",
    "protest": "Protests",
    "defection": "Strategic developments",
    "strategic_development": "Strategic developments",
    "casualties": None,
}
VIOLENT_TYPES = {"clash", "bombardment", "attack_on_civilians", "control_change"}
VIOLENT_ACLED = {"Battles", "Explosions/Remote violence", "Violence against civilians"}
COARSE_LEVELS = {"governorate", "region", "country"}

#: Country names a coder writes in ``governorate`` for places outside Syria -> ISO 3166 alpha-2.
COUNTRY_CODES = {
    "syria": "SY",
    "iraq": "IQ",
    "turkey": "TR",
    "lebanon": "LB",
    "jordan": "JO",
    "israel": "IL",
    "palestine": "PS",
    "russia": "RU",
    "united states": "US",
    "iran": "IR",
    "egypt": "EG",
    "saudi arabia": "SA",
    "united kingdom": "GB",
    "france": "FR",
    "yemen": "YE",
}


# ----------------------------------------------------------------------------- small helpers


def _missing(v: Any) -> bool:
    if v is None:
        return True
    try:
        return bool(v != v) or v is _NA  # NaN, pandas NA
    except (TypeError, ValueError):
        return v is _NA


try:  # pandas' NA is its own object; compare by identity without importing pandas eagerly
    import pandas as _pd

    _NA = _pd.NA
except Exception:  # pragma: no cover
    _NA = object()


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in km between two (lat, lon) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _date(v: Any) -> dt.date | None:
    if _missing(v) or v == "":
        return None
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    if hasattr(v, "date") and callable(v.date):  # pandas Timestamp
        return v.date()
    try:
        return dt.date.fromisoformat(str(v)[:10])
    except ValueError:
        return None


def _span(rec: dict) -> tuple[dt.date, dt.date] | None:
    a = _date(rec.get("date_start"))
    b = _date(rec.get("date_end")) or a
    if a is None:
        return None
    return (a, b) if a <= b else (b, a)


def _point(rec: dict, lat: str = "lat", lon: str = "lon") -> tuple[float, float] | None:
    la, lo = rec.get(lat), rec.get(lon)
    if _missing(la) or _missing(lo):
        return None
    return float(la), float(lo)


def _gov_key(name: Any) -> str:
    """Governorate names as coders and gazetteers spell them ("Al-Hasakah" = "Hasakah")."""
    if _missing(name) or not name:
        return ""
    s = str(name).lower()
    s = re.sub(r"\b(?:governorate|province|muhafazat)\b", "", s)
    s = re.sub(r"^(?:al|as|ar|ad|ash|el)[- ]", "", s.strip())
    s = re.sub(r"[^a-z]", "", s)
    return {
        "hasaka": "hasakah",
        "alhasakah": "hasakah",
        "suwayda": "suwayda",
        "sweida": "suwayda",
        "raqqah": "raqqa",
        "deirezzor": "deirezzor",
        "deiralzor": "deirezzor",
        "ruraldamascus": "rifdimashq",
        "damascuscountryside": "rifdimashq",
    }.get(s, s)


# ----------------------------------------------------------------------------- incidents


def acled_type(rec: dict) -> str | None:
    """The ACLED event type of a system or gold record (its own column first)."""
    own = rec.get("acled_event_type")
    if not _missing(own) and own:
        return str(own)
    return ACLED_OF_TYPE.get(rec.get("event_type") or "")


def types_compatible(sys_rec: dict, gold: dict) -> bool:
    """The codebook's type rule."""
    a, b = sys_rec.get("event_type"), gold.get("event_type")
    if a == b:
        return True
    aa, ab = acled_type(sys_rec), acled_type(gold)
    if aa and aa == ab:
        return True
    if a == "casualties" and (b in VIOLENT_TYPES or ab in VIOLENT_ACLED):
        return True
    if b == "casualties" and (a in VIOLENT_TYPES or aa in VIOLENT_ACLED):
        return True
    return False


def _country_of(rec: dict, is_gold: bool) -> str:
    if is_gold:
        g = str(rec.get("governorate") or "").strip().lower()
        return COUNTRY_CODES.get(g, "SY" if g else "")
    cc = rec.get("country_code")
    return "" if _missing(cc) else str(cc)


def places_agree(sys_rec: dict, gold: dict) -> bool:
    """The codebook's place rule (a gold record with no place agrees with anything)."""
    gpt = _point(gold)
    if gpt is None and not gold.get("governorate"):
        return True
    spt = _point(sys_rec)
    if spt is None:
        return False
    if gpt is not None and km(spt, gpt) <= MAX_KM:
        return True
    glev, slev = gold.get("geo_precision"), sys_rec.get("geo_precision")
    if glev == "country" or slev == "country":
        return glev == slev == "country" and _country_of(sys_rec, False) == _country_of(gold, True)
    if glev in COARSE_LEVELS or slev in COARSE_LEVELS:
        gg, sg = _gov_key(gold.get("governorate")), _gov_key(sys_rec.get("admin1"))
        return bool(gg) and gg == sg
    return False


def dates_overlap(sys_rec: dict, gold: dict, slack: int = SLACK_DAYS) -> bool:
    """Date spans overlap with ``slack`` days on each side (a gold record without dates agrees)."""
    g = _span(gold)
    if g is None:
        return True
    s = _span(sys_rec)
    if s is None:
        return False
    pad = dt.timedelta(days=slack)
    return s[0] <= g[1] + pad and g[0] <= s[1] + pad


def incident_matches(sys_rec: dict, gold: dict) -> bool:
    """All three codebook conditions."""
    return types_compatible(sys_rec, gold) and places_agree(sys_rec, gold) and dates_overlap(sys_rec, gold)


def _incident_affinity(sys_rec: dict, gold: dict) -> float:
    """Tie-break among compatible pairs: exact type, sub-type, nearer place, right toll."""
    score = 0.0
    if sys_rec.get("event_type") == gold.get("event_type"):
        score += 4
    if (sys_rec.get("sub_type") or None) == (gold.get("sub_type") or None):
        score += 2
    spt, gpt = _point(sys_rec), _point(gold)
    if spt and gpt:
        score += max(0.0, 2 - km(spt, gpt) / MAX_KM)
    if deaths_right(sys_rec, gold):
        score += 2
    return score


def killed(sys_rec: dict) -> int | None:
    """The system record's death toll, if it states one."""
    if sys_rec.get("count_type") != "killed" or _missing(sys_rec.get("count_best")):
        return None
    return int(sys_rec["count_best"])


def deaths_right(sys_rec: dict, gold: dict) -> bool | None:
    """Whether the toll is right; None when the gold record states no deaths."""
    best = gold.get("deaths_best")
    if best is None:
        return None
    got = killed(sys_rec)
    if got is None:
        return False
    if got == best:
        return True
    lo, hi = gold.get("deaths_low"), gold.get("deaths_high")
    return lo is not None and hi is not None and lo <= got <= hi


def _assign(n_sys: int, n_gold: int, weight) -> list[tuple[int, int]]:
    """Optimal one-to-one assignment maximising the summed weights (weight None = no edge)."""
    if not n_sys or not n_gold:
        return []
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    w = np.zeros((n_sys, n_gold))
    for i in range(n_sys):
        for j in range(n_gold):
            v = weight(i, j)
            if v is not None:
                w[i, j] = v
    rows, cols = linear_sum_assignment(w, maximize=True)
    return [(i, j) for i, j in zip(rows, cols) if w[i, j] > 0]


def match_incidents(system: list[dict], gold: list[dict]) -> list[tuple[int, int]]:
    """Pairs (system index, gold index) of one article, one-to-one, current gold preferred."""

    def weight(i, j):
        if not incident_matches(system[i], gold[j]):
            return None
        base = 100.0 if gold[j].get("background") else 1000.0
        return base + _incident_affinity(system[i], gold[j])

    return _assign(len(system), len(gold), weight)


def score_incidents(articles: Iterable[tuple[str, list[dict], list[dict]]]) -> dict:
    """Precision, recall and deaths over ``(doc_id, system records, gold records)`` triples.

    Returns
    -------
    dict
        ``precision, recall, f1, deaths_right`` (share of matched current gold records stating
        deaths whose toll is right), ``invented_tolls`` (matched system records with a death
        toll where the coder has none), raw counts, and per-article rows with the unmatched
        records under ``missed`` (gold) and ``spurious`` (system).
    """
    tot = dict(
        system=0, system_bg=0, matched_sys=0, gold=0, matched_gold=0, deaths_stated=0, deaths_ok=0, invented_tolls=0
    )
    per_article = []
    for doc_id, system, gold in articles:
        pairs = match_incidents(system, gold)
        by_sys = {i: j for i, j in pairs}
        by_gold = {j: i for i, j in pairs}
        row = dict(
            doc_id=doc_id,
            system=len(system),
            gold=sum(not g.get("background") for g in gold),
            matched=0,
            system_bg=0,
            deaths_stated=0,
            deaths_ok=0,
            missed=[],
            spurious=[],
            pairs=[],
        )
        for i, s in enumerate(system):
            j = by_sys.get(i)
            if j is None:
                row["spurious"].append(s)
            elif gold[j].get("background"):
                row["system_bg"] += 1
            else:
                row["matched"] += 1
                row["pairs"].append((s, gold[j]))
                ok = deaths_right(s, gold[j])
                if ok is not None:
                    row["deaths_stated"] += 1
                    row["deaths_ok"] += bool(ok)
                elif killed(s) is not None:
                    tot["invented_tolls"] += 1
        for j, g in enumerate(gold):
            if j not in by_gold and not g.get("background"):
                row["missed"].append(g)
        tot["system"] += row["system"]
        tot["system_bg"] += row["system_bg"]
        tot["matched_sys"] += row["matched"]
        tot["gold"] += row["gold"]
        tot["matched_gold"] += row["matched"]
        tot["deaths_stated"] += row["deaths_stated"]
        tot["deaths_ok"] += row["deaths_ok"]
        per_article.append(row)
    scored = tot["system"] - tot["system_bg"]
    p = tot["matched_sys"] / scored if scored else 0.0
    r = tot["matched_gold"] / tot["gold"] if tot["gold"] else 0.0
    return dict(
        precision=p,
        recall=r,
        f1=2 * p * r / (p + r) if p + r else 0.0,
        deaths_right=tot["deaths_ok"] / tot["deaths_stated"] if tot["deaths_stated"] else None,
        counts=tot,
        articles=per_article,
    )


# ----------------------------------------------------------------------------- movements


def movement_matches(sys_rec: dict, gold: dict) -> bool:
    """The kind is right and every end the coder located is within 25 km of the system's."""
    if sys_rec.get("kind") != gold.get("kind"):
        return False
    for end in ("origin", "destination"):
        gpt = _point(gold, f"{end}_lat", f"{end}_lon")
        if gpt is None:
            continue
        spt = _point(sys_rec, f"{end}_lat", f"{end}_lon")
        if spt is None or km(spt, gpt) > MAX_KM:
            return False
    return True


def match_movements(system: list[dict], gold: list[dict]) -> list[tuple[int, int]]:
    """Pairs (system index, gold index) of one article's movements, one-to-one."""

    def weight(i, j):
        if not movement_matches(system[i], gold[j]):
            return None
        base = 100.0 if gold[j].get("background") else 1000.0
        return base + (1.0 if dates_overlap(system[i], gold[j]) else 0.0)

    return _assign(len(system), len(gold), weight)


def score_movements(articles: Iterable[tuple[str, list[dict], list[dict]]]) -> dict:
    """Precision and recall of movements over ``(doc_id, system, gold)`` triples (as incidents)."""
    n_sys = n_bg = n_gold = matched = 0
    per_article = []
    for doc_id, system, gold in articles:
        pairs = match_movements(system, gold)
        by_sys = dict(pairs)
        by_gold = {j: i for i, j in pairs}
        row = dict(
            doc_id=doc_id,
            system=len(system),
            gold=sum(not g.get("background") for g in gold),
            matched=0,
            missed=[],
            spurious=[],
        )
        for i, s in enumerate(system):
            j = by_sys.get(i)
            if j is None:
                row["spurious"].append(s)
            elif gold[j].get("background"):
                n_bg += 1
            else:
                row["matched"] += 1
        row["missed"] = [g for j, g in enumerate(gold) if j not in by_gold and not g.get("background")]
        n_sys += len(system)
        n_gold += row["gold"]
        matched += row["matched"]
        per_article.append(row)
    scored = n_sys - n_bg
    return dict(
        precision=matched / scored if scored else None,
        recall=matched / n_gold if n_gold else None,
        counts=dict(system=n_sys, system_bg=n_bg, gold=n_gold, matched=matched),
        articles=per_article,
    )


# ----------------------------------------------------------------------------- running geomap


def load_rows(path: Path = NEWS_DEV) -> list[dict]:
    """The evaluation articles (an empty list when the file is absent)."""
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def run_geomap(rows: list[dict]):
    """``geomap.extract`` on the articles, without the cross-article merge."""
    import pandas as pd

    import geomap

    articles = pd.DataFrame(
        {
            "doc_id": [r["id"] for r in rows],
            "text": [r["text"] for r in rows],
            "date": [dt.date.fromisoformat(r["date"]) if r.get("date") else None for r in rows],
            "source": [r.get("source") for r in rows],
            "title": [r.get("title") for r in rows],
        }
    )
    return geomap.extract(articles, dedupe=False)


def _records(frame, doc_id: str) -> list[dict]:
    sub = frame[frame["doc_id"] == doc_id]
    out = sub.drop(columns=["geometry"], errors="ignore").to_dict("records")
    return [{k: (None if _missing(v) else v) for k, v in r.items()} for r in out]


def _fmt_sys(r: dict) -> str:
    d0, d1 = _date(r.get("date_start")), _date(r.get("date_end"))
    toll = f" {r.get('count_type')}={r.get('count_best')}" if r.get("count_best") is not None else ""
    return (
        f"SYS  {r.get('event_type')}/{r.get('sub_type') or '-'} @ {r.get('place_text')!r}->"
        f"{r.get('location_name')} [{r.get('geo_precision')},{r.get('admin1')}] {d0}..{d1}{toll}\n"
        f"       {str(r.get('evidence') or '')[:300]!r}"
    )


def _fmt_gold(g: dict) -> str:
    toll = f" deaths={g.get('deaths_best')}" if g.get("deaths_best") is not None else ""
    return (
        f"GOLD {g.get('event_type')}/{g.get('sub_type') or '-'} @ {g.get('place')!r} "
        f"[{g.get('geo_precision')},{g.get('governorate')}] {g.get('date_start')}..{g.get('date_end')}{toll}\n"
        f"       {str(g.get('evidence') or '')[:300]!r}"
    )


def _fmt_mov(m: dict, gold: bool) -> str:
    if gold:
        return (
            f"GOLD {m.get('kind')} {m.get('origin')!r} -> {m.get('destination')!r} "
            f"{m.get('date_start')}\n       {str(m.get('evidence') or '')[:300]!r}"
        )
    return (
        f"SYS  {m.get('kind')} {m.get('origin_text')!r}->{m.get('origin_name')} -> "
        f"{m.get('destination_text')!r}->{m.get('destination_name')} {_date(m.get('date_start'))}\n"
        f"       {str(m.get('evidence') or '')[:300]!r}"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--misses", action="store_true", help="list unmatched system and gold records")
    ap.add_argument("--wrong-deaths", action="store_true", help="list matched pairs whose toll is wrong")
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--id", action="append", default=[], help="only these article ids")
    ap.add_argument("--json", type=Path, default=None, help="write the figures to this file")
    args = ap.parse_args(argv)

    rows = load_rows()
    if not rows:
        print(f"skipped: {NEWS_DEV} not found")
        return 0
    if args.id:
        rows = [r for r in rows if r["id"] in set(args.id)]
    if args.limit:
        rows = rows[: args.limit]
    t0 = time.perf_counter()
    result = run_geomap(rows)
    secs = time.perf_counter() - t0

    inc_triples, mov_triples = [], []
    for r in rows:
        inc_triples.append((r["id"], _records(result.incidents, r["id"]), r.get("gold_events") or []))
        mov_triples.append((r["id"], _records(result.movements, r["id"]), r.get("gold_movements") or []))
    inc = score_incidents(inc_triples)
    mov = score_movements(mov_triples)

    print(f"{len(rows)} articles, {secs:.1f} s")
    print(f"{'article':28s} {'sys':>4s} {'gold':>4s} {'match':>5s} {'bg':>3s} {'deaths':>7s}")
    for a in inc["articles"]:
        print(
            f"{a['doc_id']:28s} {a['system']:4d} {a['gold']:4d} {a['matched']:5d} {a['system_bg']:3d} "
            f"{a['deaths_ok']:3d}/{a['deaths_stated']:<3d}"
        )
    c = inc["counts"]
    dr = inc["deaths_right"]
    print(
        f"\nincidents: precision {inc['precision']:.3f} ({c['matched_sys']}/{c['system'] - c['system_bg']}), "
        f"recall {inc['recall']:.3f} ({c['matched_gold']}/{c['gold']}), F1 {inc['f1']:.3f}"
    )
    print(
        f"deaths right on {c['deaths_ok']}/{c['deaths_stated']} matched records stating deaths ({dr:.3f})"
        if dr is not None
        else "deaths: none stated among matches"
    )
    print(f"tolls where the coder has none (matched records): {c['invented_tolls']}")
    mc = mov["counts"]
    fmt = lambda v: "n/a" if v is None else f"{v:.3f}"  # noqa: E731
    print(
        f"movements: precision {fmt(mov['precision'])} ({mc['matched']}/{mc['system'] - mc['system_bg']}), "
        f"recall {fmt(mov['recall'])} ({mc['matched']}/{mc['gold']})"
    )

    if args.misses or args.wrong_deaths:
        by_id = {m["doc_id"]: m for m in mov["articles"]}
        for a in inc["articles"]:
            lines = []
            if args.misses:
                lines += [_fmt_gold(g) for g in a["missed"]] + [_fmt_sys(s) for s in a["spurious"]]
                m = by_id[a["doc_id"]]
                lines += [_fmt_mov(g, True) for g in m["missed"]] + [_fmt_mov(s, False) for s in m["spurious"]]
            if args.wrong_deaths:
                for s, g in a["pairs"]:
                    if deaths_right(s, g) is False:
                        lines.append("TOLL " + _fmt_sys(s) + "\n  vs " + _fmt_gold(g))
            if lines:
                print(f"\n=== {a['doc_id']}")
                print("\n".join(lines))
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "articles": len(rows),
                    "precision": inc["precision"],
                    "recall": inc["recall"],
                    "deaths_right": dr,
                    "counts": c,
                    "movements": {k: mov[k] for k in ("precision", "recall", "counts")},
                },
                indent=1,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
