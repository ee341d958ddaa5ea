"""One journey told more than once in an article becomes one movement record.

A headline, a lead and a later paragraph often tell the same convoy, evacuation or flight, each
with part of its ends; ``join_legs`` keeps one record per journey with every end it was given.
Split from ``geomap.nlp.movements`` (which re-exports ``join_legs``).
"""

from __future__ import annotations

import re

from geomap.nlp.event_lexicon import LEXICON_DIR, TROOP_NOUNS
from geomap.nlp.movement_party import CARRIER_NOUNS
from geomap.schema import read_table

#: sentences between two tellings of one journey ("... fled Manbij." ... "They sought refuge in Tokhar.")
JOIN_SENTENCES = 4


def join_legs(doc, records: list[dict]) -> list[dict]:
    """One journey told in two sentences becomes one movement record.

    "... civilians were killed as they fled from Manbij." ... "They sought refuge in the village of
    Tokhar." gives a displacement with an origin only and, a few sentences later, one of the same
    kind and actor with a destination only: they are the two ends of one movement (a coder records
    one). The later record's destination fills the earlier one; the later record is dropped.
    Likewise "a convoy ... to the Idlib Governorate" then "the convoy made its way to Tal al-Eis"
    (the later, named again, gives the precise end), and two tellings of a journey from the same
    place on overlapping days ("a convoy of buses leaving eastern Ghouta" ... "buses ... left
    eastern Ghouta late Saturday, bound for Idlib").

    Parameters
    ----------
    doc : spacy.tokens.Doc
    records : list of dict
        Movement records of ``doc`` in text order (``origin``/``destination`` place Spans).

    Returns
    -------
    list of dict
    """
    starts = [s.start_char for s in doc.sents]

    def sent_no(char: int) -> int:
        return sum(1 for c in starts if c <= char)

    out: list[dict] = []
    for rec in records:
        _route(doc, rec)
        _actor_of_retelling(doc, out, rec, sent_no)
        joined = False
        for old in reversed(out):
            gap = sent_no(rec["char_start"]) - sent_no(old["char_start"])
            if not 0 < gap <= JOIN_SENTENCES:
                continue
            if old["kind"] != rec["kind"]:
                # "400 refugees left Arsal to cross into Syria" ... "The refugees were headed for
                # Qalamoun": a return told again as a flight of refugees
                if {old["kind"], rec["kind"]} == _PEOPLE_KINDS and _retold(doc, old, rec, gap):
                    old["kind"] = "refugee_return"
                    joined = True
                    break
                continue
            if (
                _other_end(old, rec)
                or _finer_end(doc, old, rec, gap)
                or _same_journey(old, rec, gap)
                or _retold(doc, old, rec, gap)
            ):
                joined = True
                break
        if not joined:
            out.append(rec)
    return [rec for rec in out if _has_a_place(rec) and not _war_statistic(rec)]


def _war_statistic(rec: dict) -> bool:
    """ "More than 6.7 million people have fled the country": people who left a whole country, to
    no stated place, on no stated day, are the war's running total, not a movement of that week."""
    origin = rec.get("origin")
    return (
        rec["kind"] in _PEOPLE_KINDS
        and rec.get("destination") is None
        and origin is not None
        and (origin._.place or {}).get("level") == "country"
        and rec.get("date_basis") in (None, "publication", "unknown")
    )


_PEOPLE_KINDS = frozenset({"displacement", "refugee_return"})


def _has_a_place(rec: dict) -> bool:
    """A movement needs an end that is a place: a gazetteer place, a name the gazetteer lacks
    ("Eshtabrak point") or a described place ("airports along the southern border", "the Turkish
    border"); a bare noun ("sent 50 tanks to the border", "in the area") gives none."""
    for end in (rec.get("origin"), rec.get("destination")):
        if end is None:
            continue
        words = [t for t in end if t.pos_ in ("NOUN", "PROPN", "ADJ", "NUM")]
        if end._.place_id or any(t.pos_ == "PROPN" for t in end) or len(words) >= 2:
            return True
    return False


#: phrase -> route ("by sea" -> sea), lexicon/move_route.tsv
ROUTE_PHRASES = {r["phrase"]: r["route"] for r in read_table(LEXICON_DIR / "move_route.tsv")}


def _route(doc, rec: dict) -> None:
    """ "Refugees left Latakia by boat for Mersin": the movement's route (``route`` column)."""
    if rec.get("route"):
        return
    text = " " + " ".join(re.findall(r"\w+", doc.text[rec["char_start"] : rec["char_end"]].lower())) + " "
    route = next((r for p, r in ROUTE_PHRASES.items() if f" {p} " in text), None)
    if route is not None:
        rec["route"] = route


_ARMED_KINDS = frozenset({"troop_movement", "weapons_movement"})


def _actor_of_retelling(doc, out: list[dict], rec: dict, sent_no) -> None:
    """ "The Turkish army sent 50 tanks to the border. The convoy entered Syria": a definite convoy
    (column, force) with no actor of its own is the armed party of the movement just told."""
    if rec.get("actor") is not None or rec["kind"] not in _ARMED_KINDS or not out:
        return
    old = out[-1]
    if old["kind"] not in _ARMED_KINDS or old.get("actor") is None:
        return
    if not 0 < sent_no(rec["char_start"]) - sent_no(old["char_start"]) <= 2:
        return
    span = doc.char_span(rec["char_start"], rec["char_start"] + 1, alignment_mode="expand")
    if span is not None and any(
        t.dep_ in ("nsubj", "nsubjpass")
        and t.lemma_.lower() in CARRIER_NOUNS | TROOP_NOUNS
        and any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in t.children)
        for t in span.sent
    ):
        rec["actor"] = old["actor"]


def _other_end(old: dict, rec: dict) -> bool:
    """ "fled from Manbij" ... "They sought refuge in Tokhar": the destination of the same journey."""
    if rec.get("origin") is not None or rec.get("destination") is None or old.get("actor") != rec.get("actor"):
        return False
    if old.get("destination") is not None or old.get("origin") is None or not _days_overlap(old, rec):
        return False
    old["destination"] = rec["destination"]
    return True


_COARSE = frozenset({"country", "governorate", "region"})


def _level(span) -> str | None:
    return (span._.place or {}).get("level") if span is not None and span._.place_id else None


def _finer_end(doc, old: dict, rec: dict, gap: int) -> bool:
    """ "Turkey sent a convoy ... to the Idlib Governorate." "The convoy made its way to Tal al-Eis":
    the party named again, with no origin of its own, reached a precise place of the coarse end."""
    if gap > 2 or rec.get("origin") is not None or rec.get("actor") not in (None, old.get("actor")):
        return False
    if _level(old.get("destination")) not in _COARSE or _level(rec.get("destination")) in (None, *_COARSE):
        return False
    if not _named_again(doc, old["char_start"], rec["char_start"]):
        return False
    old["destination"] = rec["destination"]
    return True


def _named_again(doc, old_char: int, new_char: int) -> bool:
    """The later sentence's subject is a definite noun ("the convoy") the earlier sentence names."""
    new_sent = doc.char_span(new_char, new_char + 1, alignment_mode="expand")
    old_sent = doc.char_span(old_char, old_char + 1, alignment_mode="expand")
    if new_sent is None or old_sent is None:
        return False
    earlier = {t.lemma_.lower() for t in old_sent.sent if t.pos_ == "NOUN"}
    return any(
        t.dep_ in ("nsubj", "nsubjpass")
        and t.lemma_.lower() in earlier
        and any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in t.children)
        for t in new_sent.sent
    )


def _same_journey(old: dict, rec: dict, gap: int) -> bool:
    """Two tellings of one journey: the same origin, overlapping days, one end missing in one of
    them. The record that gives more (an end, a day) is kept, filled from the other."""
    o1, o2 = old.get("origin"), rec.get("origin")
    if gap > RETOLD_SENTENCES or o1 is None or o2 is None or not o1._.place_id or o1._.place_id != o2._.place_id:
        return False
    d1, d2 = old.get("destination"), rec.get("destination")
    if d1 is not None and d2 is not None:
        return False
    if not _days_overlap(old, rec):
        return False
    if (
        old.get("date_start") is None
        and rec.get("date_start") is not None
        or (old.get("date_precision") != "day" and rec.get("date_precision") == "day")
    ):
        for k in ("date_start", "date_end", "date_precision", "date_basis"):
            old[k] = rec.get(k)
    for k in ("destination", "actor", "count_type", "count_low", "count_best", "count_high", "count_qualifier"):
        if old.get(k) is None and rec.get(k) is not None:
            old[k] = rec[k]
    return True


def _days_overlap(a: dict, b: dict) -> bool:
    """Both dated spans overlap (an undated telling overlaps any)."""
    if not a.get("date_start") or not b.get("date_start"):
        return True
    a_end = a.get("date_end") or a["date_start"]
    b_end = b.get("date_end") or b["date_start"]
    return str(a["date_start"]) <= str(b_end) and str(b["date_start"]) <= str(a_end)


#: sentences between a headline or lead and the paragraph that tells the same journey again
RETOLD_SENTENCES = JOIN_SENTENCES


def _contains(coarse, fine) -> bool:
    """The place ``coarse`` is ``fine`` or holds it: the same governorate, the same country."""
    a, b = coarse._.place or {}, fine._.place or {}
    if a.get("id") == b.get("id"):
        return True
    if a.get("level") == "country":
        return a.get("country_code") == b.get("country_code") and b.get("level") != "country"
    if a.get("level") == "governorate":
        return bool(a.get("admin1")) and a.get("admin1") == b.get("admin1") and b.get("level") != "governorate"
    return False


def _retold(doc, old: dict, rec: dict, gap: int) -> bool:
    """A headline or lead and a later paragraph telling one journey: "reinforcements traveled to
    the Aleppo Governorate on Saturday" ... "800 soldiers traveled to Aleppo from Tartous"; the same
    kind, the same (or an unnamed) actor, overlapping days. One record, with the finer ends, the
    count and the day."""
    if gap > RETOLD_SENTENCES or None not in (old.get("actor"), rec.get("actor")) and old["actor"] != rec["actor"]:
        return False
    if not _days_overlap(old, rec):
        return False
    return _other_half(doc, old, rec) or _vaguer_telling(doc, old, rec) or _nested_ends(old, rec)


_COUNT_KEYS = ("count_type", "count_low", "count_best", "count_high", "count_qualifier")


def _other_half(doc, old: dict, rec: dict) -> bool:
    """ "sent a convoy to X on Sunday" ... "the convoy came from Y": the origin of the journey told
    (not "... after a large convoy withdrew from Sarrin": another convoy)."""
    o1, o2, d1 = old.get("origin"), rec.get("origin"), old.get("destination")
    if rec.get("destination") is not None or o1 is not None or o2 is None or d1 is None or not d1._.place_id:
        return False
    if not _named_again(doc, old["char_start"], rec["char_start"]):
        return False
    old["origin"] = o2
    return True


def _vaguer_telling(doc, old: dict, rec: dict) -> bool:
    """One telling gives places, the other none: "... for the return of all displaced to their
    villages" after the return told with its towns; "the entry of a convoy ... in Syrian territory"
    before "the convoy entered from X and went to Y" (its ends replace the vague ones)."""
    if old["kind"] != rec["kind"]:
        return False
    if not _resolved(rec) and _resolved(old):
        return True
    if _resolved(rec) and not _resolved(old) and _named_again(doc, old["char_start"], rec["char_start"]):
        for k in ("origin", "destination", *_COUNT_KEYS):
            if rec.get(k) is not None:
                old[k] = rec[k]
        return True
    return False


def _nested_ends(old: dict, rec: dict) -> bool:
    """Both tellings give a destination, one holding the other, and no second origin."""
    d1, d2 = old.get("destination"), rec.get("destination")
    o1, o2 = old.get("origin"), rec.get("origin")
    if d1 is None or d2 is None or not d1._.place_id or not d2._.place_id:
        return False
    if o1 is not None and o2 is not None and o1._.place_id != o2._.place_id:
        return False
    if not (_contains(d1, d2) or _contains(d2, d1)):
        return False
    if _contains(d1, d2):
        old["destination"] = d2
    for k in ("origin", "actor", *_COUNT_KEYS):
        if old.get(k) is None and rec.get(k) is not None:
            old[k] = rec[k]
    if old.get("date_precision") != "day" and rec.get("date_precision") == "day":
        for k in ("date_start", "date_end", "date_precision", "date_basis"):
            old[k] = rec.get(k)
    return True


def _resolved(rec: dict) -> bool:
    """An end of the record is a gazetteer place."""
    return any(rec.get(k) is not None and rec[k]._.place_id for k in ("origin", "destination"))
