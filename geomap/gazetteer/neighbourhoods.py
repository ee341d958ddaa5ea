"""Neighbourhood readings need their city: the support rule of :mod:`geomap.gazetteer.ranking`.

A neighbourhood name is short and repeated across cities; a document that never names the
city (or another quarter of it) does not get the neighbourhood reading when the name has
other, equally good readings elsewhere.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from geomap.gazetteer.index import PlaceIndex
from geomap.gazetteer.regions import coords, haversine_km, num

if TYPE_CHECKING:
    from geomap.gazetteer.ranking import Mention

__all__ = ["neighbourhood_support"]


def neighbourhood_support(mentions: list[Mention], index: PlaceIndex) -> None:
    """Drop neighbourhood readings whose city the document does not name.

    A neighbourhood name is short and repeated across cities (two Jobars, a Khalidiya in
    Homs and in Aleppo). When a mention has two or more equally good readings in different
    places, its neighbourhood readings are kept only if another mention of the document can
    be their city: the governorate, a town or region within 15 km, or another neighbourhood
    of the same city that has no other reading. A name only one city has ("Baba Amr"), or one
    spelling that matches one city's entry verbatim, keeps its reading.
    """
    support = _supporting_entries(mentions, index)
    memo: dict[tuple, list] = {}
    for m in mentions:
        if m.kind == "demonym" or not m.candidates:
            continue
        sig = (m.key, tuple(m.candidates))
        if sig in memo:
            m.candidates = memo[sig]
            continue
        memo[sig] = m.candidates
        if not any(index.entry(p).get("level") == "neighbourhood" for p, _ in m.candidates):
            continue
        # Ambiguous: two or more readings as good as the best, in different places.
        top = max(q for _, q in m.candidates)
        best = [index.entry(p) for p, q in m.candidates if q >= top]
        pts = {(e.get("admin1"), round(num(e.get("lat")), 1), round(num(e.get("lon")), 1)) for e in best}
        if len(best) < 2 or len(pts) < 2:
            continue
        others = [e for e, keys in support.values() if keys - {m.key}]
        m.candidates = memo[sig] = [
            (p, q)
            for p, q in m.candidates
            if index.entry(p).get("level") != "neighbourhood" or _has_city(index.entry(p), others)
        ]


def _supporting_entries(mentions: list[Mention], index: PlaceIndex) -> dict[str, tuple[dict, set[str]]]:
    """Entries that can be a neighbourhood's city, once each, with the names that vouch for them.

    A name never supports itself (ten "Jobar"s do not name Damascus), and the work stays
    linear in the document's length (bounded by the distinct entries, not the mentions).
    """
    support: dict[str, tuple[dict, set[str]]] = {}
    for m in mentions:
        if m.kind == "demonym":
            continue
        # Only readings the text spells verbatim (or the only reading) vouch for a city.
        cands = [p for p, q in m.candidates if q >= 1.0 or len(m.candidates) == 1]
        ents = [(p, index.entry(p)) for p in cands]
        if not ents:
            continue
        if all(e.get("level") == "neighbourhood" for _, e in ents):
            if len({e.get("admin1") for _, e in ents}) > 1:
                continue
        else:
            ents = [(p, e) for p, e in ents if e.get("level") in ("governorate", "town", "region", "district")]
        for p, e in ents:
            support.setdefault(p, (e, set()))[1].add(m.key)
    return support


def _has_city(e: dict, support: list[dict]) -> bool:
    c = coords(e)
    for s in support:
        lvl = s.get("level")
        if lvl == "governorate":
            if s.get("admin1") and s.get("admin1") == e.get("admin1"):
                return True
            continue
        sc = coords(s)
        if (
            c
            and sc
            and haversine_km(*c, *sc) <= 15.0
            and (lvl != "neighbourhood" or s.get("admin1") == e.get("admin1"))
        ):
            return True
    return False
