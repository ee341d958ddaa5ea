"""Homonyms still tied after the context: the unit they share, never a random pick.

A late step of :func:`geomap.gazetteer.ranking.rank_mentions`: readings of one name that
score alike (nothing in the text or the gazetteer tells them apart) resolve at the district,
governorate or country they share, unless they are one place written twice (two rows of one
village, their points a few km apart).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from geomap.gazetteer.index import PlaceIndex
from geomap.gazetteer.regions import coords, haversine_km

if TYPE_CHECKING:
    from geomap.gazetteer.ranking import Mention

__all__ = ["TIE_MARGIN", "coarsen_ties"]

#: Readings whose scores differ by less than this are tied: nothing in the text or the gazetteer
#: (spelling closeness, population, level) tells them apart.
TIE_MARGIN = 0.02
#: Tied readings closer than this (km) are one place written twice (a town and its twin row).
_SAME_PLACE_KM = 5.0
#: ... or closer than this when they share this many names: the same village in two sources.
_TWIN_ROW_KM = 10.0
_TWIN_ROW_NAMES = 3


def coarsen_ties(mentions: list[Mention], index: PlaceIndex) -> None:
    """Homonyms still tied after the context: the unit they share, never a random pick.

    When two or more town or neighbourhood readings of a mention score within ``TIE_MARGIN``
    of each other and lie apart, the mention is resolved at the smallest unit containing all of
    them (their district, their governorate, their country), or left unresolved when they
    share none. Syrian namesakes in different governorates get no point: Syria's centre is no
    point for a village.
    """
    for m in mentions:
        if not m.chosen or len(m.scored) < 2 or m.kind == "demonym":
            continue
        best_s = m.scored[0][0]
        tied = [index.entry(p) for s, p in m.scored if best_s - s < TIE_MARGIN]
        if len(tied) < 2 or any(e.get("level") not in ("town", "neighbourhood") for e in tied):
            continue
        if all(_one_place(index, tied[0], e) for e in tied[1:]):
            # One place written twice: the tie is no doubt about where the place is.
            m.confidence = max(m.confidence, round(0.95 * dict(m.candidates).get(m.chosen, 0.0), 3))
            continue
        shared = _shared_unit(tied, index)
        if shared == index.country_id("SY"):
            # A village somewhere in Syria: the country's centre, in the desert, is no point for it
            # (a map of the war would show a mark there). Abroad the country reading is kept.
            shared = None
        m.chosen = shared
        m.confidence = m.confidence if shared else 0.0


def _one_place(index: PlaceIndex, a: dict, b: dict) -> bool:
    """Two rows of one place: within ``_SAME_PLACE_KM``, or within ``_TWIN_ROW_KM`` and
    sharing ``_TWIN_ROW_NAMES`` names (two sources' rows of one village, their points apart)."""
    ca, cb = coords(a), coords(b)
    if not (ca and cb):
        return False
    km = haversine_km(*ca, *cb)
    if km <= _SAME_PLACE_KM:
        return True
    shared = index.light_names(str(a.get("id"))) & index.light_names(str(b.get("id")))
    return km <= _TWIN_ROW_KM and len(shared) >= _TWIN_ROW_NAMES


def _shared_unit(entries: list[dict], index: PlaceIndex) -> str | None:
    """Id of the smallest district, governorate or country holding every entry, or None."""
    for col in ("admin2", "admin1"):
        names = {str(e.get(col) or "") for e in entries}
        if len(names) == 1 and "" not in names and len({e.get("country_code") for e in entries}) == 1:
            unit = _unit_ids(index).get((col, names.pop()))
            if unit:
                return unit
    codes = {str(e.get("country_code") or "").upper() for e in entries}
    return index.country_id(codes.pop()) if len(codes) == 1 and "" not in codes else None


def _unit_ids(index: PlaceIndex) -> dict[tuple[str, str], str]:
    """``("admin2", district name)`` / ``("admin1", governorate name)`` -> the unit's id (Syria)."""
    got = index.__dict__.get("_unit_ids")
    if got is None:
        got = {}
        for pid, e in index.entries.items():
            if str(e.get("country_code", "")).upper() != "SY":
                continue
            if e.get("level") == "district" and e.get("admin2"):
                got.setdefault(("admin2", str(e["admin2"])), pid)
            elif e.get("level") == "governorate" and e.get("admin1"):
                if ("admin1", str(e["admin1"])) not in got or pid.startswith("adm1:"):
                    got[("admin1", str(e["admin1"]))] = pid
        index.__dict__["_unit_ids"] = got
    return got
