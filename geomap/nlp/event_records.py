"""Incident records: building one, its confidence, and merging the same event told twice."""

from __future__ import annotations

import datetime as _dt
import re
from typing import TYPE_CHECKING

from spacy.tokens import Span

from geomap.nlp.event_breadth import protest_sub_type
from geomap.nlp.event_triggers import _conj_top
from geomap.nlp.event_units import joined_as_siblings
from geomap.nlp.place_words import _trigger_word
from geomap.nlp.scene_mentions import _DIRECTION_WORDS, _LIST_GLUE, _listed, _part_and_container  # noqa: F401
from geomap.nlp.tolls import _count_value, _key_value
from geomap.schema import VIOLENT_TYPES

_FAMILY = {
    "troop_movement": "troops",
    "weapons_movement": "weapons",
    "displacement": "people",
    "refugee_return": "people",
    "casualties": "violence",
    "bombardment": "violence",
    "clash": "violence",
    "attack_on_civilians": "violence",
    "control_change": "violence",
}

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
    out.extend(p for p in _listed(place, places) if all(p.start != q.start for q in out))
    out.sort(key=lambda p: p.start)
    return out


def listed_within(place: Span, cands: list[Span]) -> list[Span]:
    """The places a clause lists inside the area ``place`` it also names ("targeted positions
    in the surroundings of A B and C in Aleppo", "In Aleppo city units hit the neighborhoods
    of A B and C"): each is where an event happened, the area only says where they lie. Only
    a list (two members or more) counts; a member is a place of the same governorate no coarser
    than the area, or a name the gazetteer lacks."""
    area = _entry(place)
    rank = _LEVEL_RANK.get(area.get("level", ""))
    if rank is None or rank < _LEVEL_RANK["town"] or rank >= _LEVEL_RANK["country"] or not area.get("admin1"):
        return []
    members = []
    for q in cands:
        if q.start < place.end and place.start < q.end:
            continue  # the area itself
        entry = _entry(q)
        inside = (
            entry.get("admin1") == area["admin1"]
            and entry.get("country_code") == area.get("country_code")
            and _LEVEL_RANK.get(entry.get("level", ""), 9) <= rank
        )
        if inside or not (q._.place_id or _trigger_word(q[0])):
            members.append(q)
    return members if len(members) > 1 else []


def sibling_of_list(area: Span, members: list[Span]) -> bool:
    """Whether ``area`` is joined to the list by "and"/"or" ("in the surrounding of A B ... and
    in the village of C"): then it is one more member, a sibling, not the area they lie in."""
    before = [m for m in members if m.end <= area.start]
    after = [m for m in members if m.start >= area.end]
    nearest = ([max(before, key=lambda m: m.end)] if before else []) + (
        [min(after, key=lambda m: m.start)] if after else []
    )
    return any(joined_as_siblings(m, area) for m in nearest)


_WEAK_DATES = ("publication", "unknown", "context")
#: bases of a date that names the day itself (told in the clause, or set by the account)
_DAY_BASES = frozenset({"stated", "context"})


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
    """Add a movement record, or merge it into the same movement told before."""
    for i, old in enumerate(records):
        if not _same_event(old, rec, keys):
            continue
        # keep the better-attested telling, fill its gaps from the other
        better, other = (
            (rec, old)
            if (old.get("date_basis") in _WEAK_DATES and rec.get("date_basis") not in _WEAK_DATES)
            else (old, rec)
        )
        merged = dict(better)
        for k, v in other.items():
            if merged.get(k) is None and v is not None and k not in ("evidence", "char_start", "char_end"):
                merged[k] = v
        if merged.get("count_best") is None or (
            better.get("count_best") is None and other.get("count_best") is not None
        ):
            for k in ("count_type", "count_low", "count_best", "count_high", "count_qualifier"):
                merged[k] = other.get(k) if better.get("count_best") is None else better.get(k)
        sources = [x for x in (better.get("source_attribution"), other.get("source_attribution")) if x]
        merged["source_attribution"] = "; ".join(dict.fromkeys(sources)) or None
        merged["confidence"] = min(
            0.95, max(old["confidence"], rec["confidence"]) + (0.05 if len(set(sources)) > 1 else 0)
        )
        records[i] = merged
        return
    records.append(rec)


# ----------------------------------------------------------------------------- one event, one record

_VIOLENT_TYPES = VIOLENT_TYPES
#: which type a merged telling keeps when two differ: the most specific kind of violence
_TYPE_ORDER = [
    "bombardment",
    "clash",
    "control_change",
    "attack_on_civilians",
    "protest",
    "defection",
    "strategic_development",
    "casualties",
]
_COUNT_KEYS = ("count_type", "count_low", "count_best", "count_high", "count_qualifier")
_LEVEL_RANK = {"neighbourhood": 0, "town": 1, "district": 2, "governorate": 3, "region": 4, "country": 5}


def _entry(place) -> dict:
    return (place._.place or {}) if isinstance(place, Span) else {}


def _span_of(rec: dict):
    a = rec.get("date_start")
    b = rec.get("date_end") or a
    return a, b


def _dates_agree(old: dict, rec: dict) -> bool:
    """Spans that overlap, with a day's slack (an inferred publication week overlaps the days
    the article tells; history it recalls does not)."""
    (a0, a1), (b0, b1) = _span_of(old), _span_of(rec)
    if a0 is None or b0 is None:
        return True
    # two days each stated ("on Friday", "on Saturday") are two days; so is a day the account
    # set for the sentences after it ("...on Saturday. Another shell fell in X")
    stated = {old.get("date_basis"), rec.get("date_basis")} <= _DAY_BASES and a0 == a1 and b0 == b1
    slack = _dt.timedelta(days=0 if stated else 1)
    return a0 <= b1 + slack and b0 <= a1 + slack


def _places_agree(old: dict, rec: dict) -> bool:
    """The same place and the same part of it."""
    if _key_value(old["place"]) == _key_value(rec["place"]):
        return old.get("place_qualifier") == rec.get("place_qualifier")
    return False


def _same_admin1(old: dict, rec: dict) -> bool:
    """One place inside the other's governorate, told at another level ("Hama" / "Khatab");
    two places of one level are two places ("al-Hader" / "Bab Qibli")."""
    ea, eb = _entry(old["place"]), _entry(rec["place"])
    return (
        bool(ea.get("admin1"))
        and ea.get("admin1") == eb.get("admin1")
        and ea.get("country_code") == eb.get("country_code")
        and not ea.get("level") == eb.get("level") == "neighbourhood"
    )


def _country_container(old: dict, rec: dict) -> bool:
    """One record placed only on the country the other lies in."""
    ea, eb = _entry(old["place"]), _entry(rec["place"])
    if not ea or not eb:
        return False
    levels = {ea.get("level"), eb.get("level")}
    return "country" in levels and ea.get("country_code") == eb.get("country_code") and len(levels) == 2


def same_incident(old: dict, rec: dict, lead_end: int = 0) -> bool:
    """One event told twice in an article (headline, lead, body; two sources).

    The kind of violence agrees (the same type, or a bare toll and a violent event; sub-types
    that are both stated agree), the place agrees (the same place and part of it, or one telling
    placed only on the country), the dates overlap (or one is only inferred), and the death
    tolls are equal or one is missing.
    """
    ta, tb = old["event_type"], rec["event_type"]
    same_toll = _killed(old) is not None and _killed(old) == _killed(rec)
    if ta != tb and not ({ta, tb} & {"casualties"} and {ta, tb} - {"casualties"} <= _VIOLENT_TYPES):
        # "Shelling kills 7" / "7 civilians were killed": one toll, one event
        # (in the headline and lead, which tell the body's events in fewer words)
        if not (same_toll and {ta, tb} <= _VIOLENT_TYPES and min(old["char_start"], rec["char_start"]) < lead_end):
            return False
    if old.get("sub_type") and rec.get("sub_type") and old["sub_type"] != rec["sub_type"]:
        return False
    if ta != tb and "country" in (_entry(old["place"]).get("level"), _entry(rec["place"]).get("level")):
        return False  # a toll for the whole country is the war's, not one fight's
    # two different tolls are two events ("another shell ... killed 5"), unless one is the
    # lead's summary of the other ("more than a dozen killed in southern X" / "14 killed in Y")
    ka, kb = _killed(old), _killed(rec)
    summary = _summary_of(old, rec, lead_end) or _summary_of(rec, old, lead_end)
    if ka is not None and kb is not None and ka != kb and not summary:
        return False
    ia, ib = old.get("injured_best"), rec.get("injured_best")
    if ia is not None and ib is not None and ia != ib:
        return False
    if not _dates_agree(old, rec):
        return False
    if not _places_agree(old, rec):
        # the same toll told with the province or the country for place is the same event
        # ("14 civilians killed in Hama village" / "killed 14 civilians in Khatab")
        return summary or (ka is not None and ka == kb and (_country_container(old, rec) or _same_admin1(old, rec)))
    # the body tells events in different places that the gazetteer puts on one point
    # ("al-Hader" and "Bab Qibli", both in Hama): the same name, or a telling in the headline
    # and lead (which name the city where the body names its parts)
    return _named(old) == _named(rec) or min(old["char_start"], rec["char_start"]) < lead_end


def _summary_of(lead: dict, part: dict, lead_end: int) -> bool:
    """``lead``, told in the headline or lead at a coarser place than ``part`` (a region or
    governorate around its town), gives a death toll whose range holds ``part``'s ("more than a
    dozen" / 14): the summary of the body's telling, not another event."""
    if not (lead["char_start"] < lead_end <= part["char_start"]):
        return False
    ka, kb = _killed(lead), _killed(part)
    if ka is None or kb is None:
        return False
    ea, eb = _entry(lead["place"]), _entry(part["place"])
    if _LEVEL_RANK.get(ea.get("level", ""), -1) <= _LEVEL_RANK.get(eb.get("level", ""), 9):
        return False
    if not eb.get("country_code") or ea.get("country_code") != eb.get("country_code"):
        return False
    if ea.get("admin1") and ea.get("admin1") != eb.get("admin1"):
        return False  # a governorate around another's town
    low = lead.get("count_low") if lead.get("count_low") is not None else ka
    high = lead.get("count_high")
    if high is None:
        high = float("inf") if lead.get("count_qualifier") else ka
    return low <= kb <= high


def _named(rec: dict) -> str:
    """The place as the text names it (before any fall-back to the area it lies in)."""
    name = rec.get("place_named") or (rec["place"].text if rec.get("place") is not None else "")
    return re.sub(r"^(?:the|al|el)[- ]", "", name.lower().strip())


def _killed(rec: dict):
    return rec.get("count_best") if rec.get("count_type") == "killed" else None


def add_toll(rec: dict, cval: dict, total: bool = False) -> None:
    """Give a record a death or injury count; a second figure for the same toll widens its range.

    The record's ``count_*`` columns hold its death toll when one is stated (else the injured);
    ``injured_best`` always holds the injured when stated. A ``total`` death toll ("3
    fatalities.", "the death toll rose to 5") replaces the figures told before.
    """
    ctype, best = cval.get("count_type"), cval.get("count_best")
    if best is None or ctype not in ("killed", "injured"):
        return
    if total and ctype == "killed":
        for k in _COUNT_KEYS:
            rec[k] = cval.get(k)
        return
    if ctype == "injured":
        rec["injured_best"] = rec.get("injured_best") or best
        if rec.get("count_best") is not None:
            return
    if rec.get("count_best") is None or (ctype == "killed" and rec.get("count_type") != "killed"):
        for k in _COUNT_KEYS:
            rec[k] = cval.get(k)
        return
    if rec.get("count_type") != ctype or rec["count_best"] == best:
        return
    lows = [v for v in (rec.get("count_low"), rec.get("count_best"), cval.get("count_low"), best) if v is not None]
    highs = [v for v in (rec.get("count_high"), rec.get("count_best"), cval.get("count_high"), best) if v is not None]
    rec["count_low"], rec["count_high"] = min(lows), max(highs)


def _finer(a: dict, b: dict) -> dict:
    """The telling with the more precise place (a village over the city a headline names)."""
    ea, eb = _entry(a["place"]), _entry(b["place"])
    ra = (_LEVEL_RANK.get(ea.get("level", ""), 6), _population(ea))
    rb = (_LEVEL_RANK.get(eb.get("level", ""), 6), _population(eb))
    return b if rb < ra else a


def _population(entry: dict) -> int:
    try:
        return int(entry.get("population") or 0)
    except (TypeError, ValueError):
        return 0


def _merge_incident(old: dict, rec: dict) -> dict:
    """``old`` and ``rec`` as one record: the first telling's evidence, every telling kept."""
    first, second = (old, rec) if old["char_start"] <= rec["char_start"] else (rec, old)
    merged = dict(first)
    if merged["event_type"] != second["event_type"] and (
        merged["event_type"] == "casualties"
        or _TYPE_ORDER.index(second["event_type"]) < _TYPE_ORDER.index(merged["event_type"])
    ):
        # the telling that names the kind of violence decides it ("shelling killed 7" over
        # "7 civilians were killed")
        merged["event_type"], merged["sub_type"] = second["event_type"], second.get("sub_type")
    if _finer(first, second) is second:
        merged["place"], merged["place_qualifier"] = second["place"], second.get("place_qualifier")
    if first.get("date_basis") in _WEAK_DATES and second.get("date_basis") not in _WEAK_DATES:
        for k in ("date_start", "date_end", "date_precision", "date_basis"):
            merged[k] = second.get(k)
    for k, v in second.items():
        if (
            merged.get(k) is None
            and v is not None
            and k not in _COUNT_KEYS
            and k not in ("evidence", "char_start", "char_end")
        ):
            merged[k] = v
    for k in _COUNT_KEYS:
        merged[k] = None
    merged["injured_best"] = None
    # (tolls differ only when one telling sums up the other: the finer one's figure is the best)
    by_place = (second, first) if _finer(first, second) is second else (first, second)
    for r in by_place:
        if r.get("count_type") == "killed":
            add_toll(merged, {k: r.get(k) for k in _COUNT_KEYS})
    for r in (first, second):
        if r.get("count_type") not in (None, "killed"):
            add_toll(merged, {k: r.get(k) for k in _COUNT_KEYS})
        if r.get("injured_best") is not None:
            add_toll(merged, {"count_type": "injured", "count_best": r["injured_best"]})
    sources = [x for x in (first.get("source_attribution"), second.get("source_attribution")) if x]
    merged["source_attribution"] = "; ".join(dict.fromkeys("; ".join(sources).split("; "))) or None
    merged["confidence"] = min(0.95, max(old["confidence"], rec["confidence"]) + (0.05 if len(set(sources)) > 1 else 0))
    tellings = [e for e in (first.get("other_evidence"), second.get("other_evidence")) if e]
    if second["char_start"] != first["char_start"]:
        tellings.append(f"[{second['char_start']}] {second['evidence']}")
    merged["other_evidence"] = " || ".join(dict.fromkeys(tellings)) or None
    return merged


def add_telling(rec: dict, unit: Span) -> None:
    """Keep ``unit`` as one more telling of the event ``rec`` (its ``other_evidence``)."""
    if unit.start_char == rec["char_start"]:
        return
    telling = f"[{unit.start_char}] {unit.text}"
    tellings = [e for e in (rec.get("other_evidence") or "").split(" || ") if e]
    rec["other_evidence"] = " || ".join(dict.fromkeys(tellings + [telling]))


def add_incident_record(records: list[dict], rec: dict, lead_end: int = 0) -> int:
    """Add an incident record, or merge it into the same event told before; the kept index.

    ``lead_end`` is where the article's headline and lead end (a character offset).
    """
    for i, old in enumerate(records):
        if same_incident(old, rec, lead_end):
            records[i] = _merge_incident(old, rec)
            return i
    records.append(rec)
    return len(records) - 1


def merge_retold(records: list[dict], lead_end: int = 0) -> list[dict]:
    """The document's records with the same event told twice merged once more: a toll given to
    a record after it was added ("...shelled a district of X. Four were killed.") may make it
    the retelling of an earlier record."""
    out: list[dict] = []
    for rec in records:
        add_incident_record(out, rec, lead_end)
    return out


def _add_incident(
    r: SceneReader,
    unit: Span,
    etype,
    sub,
    place,
    qual,
    pbasis,
    value,
    dbasis,
    actor1,
    actor2,
    count,
    source,
    status,
    is_verb,
    named: str | None = None,
) -> None:
    evidence, start, end = _evidence(unit)
    if etype == "protest" and sub is None:
        sub = protest_sub_type(r.doc, unit.start, unit.end)  # dispersed, or fired on (event_breadth)
    cval = _count_value(r, count)
    rec = {
        "event_type": etype,
        "sub_type": sub,
        **value,
        "date_basis": dbasis,
        "place": place,
        "place_qualifier": qual,
        "actor1": actor1,
        "actor2": actor2,
        "count_type": cval.get("count_type"),
        "count_low": cval.get("count_low"),
        "count_best": cval.get("count_best"),
        "count_high": cval.get("count_high"),
        "count_qualifier": cval.get("count_qualifier"),
        "source_attribution": source,
        "claim_status": status,
        "evidence": evidence,
        "char_start": start,
        "char_end": end,
        "confidence": _confidence(pbasis, dbasis, source, is_verb, status, r.note),
        "verification_note": r.note,
        "injured_best": cval.get("count_best") if cval.get("count_type") == "injured" else None,
        "place_named": named or next(iter(r.named_places.get((place.start, unit.start)) or []), None)
        if place is not None
        else None,
    }
    r.scene.append((unit.start_char, add_incident_record(r.incidents, rec, r.lead_end)))
    if place is not None:  # the place this unit told, even when its record merged into another
        r.scene_places.append((unit.start_char, place))
