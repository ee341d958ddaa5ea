"""Homonym rules of the places component: names that are places only in a text about the region.

A mixin of :class:`geomap.nlp.places.PlacesComponent` (it reads ``self.index`` and
``self.gazetteer_dir``): a one-word name met through a GeoNames alternate name ("Man" ~ Amman,
"Berea" ~ Aleppo) counts only when something else anchors the text in the region.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from spacy.tokens import Doc

from geomap import settings
from geomap.gazetteer.index import FOCUS, PlaceIndex, light
from geomap.gazetteer.ranking import Mention
from geomap.gazetteer.regions import haversine_km
from geomap.nlp import place_rules as rules
from geomap.nlp.place_evidence import event_governed, small_place

__all__ = ["HomonymRules"]

_PLACE_NOUNS = rules.PLACE_NOUNS
_PLURAL_PLACE_NOUNS = rules.PLURAL_PLACE_NOUNS
_in_place_list = rules.in_place_list


class HomonymRules:
    """Suspect one-word homonyms and the anchors that keep them (mixin)."""

    if TYPE_CHECKING:  # provided by PlacesComponent, the class this mixin is part of
        gazetteer_dir: str | None

        @property
        def index(self) -> PlaceIndex: ...

    def _homonym_suspect(self, doc: Doc, m: Mention, ents: list) -> bool:
        """Whether a one-word name is weak evidence of a place in the region by itself.

        The gazetteer is dense in Syria and its neighbours and carries GeoNames alternate names
        in many languages ("Man" for Amman, "Berea" for Aleppo, "Epiphaneia" for Hama), so a
        lone word met only through such a name often names something else. Suspect: one word
        whose every reading lies in the region, with no place noun or area word next to it,
        that is no entry's own name, and that is not one of the English spellings curated for
        reporting ("Idleb", "Deraa") unless the NER calls it a person or an organisation
        ("the State Duma"). An entry's own name ("Azaz", "Rastan") is never suspect: the small
        model calls Syrian towns ORG or PERSON too often for its label to count against them.
        """
        if m.kind != "toponym" or m.end - m.start != 1 or not m.candidates:
            return False
        entries = [self.index.entry(p) for p, _ in m.candidates]
        if any(str(e.get("country_code", "")).upper() not in FOCUS for e in entries):
            return False
        own = light(doc[m.start].text)
        # A village's own name is no anchor: with every village in the gazetteer, "Duma" (the
        # Russian parliament) is also a hamlet's name.
        if any(light(str(e.get("name", ""))) == own and not small_place(e) for e in entries):
            return False
        nxt = doc[m.end] if m.end < len(doc) else None
        if nxt is not None and (nxt.lower_ in rules.AREA_AFTER or nxt.lower_ in _PLACE_NOUNS):
            return False
        if (
            m.start >= 2
            and doc[m.start - 1].lower_ == "of"
            and doc[m.start - 2].lower_ in (_PLACE_NOUNS | _PLURAL_PLACE_NOUNS | rules.AREA_BEFORE_OF)
        ):
            return False
        if _in_place_list(doc, m.start):
            return False
        ent = ents[m.start]
        label = ent.label_ if ent is not None else ""
        return own not in self._reporting_spellings() or label in ("ORG", "PERSON")

    def _reporting_spellings(self) -> frozenset:
        """Light forms of the names in the gazetteer folder's ``curated.csv`` (empty without one)."""
        folder = Path(self.gazetteer_dir) if self.gazetteer_dir else Path(settings.gazetteer_dir)
        return _curated_spellings(str(folder / "curated.csv"))

    def _drop_unanchored_homonyms(self, doc: Doc, found: list[Mention], ents: list) -> list[Mention]:
        """Drop suspect one-word names (``_homonym_suspect``) in a text with nothing else in the region.

        Any other name in the region read verbatim (a demonym, "Syria", "Idlib province", a
        town the NER calls a place) anchors the text there, and then suspects are kept: in a
        report on Syria "Duma" is the town. So does an event that governs a name only Syrian
        places bear (:func:`geomap.nlp.place_evidence.event_governed`: "Shelling hit Zamalka"). Without an anchor ("Man booked for assault", "the
        State Duma", "a Berea man") they are not read as places at all.
        """
        suspects = [self._homonym_suspect(doc, m, ents) for m in found]
        if not any(suspects):
            return found
        anchors = set()
        for m, sus in zip(found, suspects):
            if sus or m.loose:
                continue
            for p, q in m.candidates:
                e = self.index.entry(p)
                if q == 1.0 and str(e.get("country_code", "")).upper() in FOCUS:
                    anchors.add(m.key)
                    break
        # Two suspects that read as places near each other ("Lattakia and Idleb", "Duma and
        # Harasta") vouch for each other: two accidental homonyms rarely land side by side.
        near = self._near_pairs([m for m, sus in zip(found, suspects) if sus])
        # An event that governs a name all of whose readings are Syrian places it too ("Shelling
        # hit Zamalka", "clashes in Hish"); a name a neighbour's town shares still needs an anchor.
        return [
            m
            for m, sus in zip(found, suspects)
            if not sus or anchors - {m.key} or m.key in near or (self._only_syrian(m) and event_governed(doc, m))
        ]

    def _only_syrian(self, m: Mention) -> bool:
        return all(str(self.index.entry(p).get("country_code", "")).upper() == "SY" for p, _ in m.candidates)

    def _near_pairs(self, ms: list[Mention], km: float = 150.0) -> set[str]:
        """Keys of mentions with a reading within ``km`` of a reading of another key.

        Readings are deduplicated and bucketed in 2-degree cells (more than ``km``), so a long
        text costs time linear in its distinct names, not quadratic in its mentions.
        """
        cells: dict[tuple[int, int], set] = {}
        for m in ms:
            for p, _ in m.candidates[:8]:
                e = self.index.entry(p)
                try:
                    lat, lon = float(e["lat"]), float(e["lon"])
                except (KeyError, TypeError, ValueError):
                    continue
                cells.setdefault((int(lat // 2), int(lon // 2)), set()).add((m.key, lat, lon))
        out: set[str] = set()
        for (cy, cx), pts in cells.items():
            around = [q for dy in (-1, 0, 1) for dx in (-1, 0, 1) for q in cells.get((cy + dy, cx + dx), ())]
            for ka, la, oa in pts:
                if ka in out:
                    continue
                for kb, lb, ob in around:
                    if kb != ka and haversine_km(la, oa, lb, ob) <= km:
                        out.update((ka, kb))
                        break
        return out

    def _about_syria(self, found: list[Mention]) -> bool:
        """Whether the text names Syria or a Syrian place verbatim."""
        for m in found:
            if m.loose:
                continue
            for p, q in m.candidates:
                if q == 1.0 and str(self.index.entry(p).get("country_code", "")).upper() == "SY":
                    return True
        return False


@lru_cache(maxsize=4)
def _curated_spellings(path: str) -> frozenset:
    """Names and aliases of ``curated.csv`` (the spellings English reporting uses), light-folded."""
    out = set()
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(line for line in fh if not line.startswith("#")):
                for name in [row.get("name") or ""] + (row.get("aliases") or "").split("|"):
                    if name and not name.startswith("-"):
                        out.add(light(name))
    except OSError:
        pass
    return frozenset(out - {""})
