"""Every row of seeds/EXPECTED.md, found by the full pipeline (real places, dates, counts, events).

Reads the project's copy of the two reference articles (``seeds/``) with their publication
dates from ``seeds/articles.csv``; each EXPECTED row is one test so a regression names the row.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from pathlib import Path

import pytest

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
CNN = "cnn-2012-07-25-syrian-rebels-fight-through-grief-pride.txt"
CSM = "csm-2012-07-30-as-syrian-government-gains-ground-in-aleppo.txt"

# Well-known city centres (WGS84); a record is "near X" within 15 km of these.
POINTS = {
    "Aleppo": (36.2021, 37.1343),
    "Damascus": (33.5102, 36.2913),
    "Idlib": (35.9306, 36.6339),
    "Latakia": (35.5317, 35.7901),
}


def km(a, b):
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(h))


def near(span, name):
    if span is None or span._.place is None:
        return False
    entry = span._.place
    return km((float(entry["lat"]), float(entry["lon"])), POINTS[name]) <= 15


def country(span, code, level=None):
    if span is None or span._.place is None:
        return False
    entry = span._.place
    return entry.get("country_code") == code and (level is None or entry.get("level") == level)


def d(s):
    return dt.date.fromisoformat(s)


def covers(rec, day):
    """The record's date range contains ``day``."""
    return rec["date_start"] is not None and rec["date_start"] <= d(day) <= (rec["date_end"] or rec["date_start"])


def said(rec, *words):
    src = (rec.get("source_attribution") or "").lower()
    return any(w.lower() in src for w in words)


@pytest.fixture(scope="module")
def docs(nlp):
    # nlp: the shared pipeline fixture (tests/pipeline_docs.py), geomap_linebreaks before the parser
    dates = {}
    with open(SEEDS / "articles.csv", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            dates[row["file"]] = d(row["date"])
    out = {}
    for name in (CNN, CSM):
        text = (SEEDS / name).read_text(encoding="utf-8")
        doc = nlp.make_doc(text)
        doc._.meta = {"doc_id": name, "published": dates[name]}
        for _, proc in nlp.pipeline:
            doc = proc(doc)
        out[name] = doc
    return out


def one(records, pred, what):
    hits = [r for r in records if pred(r)]
    assert hits, f"missing: {what}; got {[(r.get('event_type') or r.get('kind'), r['evidence'][:60]) for r in records]}"
    return hits[0]


# ---- movements ------------------------------------------------------------------------------


def test_troops_idlib_to_aleppo(docs):
    m = one(
        docs[CNN]._.movements,
        lambda r: r["kind"] == "troop_movement" and near(r["origin"], "Idlib") and near(r["destination"], "Aleppo"),
        "troops Idlib -> Aleppo",
    )
    assert m["actor"] == "government forces"
    assert (m["count_best"], m["count_qualifier"]) == (2000, "about")
    assert m["date_end"] == d("2012-07-25")
    assert said(m, "Free Syrian Army official")


def test_rebels_head_to_aleppo(docs):
    m = one(
        docs[CNN]._.movements,
        lambda r: r["kind"] == "troop_movement" and r["actor"] == "rebels" and near(r["destination"], "Aleppo"),
        "rebels -> Aleppo",
    )
    assert country(m["origin"], "SY")  # region-level: a village in northern Syria
    assert m["count_qualifier"] == "hundreds"
    assert (m["date_start"], m["date_precision"]) == (d("2012-07-23"), "day")
    assert said(m, "Watson", "CNN")


def test_chemical_stockpiles_moved(docs):
    m = one(docs[CNN]._.movements, lambda r: r["kind"] == "weapons_movement", "weapons movement")
    assert m["origin"] is None  # never invented
    assert m["destination"] is not None and "coast" in m["destination"].text.lower()
    assert covers(m, "2012-07-10") or abs((m["date_start"] - d("2012-07-10")).days) <= 3
    assert said(m, "Sheikh")


def test_iraqi_refugees_return(docs):
    m = one(docs[CNN]._.movements, lambda r: r["kind"] == "refugee_return", "refugee return")
    assert country(m["destination"], "IQ")
    assert country(m["origin"], "SY")
    assert (m["count_best"], m["count_qualifier"]) == (10000, "more than")
    assert m["date_end"] == d("2012-07-24") and m["date_precision"] == "week"
    assert said(m, "refugee agency")


def test_aleppo_displacement(docs):
    m = one(docs[CSM]._.movements, lambda r: r["kind"] == "displacement", "displacement")
    assert near(m["origin"], "Aleppo")
    assert m["destination"] is None
    assert m["count_best"] == 200000
    assert (m["date_start"], m["date_end"]) == (d("2012-07-27"), d("2012-07-29"))
    assert said(m, "Valerie Amos")


# ---- incidents ------------------------------------------------------------------------------


def test_national_toll_133(docs):
    r = one(docs[CNN]._.incidents, lambda r: r["count_best"] == 133, "133 killed")
    assert r["event_type"] == "casualties"
    assert country(r["place"], "SY", "country")
    assert (r["count_low"], r["count_qualifier"], r["count_type"]) == (133, "at least", "killed")
    assert (r["date_start"], r["date_precision"]) == (d("2012-07-24"), "day")
    assert said(r, "Local Coordination Committees")


def test_aleppo_toll_21(docs):
    r = one(docs[CNN]._.incidents, lambda r: r["count_best"] == 21, "21 killed in Aleppo")
    assert r["event_type"] in ("casualties", "bombardment", "clash")
    assert near(r["place"], "Aleppo")
    assert r["date_start"] == d("2012-07-24")
    assert said(r, "Local Coordination Committees")


def test_shelling_eastern_aleppo(docs):
    r = one(
        docs[CNN]._.incidents,
        lambda r: r["event_type"] == "bombardment" and r["place_qualifier"] == "eastern",
        "shelling of eastern Aleppo",
    )
    assert near(r["place"], "Aleppo")
    assert r["sub_type"] == "shelling"
    assert d("2012-07-23") <= r["date_start"] <= d("2012-07-25")
    assert said(r, "activist")


def test_damascus_regained(docs):
    r = one(
        docs[CNN]._.incidents,
        lambda r: r["event_type"] == "control_change" and near(r["place"], "Damascus"),
        "control change Damascus",
    )
    assert r["sub_type"] == "gained" and r["actor1"] == "government forces"
    assert covers(r, "2012-07-24")
    assert said(r, "state media")


def test_aleppo_assault(docs):
    r = one(
        docs[CSM]._.incidents, lambda r: r["event_type"] == "clash" and near(r["place"], "Aleppo"), "assault on Aleppo"
    )
    assert r["actor1"] == "government forces"
    assert covers(r, "2012-07-29")
    assert said(r, "Reports out of Aleppo")


def test_aleppo_claim_disputed(docs):
    r = one(
        docs[CSM]._.incidents,
        lambda r: r["event_type"] == "control_change" and near(r["place"], "Aleppo"),
        "claimed control change Aleppo",
    )
    assert r["sub_type"] == "claimed" and r["claim_status"] == "disputed"
    assert r["date_start"] == d("2012-07-29")
    assert said(r, "state media")


def test_damascus_southern_suburbs(docs):
    r = one(
        docs[CSM]._.incidents,
        lambda r: r["event_type"] == "clash" and near(r["place"], "Damascus"),
        "counter-offensive southern suburbs of Damascus",
    )
    assert r["place_qualifier"] == "southern suburbs"
    assert covers(r, "2012-07-28")
    assert r["source_attribution"]


def test_latakia_defection(docs):
    r = one(docs[CSM]._.incidents, lambda r: near(r["place"], "Latakia"), "Latakia")
    assert r["event_type"] in ("defection", "attack_on_civilians")
    assert r["date_end"] == d("2012-07-30") and r["date_precision"] != "day"
    assert said(r, "Abu Hamza", "policeman")


def test_northwest_defection(docs):
    r = one(
        docs[CSM]._.incidents,
        lambda r: r["event_type"] == "defection" and country(r["place"], "SY"),
        "defection in northwest Syria",
    )
    assert "northwest" in r["place"].text.lower() or r["place_qualifier"] == "northwest"
    assert said(r, "Abu Omar", "soldier")


def test_cumulative_toll(docs):
    r = one(docs[CNN]._.incidents, lambda r: r["count_best"] == 16000, "16,000 killed")
    assert r["event_type"] == "casualties" and country(r["place"], "SY", "country")
    assert r["count_qualifier"] == "more than"
    assert r["date_start"] == d("2011-03-01") and r["date_end"] in (d("2012-07-24"), d("2012-07-25"))
    assert said(r, "LCC", "Local Coordination")


# ---- must not -------------------------------------------------------------------------------

FOREIGN = {"CH", "RU", "US", "IL", "JO", "TR", "AE"}


def test_no_incident_in_foreign_talk_places(docs):
    for doc in docs.values():
        for r in doc._.incidents:
            place = r["place"]
            cc = (place._.place or {}).get("country_code") if place is not None else None
            if cc in FOREIGN:
                # only history keeps a foreign place, and never in 2012
                assert r["date_start"] is not None and r["date_start"].year < 2012, r["evidence"]
            text = place.text.lower() if place is not None else ""
            for bad in ("geneva", "league of nations", "united nations", "washington", "abu dhabi", "vfw"):
                assert bad not in text, r["evidence"]
        for m in doc._.movements:
            for end in (m["origin"], m["destination"]):
                if end is not None:
                    assert (end._.place or {}).get("country_code") not in FOREIGN - {"IQ"}, m["evidence"]


def test_2007_strike_keeps_its_date(docs):
    for r in docs[CNN]._.incidents:
        if "2007" in r["evidence"]:
            assert r["date_start"].year == 2007 and r["date_precision"] == "month"


def test_evidence_offsets(docs):
    for doc in docs.values():
        for r in doc._.incidents + doc._.movements:
            assert doc.text[r["char_start"] : r["char_end"]] == r["evidence"]
            assert 0 <= r["confidence"] <= 1


def test_no_duplicates(docs):
    for doc in docs.values():
        keys = [
            (r["event_type"], r["place"].start if r["place"] is not None else None, r["date_start"], r["count_best"])
            for r in doc._.incidents
        ]
        assert len(keys) == len(set(keys))
        assert len(doc._.incidents) <= 12 and len(doc._.movements) <= 8


def _expected_movement_row(m) -> str | None:
    """Which row of EXPECTED.md's movement table ``m`` is (None: a movement EXPECTED does not list)."""
    if m["kind"] == "troop_movement" and near(m["destination"], "Aleppo"):
        if near(m["origin"], "Idlib"):
            return "troops Idlib -> Aleppo"
        if m["actor"] == "rebels":
            return "rebels -> Aleppo"
    if m["kind"] == "weapons_movement" and m["origin"] is None:
        return "chemical stockpiles moved"
    if m["kind"] == "refugee_return" and country(m["destination"], "IQ"):
        return "Iraqi refugees return"
    if m["kind"] == "displacement" and near(m["origin"], "Aleppo"):
        return "Aleppo displacement"
    return None


def test_no_movement_beyond_expected(docs):
    rows = [_expected_movement_row(m) for doc in docs.values() for m in doc._.movements]
    extra = [m["evidence"][:80] for doc in docs.values() for m in doc._.movements if _expected_movement_row(m) is None]
    assert not extra, f"movements EXPECTED.md does not list: {extra}"
    # one record per row; the stockpile went two ways ("one portion ... another ..."): two legs allowed
    assert sorted(set(rows)) == sorted(
        {
            "troops Idlib -> Aleppo",
            "rebels -> Aleppo",
            "chemical stockpiles moved",
            "Iraqi refugees return",
            "Aleppo displacement",
        }
    )
    assert all(rows.count(r) == 1 for r in set(rows) - {"chemical stockpiles moved"})
    assert rows.count("chemical stockpiles moved") <= 2
