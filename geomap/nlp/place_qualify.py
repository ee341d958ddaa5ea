"""Qualifiers, governorate lists and containers: the words around a mention that say what it is.

A mixin of :class:`geomap.nlp.places.PlacesComponent` (it reads ``self.index``, ``self._owner``
and ``self._big``): "Aleppo province" is the governorate, "eastern Aleppo" is Aleppo with the
qualifier "eastern", "the provinces of Aleppo, Hama and Idlib" are governorates, and "X, Idlib",
"X town in Hama countryside", "the Hama village of X" name X's container.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from spacy.tokens import Doc

from geomap.gazetteer.index import PlaceIndex, fold
from geomap.gazetteer.ranking import Mention
from geomap.gazetteer.regions import coords, haversine_km, lies_against, num
from geomap.nlp import place_nouns
from geomap.nlp import place_rules as rules
from geomap.schema import read_table

__all__ = ["QualifyRules"]

_PLACE_NOUNS = rules.PLACE_NOUNS
#: Levels from small to large: a container is never smaller than what it contains.
#: Tokens after a name within which "the province" can refer back to a governorate.
_ANAPHORA_WINDOW = 10
#: Area words after a governorate's own name that mean the whole governorate ("the Homs region").
_GOVERNORATE_WIDE = place_nouns.area_values("whole_governorate")
#: Words after a mention of a country that make it its border ("the Turkish border").
_BORDER_WORDS = frozenset(w for w, area in rules.AREA_AFTER.items() if area == "border")
#: "the coastal town of Latakia": the town itself, not an area around it.
_NAMES_ITSELF = place_nouns.words("names_itself")
#: Direction words that name a part of a governorate ("eastern", "north-west").
_COMPASS = ("north", "south", "east", "west")
#: A capital this populous has its own quarters reported by direction ("eastern Aleppo").
_CITY_WITH_QUARTERS = 1_000_000
#: A region's point this far (km) from its governorate's point lies on one side of it.
_REGION_OFF_CENTRE_KM = 50.0
#: The sides of such a city reporting names by direction ("eastern Aleppo" in 2016).
_CITY_HALVES = frozenset({"east", "west"})
#: Tokens an Arabic article leaves before a name the recogniser starts after ("al-Fou'aa").
_ARTICLE_TOKENS = frozenset({"al", "el", "-", "ad", "ar", "as", "ash", "at", "az", "an"})
#: Words between two names that put the first beside the second ("X near Y", "X outside Y").
_NEAR_WORDS = frozenset({"near", "outside"})
#: "X in Aleppo city": the noun that puts X inside a town, not merely in its governorate.
_CITY_NOUN = "city"
#: Nouns of a part of a city (vocab/place_nouns.tsv: the ones that announce only a
#: neighbourhood): "X neighbourhood of Y" puts X inside Y.
_QUARTER_NOUNS = frozenset(w for w, lv in place_nouns.levels().items() if lv == {"neighbourhood"})
#: Possessive endings between a name and its area word ("Homs' countryside", "Hama's north").
_POSSESSIVES = frozenset({"'s", "'", "’s", "’"})
#: A town this populous is well known: "X, Y" does not put it in a governorate it is not in.
_KNOWN_TOWN = 10_000
_LEVEL_RANK = {"neighbourhood": 0, "town": 1, "district": 2, "governorate": 3, "region": 4, "country": 5}


class QualifyRules:
    """Qualifiers and containers of mentions (mixin)."""

    if TYPE_CHECKING:  # provided by PlacesComponent, the class this mixin is part of
        _owner: list[Mention | None]

        @property
        def index(self) -> PlaceIndex: ...

        def _big(self, m: Mention) -> bool: ...

    def _qualify(self, doc: Doc, m: Mention) -> None:
        """The area word after a mention, the area or direction word before it."""
        self._area_after(doc, m)
        if m.kind == "demonym":
            if m.end < len(doc) and doc[m.end].lower_ in _BORDER_WORDS:
                m.qualifier = "border"
            return
        if self._area_before_of(doc, m):
            return
        if self._rural_before(doc, m):
            return
        self._direction_before(doc, m)

    @staticmethod
    def _as_governorate(m: Mention, gov: str) -> None:
        """Read a mention as the governorate ``gov`` (its first candidate, preferred level)."""
        m.candidates = [(gov, 1.0)] + [(p, q) for p, q in m.candidates if p != gov]
        m.prefer_level = "governorate"

    def _possessive_area(self, doc: Doc, m: Mention) -> bool:
        """ "Homs' eastern countryside", "Hama's province": the governorate, as "eastern Homs
        countryside" is; whether the rule applied."""
        k = m.end
        if k + 1 >= len(doc) or doc[k].text not in _POSSESSIVES:
            return False
        words = [doc[k + 1].lower_]
        if words[0] in rules.DIRECTIONS and k + 2 < len(doc):
            words.append(doc[k + 2].lower_)
        area = rules.AREA_AFTER.get(words[-1])
        if area not in rules.ADMIN_AREAS and area not in rules.RURAL_AREAS:
            return False
        gov = self._governorate_for(m, rural=area in rules.RURAL_AREAS)
        if not gov:
            return False
        self._as_governorate(m, gov)
        m.end = k + 1 + len(words)
        m.kind = "qualified"
        m.qualifier = " ".join(words)
        return True

    def _area_after(self, doc: Doc, m: Mention) -> None:
        """ "Aleppo province", "Idlib countryside", "Damascus Suburbs"."""
        if m.end >= len(doc) or m.kind == "demonym" or self._possessive_area(doc, m):
            return
        nxt = doc[m.end]
        area = rules.AREA_AFTER.get(nxt.lower_)
        if area in _GOVERNORATE_WIDE and nxt.is_lower:
            # "the Homs region", "the Deir ez-Zor desert": the governorate, not its capital; only
            # for a governorate's own name ("the Qalamoun region" is no governorate).
            gov = self.index.governorates.get(m.key)
            if gov and any(p == gov for p, _ in m.candidates):
                self._as_governorate(m, gov)
                m.end += 1
                m.kind = "qualified"
            return
        if area not in rules.ADMIN_AREAS and area not in rules.RURAL_AREAS:
            return
        gov = self._governorate_for(
            m, rural=area in rules.RURAL_AREAS and (area == "countryside" or nxt.text[0].isupper())
        )
        if gov:
            self._as_governorate(m, gov)
            m.end += 1
            m.kind = "qualified"
            if area in rules.RURAL_AREAS:
                m.qualifier = area
        elif area in rules.ADMIN_AREAS:
            # "Salah Al Din province", "Abyan governorate": a province no Syrian governorate is
            # named for; its Syrian towns and neighbourhoods are namesakes, not the province.
            m.candidates = [(p, q) for p, q in m.candidates if not self._syrian_locality(p)]

    def _syrian_locality(self, pid: str) -> bool:
        e = self.index.entry(pid)
        return e.get("country_code") == "SY" and e.get("level") in ("town", "neighbourhood")

    def _area_before_of(self, doc: Doc, m: Mention) -> bool:
        """ "southern suburbs of Damascus", "the outskirts of Homs"; whether the rule applied."""
        s = m.start
        if s >= 2 and self._owner and self._owner[s - 2] is not None and self._owner[s - 2] is not m:
            return True  # "the Salaheddine district of Aleppo": the area word is the other name's
        if not (
            s >= 2
            and doc[s - 1].lower_ == "of"
            and (
                doc[s - 2].lower_ in rules.AREA_BEFORE_OF
                or (doc[s - 2].lower_ in rules.PARTS_BEFORE_OF and self._big(m))
            )
        ):
            return False
        # "the opposition-held neighbourhoods of Aleppo": parts of the city, which contains them
        words = [doc[s - 2].lower_]
        k = s - 2
        if k >= 1 and doc[k - 1].lower_ in rules.DIRECTIONS:
            words.insert(0, doc[k - 1].lower_)
            k -= 1
        if words[-1] in _NAMES_ITSELF:
            return True  # "the coastal town of Latakia": the town itself
        if words[-1] in rules.ADMIN_AREAS:
            gov = self._governorate_for(m, rural=False)
            if gov:
                self._as_governorate(m, gov)
        else:
            if words[-1] == "countryside":
                gov = self._governorate_for(m, rural=True)
                if gov:
                    self._as_governorate(m, gov)
            m.qualifier = " ".join(words)
        m.start = k
        m.kind = "qualified"
        return True

    def _rural_before(self, doc: Doc, m: Mention) -> bool:
        """ "rural Damascus", "Reef Hama": the governorate's countryside; whether it applied."""
        s = m.start
        if not (s >= 1 and doc[s - 1].lower_ in {"reef", "rif", "rural"}):
            return False
        gov = self._governorate_for(m, rural=True)
        if not gov:
            return False
        self._as_governorate(m, gov)
        m.start = s - 1
        m.kind = "qualified"
        m.qualifier = "countryside"
        return True

    def _direction_before(self, doc: Doc, m: Mention) -> None:
        """ "eastern Aleppo", "northern Hama"."""
        s = m.start
        if not (s >= 1 and doc[s - 1].lower_ in rules.DIRECTIONS):
            return
        if doc[s - 1].lower_ == "old" and s >= 2 and doc[s - 2].text in {"-", "–"}:
            return  # "a 25-year-old Paris man": an age, not the old town
        m.qualifier = doc[s - 1].lower_
        m.start = s - 1
        m.kind = "qualified"
        if m.qualifier == "rural":
            gov = self._governorate_for(m, rural=True)
            if gov:
                self._as_governorate(m, gov)
        elif any(c in m.qualifier for c in _COMPASS):
            self._compass_governorate(m)

    def _compass_governorate(self, m: Mention) -> None:
        """ "eastern Deir ez-Zor", "northern Hama": the part of the governorate, not its capital.

        A direction before a governorate's own name names a part of the province. Only a city
        of a million has halves reported so ("eastern Aleppo", "western Aleppo": the two sides
        of a divided city), and keeps the city reading for them; "northern Aleppo" is still the
        province's north (Azaz, Tal Rifaat), not a part of the city.
        """
        gov = self.index.governorates.get(m.key)
        if not gov or not any(p == gov for p, _ in m.candidates):
            self._region_against_direction(m)
            return
        towns = [self.index.entry(p) for p, _ in m.candidates if self.index.entry(p).get("level") == "town"]
        halves = m.qualifier is not None and m.qualifier.replace("ern", "") in _CITY_HALVES
        if halves and any(float(e.get("population") or 0) >= _CITY_WITH_QUARTERS for e in towns):
            return
        self._as_governorate(m, gov)

    def _region_against_direction(self, m: Mention) -> None:
        """ "eastern Homs countryside": the governorate when the region's point lies the other way.

        An editor's "Homs countryside" point sits west of the governorate, in the farmland around
        the city; the eastern countryside is the desert 150 km away. A region whose point lies
        against the direction the text gives, seen from its governorate's point, is read as the
        governorate: coarse, but not on the wrong side.
        """
        regions = [self.index.entry(p) for p, q in m.candidates if q >= 1.0]
        regions = [e for e in regions if e.get("level") == "region" and e.get("admin1")]
        if len(regions) != 1 or m.qualifier is None:
            return
        gov = self.index.governorates.get(fold(str(regions[0]["admin1"])))
        origin, point = coords(self.index.entry(gov or "")), coords(regions[0])
        if gov and origin and point and haversine_km(*origin, *point) > _REGION_OFF_CENTRE_KM:
            if lies_against(origin, point, m.qualifier):
                self._as_governorate(m, gov)

    def _governorate_for(self, m: Mention, rural: bool) -> str | None:
        """The governorate a name stands for in "X province" / "X countryside"."""
        index = self.index
        if rural and m.key in (fold("Damascus"), fold("Dimashq"), fold("Damascus city")):
            for k in ("rif dimashq", "rural damascus", "damascus countryside"):
                gid = index.governorates.get(fold(k))
                if gid:
                    return gid
        gid = index.governorates.get(m.key)
        if gid:
            return gid
        for pid, _ in m.candidates:
            e = index.entry(pid)
            if e.get("level") == "governorate":
                return pid
        for pid, _ in m.candidates:
            e = index.entry(pid)
            if e.get("country_code") == "SY" and e.get("admin1"):
                gid = index.governorates.get(fold(str(e["admin1"])))
                # "X province": only a town named like its governorate ("Deir Ezzor" city) stands
                # for it; an Aleppo neighbourhood sharing "Salah Al Din" (Iraq) does not.
                if gid and (rural or index.governorates.get(fold(str(e.get("name") or ""))) == gid):
                    return gid
        return None

    def _governorate_lists(self, doc: Doc, ms: list[Mention]) -> None:
        """Read the names of a list of governorates as governorates, not their capitals.

        "the provinces of Aleppo, Hama and Idlib", or a list of three or more names joined by
        commas and "and" in which one name can only be a governorate ("Homs, Idlib, Hama and
        Reef Dimashq"): every member that names a governorate is that governorate.
        """
        k = 0
        while k < len(ms):
            j = k
            while (
                j + 1 < len(ms)
                and ms[j + 1].kind != "demonym"
                and all(t.lower_ in {",", "and", "&"} for t in doc[ms[j].end : ms[j + 1].start])
                and ms[j + 1].start > ms[j].end
            ):
                j += 1
            run = ms[k : j + 1]
            s = run[0].start
            plural = s >= 2 and doc[s - 1].lower_ == "of" and doc[s - 2].lower_ in {"provinces", "governorates"}
            govs = [self._governorate_for(m, rural=False) if m.kind != "demonym" else None for m in run]
            only_gov = any(
                m.candidates and all(self.index.entry(p).get("level") == "governorate" for p, _ in m.candidates)
                for m in run
            )
            if plural or (len(run) >= 3 and only_gov and sum(g is not None for g in govs) >= 3):
                for m, g in zip(run, govs):
                    if (
                        g
                        and m.prefer_level is None
                        and m.kind != "demonym"
                        and (any(p == g for p, _ in m.candidates) or self.index.governorates.get(m.key) == g)
                    ):
                        m.candidates = [(g, 1.0)] + [(p, q) for p, q in m.candidates if p != g]
                        m.prefer_level = "governorate"
            k = j + 1

    def _level_span(self, m: Mention) -> tuple[int, int]:
        """Smallest and largest level of the best-matching readings (verbatim ones when any):
        "Syria" the country, not a village the spelling only meets through folding."""
        top = max((q for _, q in m.candidates), default=0.0)
        ranks = [_LEVEL_RANK.get(str(self.index.entry(p).get("level")), 1) for p, q in m.candidates if q >= top] or [1]
        return min(ranks), max(ranks)

    def _containers(self, doc: Doc, ms: list[Mention]) -> None:
        """Containers the text names ("X, Idlib", "the Hama village of X"), then "the province"."""
        self._named_containers(doc, ms)
        self._coordinated_pairs(doc, ms)
        self._province_anaphora(doc, ms)
        self._american_towns(doc, ms)

    def _coordinated_pairs(self, doc: Doc, ms: list[Mention]) -> None:
        """ "the towns of A and B", "A, B": each is told the other's possible points.

        Places a text names together are most often neighbours, so a reading of A next to a
        reading of B is the likelier one ("Kafraya and al-Fou'aa", 3 km apart).
        """
        for a, b in zip(ms, ms[1:]):
            gap = [t.lower_ for t in doc[a.end : b.start] if t.lower_ not in _ARTICLE_TOKENS]
            if gap not in (["and"], [","], [",", "and"]) or not (a.candidates and b.candidates):
                continue
            a.partner_points += self._points(b)
            b.partner_points += self._points(a)

    def _points(self, m: Mention) -> list[tuple[float, float]]:
        return [c for c in (coords(self.index.entry(p)) for p, _ in m.candidates) if c is not None]

    def _american_towns(self, doc: Doc, ms: list[Mention]) -> None:
        """ "Paris, Missouri", "London, Ky.": the American town, so only American readings count."""
        for m in ms:
            if m.kind == "toponym" and m.candidates and m.end + 1 < len(doc) and doc[m.end].text == ",":
                if _us_state_at(doc, m.end + 1):
                    m.candidates = [
                        (p, q) for p, q in m.candidates if str(self.index.entry(p).get("country_code")) == "US"
                    ]

    def _province_anaphora(self, doc: Doc, ms: list[Mention]) -> None:
        """ "X village in the western countryside of the province": the governorate named last.

        "The province" (not "the province of Y") after a name, in the same sentence and with no
        other name between, refers to the last governorate the text named before it.
        """
        last_gov: int | None = None
        for k, m in enumerate(ms):
            if m.container is None and last_gov is not None and self._the_province_after(doc, m, ms, k):
                m.container = last_gov
            if m.prefer_level == "governorate" or (m.kind == "toponym" and self.index.governorates.get(m.key)):
                last_gov = k

    @staticmethod
    def _the_province_after(doc: Doc, m: Mention, ms: list[Mention], k: int) -> bool:
        end = min(len(doc), m.end + _ANAPHORA_WINDOW, ms[k + 1].start if k + 1 < len(ms) else len(doc))
        for t in doc[m.end : end]:
            if t.is_sent_start or t.text in {";", "."}:
                return False
            if (
                t.lower_ in rules.ADMIN_AREAS
                and doc[t.i - 1].lower_ == "the"
                and (t.i + 1 >= len(doc) or doc[t.i + 1].lower_ != "of")
            ):
                return True
        return False

    def _named_containers(self, doc: Doc, ms: list[Mention]) -> None:
        for k in range(len(ms) - 1):
            a, b = ms[k], ms[k + 1]
            gap = doc[a.end : b.start]
            if not b.candidates:
                continue
            if _relative_direction(doc, a, b, gap):
                a.container = k + 1  # "X, 20 km northwest of Aleppo": X lies by Aleppo
                continue
            if len(gap) > 3 or (a.candidates and self._level_span(a)[0] > self._level_span(b)[1]):
                continue  # "in Syria, in Aleppo": a town does not contain a country
            if self._level_span(b)[1] == _LEVEL_RANK["neighbourhood"] and [t.text for t in gap] == [","]:
                continue  # "al-Zahra, al-Khalidiya and ...": a quarter contains no other place
            if a.prefer_level == "governorate" or self._listed_elsewhere(doc, a, b, gap):
                continue  # "Daraa, Idlib and Hama": a list, not Daraa in Idlib
            self._linked_container(doc, ms, k, gap)
        # "the villages of A, B and C in Hama countryside": the list shares its container.
        for k in range(len(ms) - 2, -1, -1):
            a, b = ms[k], ms[k + 1]
            if (
                a.container is None
                and b.container is not None
                and b.container != k
                and a.kind != "demonym"
                and a.prefer_level != "governorate"
                and b.start > a.end
                and all(t.lower_ in {",", "and"} for t in doc[a.end : b.start])
            ):
                a.container = b.container

    def _listed_elsewhere(self, doc: Doc, a: Mention, b: Mention, gap) -> bool:
        """ "X, Y" inside a longer list is a list, not X in Y, when X spells a well-known place outside Y.

        A governorate or a town of ``_KNOWN_TOWN`` people that the text names verbatim, in none
        of the governorates of Y's readings, is not in Y when a third name is listed with them:
        "Aleppo, Damascus, Daraa, Idlib and Hama" names five places. Two names alone ("Qusayr,
        Rif Dimashq", "Atarib, Aleppo") are the place-and-container notation.
        """
        if [t.text for t in gap] != [","]:
            return False
        before = doc[a.start - 1].text if a.start > 0 else ""
        after = doc[b.end].lower_ if b.end < len(doc) else ""
        if before != "," and after not in (",", "and"):
            return False
        known = [
            e
            for e in (self.index.entry(p) for p, q in a.candidates if q >= 1.0)
            if e.get("level") == "governorate" or num(e.get("population")) >= _KNOWN_TOWN
        ]
        if not known:
            return False
        theirs = {self.index.entry(p).get("admin1") for p, _ in b.candidates} - {None, ""}
        return bool(theirs) and not any(e.get("admin1") in theirs for e in known)

    def _linked_container(self, doc: Doc, ms: list[Mention], k: int, gap) -> None:
        """The container two neighbouring names state through the few words between them."""
        a, b = ms[k], ms[k + 1]
        words = {t.lower_ for t in gap}
        nouns = words & _PLACE_NOUNS
        if words and words - nouns <= rules.CONTAINER_LINKS and words & {",", "in", "province", "("}:
            a.container = k + 1  # "X, Idlib", "X in Hama province", "X town in Idlib countryside"
            if "near" in words:
                a.direction = "near"  # "X, near Y": X lies by Y
            elif "in" in words and _CITY_NOUN in (words | {doc[b.end].lower_ if b.end < len(doc) else ""}):
                a.direction = "in_city"  # "X in Aleppo city", "X in the city of Homs": inside the city
        elif words & _NEAR_WORDS and words - nouns - rules.AREA_AFTER.keys() <= rules.CONTAINER_LINKS:
            a.container = k + 1  # "X near Y", "the X region near Y": X lies by Y
            a.direction = "near"
        elif words == {"of"} and doc[a.end - 1].lower_ in rules.AREA_AFTER:
            a.container = k + 1  # "Salaheddine district of Aleppo"
        elif len(gap) == 2 and gap[0].lower_ in _QUARTER_NOUNS and gap[1].lower_ == "of":
            a.container = k + 1  # "X neighbourhood of Hasakah": X is a quarter of the city
            a.direction = "in_city"
        elif (
            len(gap) == 2
            and nouns
            and gap[-1].lower_ == "of"
            and a.candidates
            and self._level_span(a)[1] > self._level_span(b)[0]
        ):
            b.container = k  # "the Hama village of X": the name before the noun holds X
        elif len(gap) == 1 and gap[0].text == ":" and a.candidates:
            b.container = k  # "Aleppo: Sheikh Ali village"

    # ------------------------------------------------------------------ main


_DISTANCE_UNITS = frozenset({"km", "kilometres", "kilometers", "kms", "miles", "mi"})


def _relative_direction(doc: Doc, a: Mention, b: Mention, gap) -> bool:
    """ "X, 20 km northwest of Aleppo": set the side of ``b`` that ``a`` lies on; whether it applied."""
    if _relative_position(gap):
        a.direction = gap[-2].lower_
    elif len(gap) <= 3 and _relative_position([*gap, *doc[b.start : b.start + 2]]):
        a.direction = doc[b.start].lower_  # the same, "north of Aleppo" recognised as one name
    else:
        return False
    return True


def _relative_position(gap) -> bool:
    """Whether the words between two names place the first by the second.

    "X, west of Y", "X northwest of Y", "X, 20 km south of Y": a compass direction and "of",
    after an optional comma and distance.
    """
    words = [t.lower_ for t in gap]
    if words[:1] == [","]:
        words = words[1:]
    if len(words) == 4 and words[0].replace(".", "").isdigit() and words[1] in _DISTANCE_UNITS:
        words = words[2:]
    return len(words) == 2 and words[1] == "of" and any(c in words[0] for c in _COMPASS)


@lru_cache(maxsize=1)
def _us_states() -> tuple[frozenset[str], frozenset[str]]:
    """Lower-case names, and abbreviations without their final period, of ``place_us_states.tsv``."""
    rows = read_table(Path(__file__).resolve().parents[1] / "vocab" / "place_us_states.tsv")
    names = frozenset(r["name"].lower() for r in rows)
    abbreviations = frozenset(a.lower() for r in rows for a in r["abbreviations"].split())
    return names, abbreviations


def _us_state_at(doc: Doc, i: int) -> bool:
    """Whether a US state's name or abbreviation starts at token ``i`` ("Missouri", "Ky.", "New York").

    An abbreviation counts only with its period ("Del." is Delaware, "Del Ponte" is a person).
    """
    names, abbreviations = _us_states()
    tok = doc[i]
    if not tok.text[:1].isupper():
        return False
    if tok.lower_ in names or (i + 1 < len(doc) and f"{tok.lower_} {doc[i + 1].lower_}" in names):
        return True
    dotted = tok.text.endswith(".") or (i + 1 < len(doc) and doc[i + 1].text == "." and not tok.whitespace_)
    return dotted and tok.lower_.rstrip(".") in abbreviations
