"""Syrian namesakes in a text about another country.

A report on Iraq, Yemen or Lebanon meets Syrian villages and neighbourhoods that share or
nearly share the names of its places ("Anbar", "El Mina"), and through them Syrian governorates. When what the text firmly names lies in another country and nothing firmly
Syrian is named, such readings are namesakes: a wrong point in Syria is worse than none.

The evidence is weighed in three strengths of Syrian reading (:func:`syrian_strength`):

- *strong*: Syria, its demonym, a governorate by its own name, a region, a town of
  ``FIRM_SYRIAN_TOWN`` people, read verbatim: the text is about Syria, nothing is undone;
- *listed*: a smaller town GeoNames or the curated list holds, or a neighbourhood, read verbatim
  ("al-Midan", "Kafr Nubl"): the common Arabic names a text abroad meets most; more distinct
  names abroad than such readings outvote them;
- *weak*: a village only the village lists hold, or a reading through folding or fuzzy
  matching: a single name read firmly abroad, by its own name rather than an alias, outvotes
  any number of them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from geomap.gazetteer.index import LISTED_TOWN_SOURCE, PlaceIndex, fold
from geomap.gazetteer.regions import num

if TYPE_CHECKING:
    from geomap.gazetteer.ranking import Mention

__all__ = ["countries_named_by_actors", "syrian_namesakes_of_a_foreign_text", "syrian_strength"]

#: Armed actors that fight in one country other than Syria ("Houthi": Yemen), as data.
ACTOR_COUNTRIES_PATH = Path(__file__).resolve().parents[1] / "vocab" / "actor_countries.tsv"

#: Distinct names read firmly abroad that outvote the text's listed Syrian readings (with more
#: such names than listed readings); a person's name ("Salem", "al-Turk") reads as a place too.
FOREIGN_NAMES = 2
#: A Syrian town this populous named verbatim anchors the text in Syria ("Manbij", "Tal Abyad").
FIRM_SYRIAN_TOWN = 10_000

STRONG, LISTED, WEAK = 2, 1, 0


@lru_cache(maxsize=1)
def _actor_patterns() -> tuple[tuple[re.Pattern, str], ...]:
    rows = []
    for line in ACTOR_COUNTRIES_PATH.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("words\t"):
            continue
        words, country = line.split("\t")[:2]
        rows.append((re.compile(rf"(?<!\w){re.escape(words.strip())}(?!\w)", re.IGNORECASE), country.strip().upper()))
    return tuple(rows)


def countries_named_by_actors(text: str) -> set[str]:
    """The countries other than Syria whose own armed actors the text names.

    ``geomap/vocab/actor_countries.tsv`` lists actors that fight in one country only ("Houthi
    forces" fight in Yemen): a text naming one is about that country. Pass the result as
    ``countries`` to :func:`syrian_namesakes_of_a_foreign_text`.
    """
    return {country for pattern, country in _actor_patterns() if pattern.search(text)}


def _verbatim(m: Mention) -> bool:
    return bool(m.chosen) and dict(m.candidates).get(m.chosen or "", 0.0) >= 1.0


def syrian_strength(m: Mention, index: PlaceIndex) -> int:
    """How firmly a Syrian reading places the text in Syria: ``STRONG``, ``LISTED`` or ``WEAK``.

    Strong: Syria or a Syrian demonym, a governorate by its own name ("Aleppo province", not
    a foreign province read as a Syrian governorate through a namesake), a region read verbatim, a town
    of ``FIRM_SYRIAN_TOWN`` inhabitants read verbatim. Listed: a town GeoNames' list of towns or
    the curated list holds, or a neighbourhood, read verbatim ("Tal Abyad"). Weak: the rest (a
    village only the village lists hold, "Anbar"; a folded or fuzzy reading).
    """
    e = index.entry(m.chosen or "")
    level = e.get("level")
    if level == "country":
        return STRONG
    if level == "governorate":
        return STRONG if index.governorates.get(m.key) == m.chosen else WEAK
    if not _verbatim(m):
        return WEAK
    if level == "region" or num(e.get("population")) >= FIRM_SYRIAN_TOWN:
        return STRONG
    listed = str(e.get("source", "")).startswith((LISTED_TOWN_SOURCE, "curated"))
    return LISTED if listed or level == "neighbourhood" else WEAK


def _country(m: Mention, index: PlaceIndex) -> str:
    return str(index.entry(m.chosen or "").get("country_code", "")).upper()


def _by_its_own_name(m: Mention, index: PlaceIndex) -> bool:
    """A place abroad read by its own name: not a demonym, not one of the place's aliases.

    A person's name meets these more often than a place's own name: Arabic family names are
    demonyms ("al-Turk", "al-Masri"), and "Salem" is an alias of Jerusalem. One such reading
    abroad is no evidence against Syrian villages.
    """
    if m.kind == "demonym":
        return False
    return fold(str(index.entry(m.chosen or "").get("name", ""))) == m.key


def _abroad(foreign: set[str], own_name: bool, listed: set[str], strong: bool) -> bool:
    """The text's firm names abroad outweigh its Syrian readings.

    ``own_name``: one of the ``foreign`` names is read by its own name (:func:`_by_its_own_name`).
    """
    if strong or not foreign:
        return False
    if not listed and own_name:
        return True
    return len(foreign) >= FOREIGN_NAMES and len(foreign) > len(listed)


def syrian_namesakes_of_a_foreign_text(
    mentions: list[Mention], index: PlaceIndex, anchor: float, countries: Iterable[str] = ()
) -> None:
    """Unresolve the Syrian readings of a text whose firm places lie in other countries.

    Firm abroad: read verbatim with confidence ``anchor`` or more (a country, its demonym, a
    town). ``countries``: other countries the text is tied to by other evidence (its actors:
    "Houthi" is Yemen's), each counted as one more name abroad. The Syrian readings are
    namesakes, left unresolved, when nothing strongly Syrian is named and either every Syrian
    reading is weak and a name abroad is read by its own name, or the names abroad are ``FOREIGN_NAMES`` or more and outnumber the listed
    Syrian readings (:func:`syrian_strength`).
    """
    foreign = {f"country:{c.upper()}" for c in countries if c and c.upper() != "SY"}
    own_name = bool(foreign)
    listed: set[str] = set()
    strong = False
    for m in mentions:
        if not m.chosen:
            continue
        cc = _country(m, index)
        if cc == "SY":
            s = syrian_strength(m, index) if m.confidence >= anchor else WEAK
            strong = strong or s == STRONG
            if s == LISTED:
                listed.add(m.key)
        elif cc and m.confidence >= anchor and _verbatim(m):
            foreign.add(m.key)
            own_name = own_name or _by_its_own_name(m, index)
    if not _abroad(foreign, own_name, listed, strong):
        return
    for m in mentions:
        if m.chosen and _country(m, index) == "SY":
            m.chosen, m.confidence = None, 0.0
