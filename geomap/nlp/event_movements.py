"""Movement records of a sentence unit, for ``geomap.nlp.events``.

``geomap.nlp.movements`` finds the movement frames (who moved, from where, to where); this
module gives each frame its ends as place mentions of the document - a gazetteer place, the
antecedent of "the city", the scene the sentence sets, the country refugees return from, the
place of an attack the movers went to carry out, or the text of an end the gazetteer lacks -
and its date, source, claim status and count, and adds the record to the reader.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from geomap.nlp.attribution import claim_status, find_source
from geomap.nlp.event_lexicon import NOUN_TRIGGERS, SPEECH_VERBS, word_list
from geomap.nlp.event_records import _FAMILY, _confidence, _dedupe_add, _evidence
from geomap.nlp.event_scene import _ANAPHORS, _PLACE_OBJECTS, SceneReader, _place_in, unit_index
from geomap.nlp.event_triggers import _hypothetical
from geomap.nlp.movement_party import MOVEMENT_WORDS
from geomap.nlp.movements import find_movements
from geomap.nlp.tolls import _key_value


def movement_records(r: SceneReader, unit: Span, speaker: str | None, next_unit: Span | None) -> None:
    """Add to ``r.movements`` the records of the unit's movement frames (``geomap.nlp.movements``)."""
    for frame in find_movements(unit):
        if _hypothetical(frame.verb, unit):
            continue
        origin = _end_place(r, frame.origin_tokens, unit)
        dest = _end_place(r, frame.dest_tokens, unit)
        value, dbasis = r.find_date(frame.verb, unit, _FAMILY[frame.kind], None)
        if origin is None and frame.kind == "displacement":
            # "Residents of Qusayr fled to Lebanon": where the people are from
            for t in frame.party:
                if t.dep_ == "prep" and t.lower_ in ("of", "from") and origin is None:
                    origin = _end_place(r, list(t.subtree), unit)
        if origin is None and frame.kind == "refugee_return" and dest is not None and _from_abroad(frame.party):
            origin = _host_country(r, unit, dest)
        if origin is None and frame.kind == "troop_movement" and dest is not None:
            origin = _scene_place(r, frame, unit, dest)
        if dest is None and frame.kind == "troop_movement":
            dest = _purpose_target(r, frame)
        if dest is None:
            # "transferred to airports along the southern border": no gazetteer place, but
            # the text is kept (destination_text), never a guessed point
            dest = _unresolved_end(frame.dest_tokens, unit)
        if origin is None and dest is None:
            origin = _unresolved_end(frame.origin_tokens, unit, named_only=True)
        if origin is None and dest is None:
            continue
        if origin is not None and dest is not None and origin._.place_id and origin._.place_id == dest._.place_id:
            continue
        source, sverb = find_source(frame.verb, unit, speaker, r.last_source)
        status = claim_status(unit, next_unit, sverb, source, frame.verb)
        count = next((c for c in r.counts if any(c.start <= t.i < c.end for t in frame.party)), None)
        evidence, start, end = _evidence(unit)
        cval = (count._.count if count is not None else None) or {}
        rec = {
            "kind": frame.kind,
            "actor": frame.actor,
            "origin": origin,
            "destination": dest,
            "count_type": cval.get("count_type"),
            "count_low": cval.get("count_low"),
            "count_best": cval.get("count_best"),
            "count_high": cval.get("count_high"),
            "count_qualifier": cval.get("count_qualifier"),
            **value,
            "date_basis": dbasis,
            "source_attribution": source,
            "claim_status": status,
            "evidence": evidence,
            "char_start": start,
            "char_end": end,
            "confidence": _confidence(
                "clause" if (origin is not None and dest is not None) else "sentence",
                dbasis,
                source,
                True,
                status,
                r.note,
            ),
            "verification_note": r.note,
        }
        _dedupe_add(r.movements, rec, ("kind", "origin", "destination", "date_start", "count_best"))


def _purpose_target(r: SceneReader, frame) -> Span | None:
    """Where forces went to carry out an attack told before: "jets flew in from Iraq to carry out
    the strikes" goes to the place of the strikes (the latest such incident with a place)."""
    for clause in frame.verb.children:
        if clause.dep_ not in ("advcl", "xcomp") or not any(
            a.dep_ == "aux" and a.lower_ == "to" for a in clause.children
        ):
            continue
        for obj in clause.children:
            trigger = NOUN_TRIGGERS.get(obj.lemma_.lower()) if obj.dep_ == "dobj" else None
            definite = any(d.lower_ in ("the", "these", "those", "this", "that") for d in obj.children)
            if trigger is None or not definite:
                continue
            for rec in reversed(r.incidents):
                if rec["event_type"] == trigger[0] and rec.get("place") is not None and rec["place"]._.place_id:
                    return rec["place"]
    return None


def _end_place(r: SceneReader, tokens: list[Token], unit: Span) -> Span | None:
    if not tokens:
        return None
    ids = {t.i for t in tokens}
    cands = _place_in(ids, r.places)
    if cands:
        # "entered Syria's Idlib province": the place owned, not its owner (when it is a place)
        first = cands[0]
        owner = first.end < len(first.doc) and first.doc[first.end].tag_ == "POS"
        owned = [p for p in cands[1:] if p._.place_id] if owner else []
        return (owned or cands)[0]
    for t in tokens:
        want = _ANAPHORS.get(t.lower_)
        if want and t.dep_ in ("pobj", "dobj") and any(c.lower_ in ("the", "this") for c in t.children):
            return r.antecedent(unit.start, want)
    return None


_PLACE_LIKE = _PLACE_OBJECTS | frozenset(
    """airport coast front frontline camp port harbour harbor base airfield depot warehouse
    countryside outskirts mountain mountains valley desert""".split()
)


_NAME_HEADS = word_list("name_heads")


def _unresolved_end(tokens: list[Token], unit: Span, named_only: bool = False) -> Span | None:
    """The noun phrase of a movement end that names a place-like thing or a place name the
    gazetteer lacks ("to airports along the border", "deployed fighters to Haradh")."""
    for t in tokens:
        # a name, unless it is a nationality or an organisation's ("the Nusra Front")
        named = t.pos_ == "PROPN" and t.dep_ == "pobj" and t.ent_type_ != "NORP" and t.lower_ not in _NAME_HEADS
        place_like = not named_only and (t.lemma_.lower() in _PLACE_LIKE or t.lower_ in _PLACE_LIKE)
        if (
            t.dep_ in ("pobj", "dobj")
            and (named or place_like)
            and unit.start <= t.left_edge.i
            and t.right_edge.i < unit.end
        ):
            return unit.doc[t.left_edge.i : t.right_edge.i + 1]
    return None


def _scene_place(r: SceneReader, frame, unit: Span, dest: Span) -> Span | None:
    """Where the movers set out from when the sentence places the scene ("said in the village
    he was in that hundreds of rebels ... headed to fight in Aleppo")."""
    heads = list(frame.verbs)
    for anc in frame.verb.ancestors:
        if not (unit.start <= anc.i < unit.end):
            break
        if anc.lemma_.lower() in SPEECH_VERBS:
            heads.append(anc)
            break
    for h in heads:
        for c in h.children:
            if c.dep_ == "prep" and c.lower_ in ("in", "at"):
                place = _end_place(r, list(c.subtree), unit)
                if place is not None and _key_value(place) != _key_value(dest):
                    return place
    return None


_ABROAD_MOVERS = MOVEMENT_WORDS["abroad_movers"]


def _from_abroad(party: list[Token]) -> bool:
    """Refugees and returnees came from a host country; citizens or the displaced who return to
    their villages came from elsewhere in Syria ("thousands of citizens returned to ...")."""
    return any(t.lemma_.lower() in _ABROAD_MOVERS for t in party)


def _host_country(r: SceneReader, unit: Span, dest: Span) -> Span | None:
    """Where returning refugees come from when the clause omits it: a country named in the
    neighbouring sentences ("...given the security threats in Syria"), never the destination."""
    idx = unit_index(r, unit)
    lo = r.units[max(0, idx - 2)].start
    hi = r.units[min(len(r.units) - 1, idx + 2)].end
    dest_cc = (dest._.place or {}).get("country_code")
    for p in r.places:
        if lo <= p.start < hi and p._.place_id and (p._.place or {}).get("level") == "country":
            if (p._.place or {}).get("country_code") != dest_cc:
                return p
    return None
