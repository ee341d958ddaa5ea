"""Incident records: building one, its confidence, and merging the same event told twice."""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Span

from geomap.nlp.tolls import _key_value
from geomap.nlp.event_triggers import _conj_top
from geomap.nlp.tolls import _count_value

_FAMILY = {"troop_movement": "troops", "weapons_movement": "weapons", "displacement": "people",
           "refugee_return": "people", "casualties": "violence", "bombardment": "violence",
           "clash": "violence", "attack_on_civilians": "violence", "control_change": "violence"}

if TYPE_CHECKING:  # the reader is only an argument here
    from geomap.nlp.event_scene import SceneReader


def _confidence(place_basis, date_basis, source, verb_trigger, status, note) -> float:
    c = 0.45
    c += {"clause": 0.2, "sentence": 0.12, "anaphor": 0.08, "country": 0.05}.get(place_basis, 0)
    c += {"stated": 0.15, "statement": 0.1, "context": 0.07}.get(date_basis, 0)
    c += 0.1 if source else 0
    c += 0.05 if verb_trigger else 0
    if status in ("disputed", "denied"):
        c -= 0.15
    if note:
        c -= 0.05
    return round(max(0.05, min(0.95, c)), 2)


def _evidence(unit: Span) -> tuple[str, int, int]:
    return unit.text, unit.start_char, unit.end_char


def _coordinated(place: Span, places: list[Span]) -> list[Span]:
    """``place`` and the places coordinated with it ("in Homs and Hama and Idlib")."""
    root = place.root
    top = root
    while top.dep_ == "conj" and top.head is not top:
        top = top.head
    members = {top.i} | {t.i for t in top.subtree if t.dep_ == "conj" and _conj_top(t).i == top.i}
    out = [place]
    for p in places:
        if p.start == place.start:
            continue
        if p.root.i in members and p.root.dep_ in ("conj", top.dep_):
            out.append(p)
    out.sort(key=lambda p: p.start)
    return out



_WEAK_DATES = ("publication", "unknown", "context")


def _same_event(old: dict, rec: dict, keys: tuple[str, ...]) -> bool:
    """One event told twice: same type and places; dates equal or one only inferred; counts
    equal or one missing."""
    for k in keys:
        a, b = _key_value(old[k]), _key_value(rec[k])
        if k == "date_start":
            if a != b and old.get("date_basis") not in _WEAK_DATES and rec.get("date_basis") not in _WEAK_DATES:
                return False
        elif k == "count_best":
            if a is not None and b is not None and a != b:
                return False
        elif a != b:
            return False
    # a part of a place is another event than the whole ("21 killed in Aleppo" vs "shelling
    # of the eastern part of the city"); two sources for one event are one record
    return old.get("place_qualifier") == rec.get("place_qualifier")


def _dedupe_add(records: list[dict], rec: dict, keys: tuple[str, ...]) -> None:
    for i, old in enumerate(records):
        if not _same_event(old, rec, keys):
            continue
        # keep the better-attested telling, fill its gaps from the other
        better, other = (rec, old) if (old.get("date_basis") in _WEAK_DATES and rec.get("date_basis") not in _WEAK_DATES) else (old, rec)
        merged = dict(better)
        for k, v in other.items():
            if merged.get(k) is None and v is not None and k not in ("evidence", "char_start", "char_end"):
                merged[k] = v
        if merged.get("count_best") is None or (better.get("count_best") is None and other.get("count_best") is not None):
            for k in ("count_type", "count_low", "count_best", "count_high", "count_qualifier"):
                merged[k] = other.get(k) if better.get("count_best") is None else better.get(k)
        sources = [x for x in (better.get("source_attribution"), other.get("source_attribution")) if x]
        merged["source_attribution"] = "; ".join(dict.fromkeys(sources)) or None
        merged["confidence"] = min(0.95, max(old["confidence"], rec["confidence"]) + (0.05 if len(set(sources)) > 1 else 0))
        records[i] = merged
        return
    records.append(rec)


def _add_incident(r: SceneReader, unit: Span, etype, sub, place, qual, pbasis, value, dbasis, actor1, actor2,
                  count, source, status, is_verb) -> None:
    evidence, start, end = _evidence(unit)
    cval = _count_value(r, count)
    rec = {
        "event_type": etype, "sub_type": sub, **value, "date_basis": dbasis,
        "place": place, "place_qualifier": qual,
        "actor1": actor1, "actor2": actor2,
        "count_type": cval.get("count_type"), "count_low": cval.get("count_low"),
        "count_best": cval.get("count_best"), "count_high": cval.get("count_high"),
        "count_qualifier": cval.get("count_qualifier"),
        "source_attribution": source, "claim_status": status,
        "evidence": evidence, "char_start": start, "char_end": end,
        "confidence": _confidence(pbasis, dbasis, source, is_verb, status, r.note),
        "verification_note": r.note,
    }
    _dedupe_add(r.incidents, rec, ("event_type", "place", "date_start", "count_best"))
