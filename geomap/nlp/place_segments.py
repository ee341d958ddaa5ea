"""Members of lists of places written without commas: "the neighborhoods of al-A B al-C and D".

English reports on Syria (and copies of them that lost their punctuation) list villages and
neighbourhoods without commas: "targeted the neighbourhoods of al-Sukkari Bustan al-Qasr and
al-Kalasa", "the villages of Tal Sultan Tal Diniyeh and Abu Dali". The small model reads such a
run as one person or organisation, so the gazetteer look-up of its pieces never starts. Here the
run after "<list noun> of" (``place_rules.LIST_OPENERS``) is cut into members:

1. list separators ("and", ",") always end a member;
2. a name the gazetteer holds (exact or folded key), longest first, is a member;
3. between known names a new member starts at an Arabic article after an article-led word
   ("al-Qurayshiyeh al-Baydawiyeh": two names), at a capitalised word after an article-led word
   ("al-Qurayshiyeh Sahat al-Mashatil"), and at a word that begins place names
   (``vocab/place_name_starts.tsv``: "Tal", "Kafr", "Deir"...); otherwise "X al-Y" and "X Y"
   stay one name ("Bustan al-Qasr", "Qasr Nuwaydi").

A member the gazetteer does not hold stays a mention without a reading (its level and container
are the list's; nothing is invented). The last member after the list's final separator is one
name: only it is taken, and only when the run ends with it ("and Qasr Nuwaydi destroying"), since
capitalised words after it may start another name ("and Binnish Human Rights Monitor said").
"""

from __future__ import annotations

from pathlib import Path

from spacy.tokens import Doc

from geomap.gazetteer.index import FOCUS, FOLDED_MATCH, PlaceIndex, fold
from geomap.gazetteer.ranking import Mention, check_spelling
from geomap.nlp import place_nouns, place_scan
from geomap.nlp import place_rules as rules
from geomap.nlp.place_match import ARTICLES, COMMON_CAPS, GENERIC_KEYS
from geomap.schema import read_table
from geomap.transliteration import qualifiers

__all__ = ["NAME_STARTS", "add_list_members", "list_members", "place_shaped", "segment", "trim_to_names_used"]

_PATH = Path(__file__).resolve().parents[1] / "vocab" / "place_name_starts.tsv"


#: Words that begin Arabic place names ("Tal", "Kafr", "Deir"): one starts the next member.
NAME_STARTS = frozenset(r["word"].lower() for r in read_table(_PATH) if r["word"])
_SEPARATORS = frozenset({",", "and", "&"})
_NOT_PLACES_FOLDED = frozenset(fold(w) for w in rules.NOT_PLACES) - {""}
#: List noun -> the levels of its members ("neighbourhoods" -> neighbourhood; vocab/place_nouns.tsv).
_LEVELS = place_nouns.levels()
_HYPHENS = frozenset({"-", "‐"})
#: Transliterated qualifiers ending a name ("Tahtani", "Saghireh"), folded.
_QUALIFIER_WORDS = frozenset(qualifiers()[1])
#: Most words (article-led words count one) of a member the gazetteer does not hold.
_MAX_UNKNOWN_WORDS = 3
#: Most words of a gazetteer name tried at one position.
_MAX_KNOWN_WORDS = 4
#: Capitalised words that are never part of a village's or neighbourhood's name.
_NOT_NAME_WORDS = COMMON_CAPS | rules.ORG_HEADS | rules.TITLE_WORDS | rules.STREET_WORDS | rules.NOT_PLACES


def _units(doc: Doc, s: int, e: int) -> list[tuple[int, int, bool]] | None:
    """The words of tokens ``s:e`` as (start, end, article_led); None when one is no name word.

    "al-Dawleh" is one article-led word (three tokens); an apostrophe joins the word before it
    ("Ma'arrat"): a word's end is where the next capitalised word or article starts.
    """
    out: list[tuple[int, int, bool]] = []
    k = s
    while k < e:
        tok = doc[k]
        if tok.lower_ in ARTICLES and k + 2 < e and doc[k + 1].text in _HYPHENS and doc[k + 2].is_alpha:
            out.append((k, k + 3, True))
            k += 3
        elif tok.is_alpha and rules.is_capitalised(tok) and tok.lower_ not in _NOT_NAME_WORDS:
            if out and fold(tok.text) in GENERIC_KEYS and tok.lower_ not in NAME_STARTS:
                break  # "Umm Hilal Mosque": a facility of the place ends its name
            out.append((k, k + 1, False))
            k += 1
        elif out and rules.is_joiner(tok):
            out[-1] = (out[-1][0], k + 1, out[-1][2])  # "Ma'" of "Ma'arrat", a trailing hyphen
            k += 1
        else:
            return None
    # a joiner glues the word after it to the word before it ("Ma'arrat", "Deir-Hafer")
    merged: list[tuple[int, int, bool]] = []
    for u in out:
        if merged and doc[merged[-1][1] - 1].text in rules.JOINERS:
            merged[-1] = (merged[-1][0], u[1], merged[-1][2])
        else:
            merged.append(u)
    return merged


def place_shaped(doc: Doc, i: int, j: int) -> bool:
    """Whether tokens ``i:j`` (two words or more) are shaped like a place's name, not a person's.

    Its first word begins only place names ("Tal", "Kafr", "Khirbet"; not "Abu", "Umm" or
    "Sheikh", which begin people's names too), or its last word is a transliterated qualifier
    ("Rasm Tahtani", "Tal Aran al-Saghireh": Lower, Small; ``vocab/place_qualifiers.tsv``).
    """
    if j - i < 2 or (i > 0 and doc[i - 1].text == "("):
        # "Al Qutayfan (Kafr Zuwayrib, Wadi Zibad)": names in a parenthesis say where the name
        # before it lies (geomap.nlp.unresolved_places reads them); the shape alone is no place here
        return False
    first = doc[i].lower_
    return (first in NAME_STARTS and first not in rules.PERSON_PREFIXES) or fold(doc[j - 1].text) in _QUALIFIER_WORDS


def _starts_member(doc: Doc, prev: tuple[int, int, bool], unit: tuple[int, int, bool]) -> bool:
    """Whether ``unit`` starts a new name after ``prev`` in a run of unknown words."""
    if prev[2]:
        return True  # "al-Qurayshiyeh al-Baydawiyeh", "al-Qurayshiyeh Sahat": an article-led word ends a name
    if unit[2]:
        return False  # "Bustan al-Qasr": "X al-Y" is one name
    return doc[unit[0]].lower_ in NAME_STARTS and doc[prev[0]].lower_ not in NAME_STARTS


def _known(doc: Doc, index: PlaceIndex, s: int, e: int) -> list[tuple[str, float]]:
    """Gazetteer readings of tokens ``s:e`` spelled as a Syrian (or foreign, verbatim) name."""
    text = doc[s:e].text
    key = fold(text)
    if not key or key in GENERIC_KEYS or doc[e - 1].lower_ in NAME_STARTS:
        return []  # "Tal" alone, or "X Tal": a word that starts a name names nothing
    cands = [
        (p, q)
        for p, q in index.candidates(text, key)
        if q > FOLDED_MATCH or str(index.entry(p).get("country_code", "")).upper() in FOCUS
    ]
    return check_spelling(index, text, cands)[0] if cands else []


def _readings(
    doc: Doc, index: PlaceIndex, s: int, e: int, known: list, levels: frozenset | None
) -> list[tuple[str, float]]:
    """A member's readings: its gazetteer keys, and near-miss spellings at the list's level.

    Where the list noun says what its members are ("the neighbourhoods of", "the villages
    of"), the Syrian places of that level sharing the member's spelling key, or spelled nearly
    so, are readings too: "al-Hamidiyeh" folds to towns in four governorates but the neighbourhoods
    of that name, "Qazi Askar" ~ Qadi Askar; the list's other members choose among them (the
    ranking). After "the areas of" or "the surroundings of" a near miss is too weak ("al-Mahatta"
    is no village Mahattah): the member keeps its gazetteer keys only. Readings at other levels than
    the noun's are dropped.
    """
    text = doc[s:e].text
    extra = (index.spelling_candidates(text) or ([] if known else index.fuzzy_syria(text))) if levels else []
    seen = {p for p, _ in known}
    cands = list(known) + [(p, q) for p, q in extra if p not in seen]
    if levels:
        cands = [(p, q) for p, q in cands if index.entry(p).get("level") in levels]
    return check_spelling(index, text, cands)[0] if cands else []


def segment(doc: Doc, index: PlaceIndex, units: list[tuple[int, int, bool]]) -> list[tuple[int, int, list]]:
    """Cut a run of words with no separator into members: (start, end, readings).

    Known names first, longest first, at each member start; the unknown words between them are
    cut by ``_starts_member``.
    """
    out: list[tuple[int, int, list]] = []
    u = 0
    while u < len(units):
        found = None
        for w in range(min(_MAX_KNOWN_WORDS, len(units) - u), 0, -1):
            cands = _known(doc, index, units[u][0], units[u + w - 1][1])
            if cands:
                found = (units[u][0], units[u + w - 1][1], cands)
                u += w
                break
        if found is None:
            v = u + 1
            while v < len(units) and not _starts_member(doc, units[v - 1], units[v]):
                v += 1
            found = (units[u][0], units[v - 1][1], [])
            u = v
        out.append(found)
    return out


def _runs(doc: Doc) -> list[tuple[int, int]]:
    """(start, end) of every run of names after "<list noun> of" ("the villages of ...").

    The list noun is the token two before ``start`` (three with "the"). "as well as" joins two
    runs ("the areas of A as well as B"); a run never ends on a separator, a joiner or an
    article ("as" of "as well as" is also the article of "as-Safira")."""
    low = place_scan.lowers(doc)
    out = []
    for k in range(1, len(low) - 1):
        if low[k] != "of" or low[k - 1] not in rules.LIST_OPENERS:
            continue
        s = k + 2 if low[k + 1] == "the" else k + 1
        if s >= len(low):
            continue
        e = rules.list_end(doc, s)
        while low[e - 1 : e + 2] == ["as", "well", "as"] and e + 2 < len(low):
            e = rules.list_end(doc, e + 2)
        while e > s and (low[e - 1] in _SEPARATORS or doc[e - 1].text in rules.JOINERS or low[e - 1] in ARTICLES):
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def _chunks(doc: Doc, s: int, e: int) -> list[tuple[int, int]]:
    """Tokens ``s:e`` cut at list separators ("and", ",", "as well as")."""
    out, start = [], s
    low = place_scan.lowers(doc)
    k = s
    while k < e:
        width = 3 if low[k : k + 3] == ["as", "well", "as"] else 1 if low[k] in _SEPARATORS else 0
        if width:
            if k > start:
                out.append((start, k))
            start = k + width
        k += max(width, 1)
    if e > start:
        out.append((start, e))
    return out


def _last_member(doc: Doc, units: list, members: list) -> list[tuple[int, int, list]]:
    """The one name after a list's final separator ("and Qasr Nuwaydi", "and Binnish").

    Two words the gazetteer does not hold as one are one unknown name ("Qasr Nuwaydi"),
    unless the model starts a name at the second ("and Binnish Ahmed said"); a longer run is
    cut after a known first name only ("and Kafr Nabl Reuters reported").
    """
    first = members[0]
    if len(members) == 1:
        return members if first[2] or len(units) < _MAX_UNKNOWN_WORDS else []
    second = doc[first[1]] if first[1] < len(doc) else None
    new_name = second is not None and second.ent_iob_ == "B" and second.ent_type_ not in rules.PLACE_LABELS
    if len(units) < _MAX_UNKNOWN_WORDS and not new_name:
        return [(units[0][0], units[-1][1], [])]
    return [first] if first[2] else []


def list_members(doc: Doc, index: PlaceIndex) -> list[Mention]:
    """Every member of the lists of places in ``doc`` (see the module docstring).

    Returns
    -------
    list of Mention
        One per member, its readings those spelled close to the written name (possibly none).
    """
    out: list[Mention] = []
    for s, e in _runs(doc):
        noun = doc[s - 3 if doc[s - 1].lower_ == "the" else s - 2].lower_
        levels = _LEVELS.get(noun)  # "the neighbourhoods of A B": neighbourhoods, not towns
        chunks = _chunks(doc, s, e)
        for c, (cs, ce) in enumerate(chunks):
            units = _units(doc, cs, ce)
            if not units:
                continue
            members = segment(doc, index, units)
            if c == len(chunks) - 1 and c > 0:
                members = _last_member(doc, units, members)
            for ms, me, cands in members:
                if not cands and len(_units(doc, ms, me) or ()) > _MAX_UNKNOWN_WORDS:
                    continue  # bounds of a long unknown run are a guess
                cands = _readings(doc, index, ms, me, cands, levels)
                out.append(Mention(ms, me, fold(doc[ms:me].text), cands, loose=not any(q >= 1.0 for _, q in cands)))
    return out


def add_list_members(doc: Doc, found: list[Mention], taken: list[bool], index: PlaceIndex) -> set[int]:
    """Add to ``found`` the list members other sources missed or cut; their starts.

    ``taken`` (the tokens of ``found``) is updated. A member replaces the mentions on its tokens
    when ``_member_replaces`` says so.
    """
    out = set()
    for m in list_members(doc, index):
        inside = [f for f in found if f.start < m.end and m.start < f.end]
        if m.key in _NOT_PLACES_FOLDED or not _member_replaces(m, inside):
            continue
        found[:] = [f for f in found if f not in inside]
        found.append(m)
        out.add(m.start)
        taken[m.start : m.end] = [True] * (m.end - m.start)
    found.sort(key=lambda m: m.start)
    return out


def _member_replaces(m: Mention, inside: list[Mention]) -> bool:
    """Whether a list member replaces the mentions found on its tokens.

    A piece of the member is no name of its own ("Sarmin" of "Mazraat Sarmin"); the member
    found as a whole by a near-miss spelling only takes the list's readings ("the areas of A and
    al-Mahatta": no near miss where the noun does not say the level); a name found across the
    member's bounds, or found spelled exactly, stays.
    """
    for f in inside:
        if f.start < m.start or f.end > m.end:
            return False
        if (f.start, f.end) == (m.start, m.end) and (
            not f.loose or f.ner_place or any(q >= 1.0 for _, q in f.candidates)
        ):
            return False
        if f.key == m.key and (f.start, f.end) != (m.start, m.end):
            return False  # "Nayrab" of "al-Nayrab": the same name without its article
    return True


def trim_to_names_used(doc: Doc, found: list[Mention]) -> None:
    """Cut an unknown name to the shorter name the document uses alone elsewhere.

    The bounds of a name the gazetteer lacks are a guess: "families fled to the village of
    Jelbana Local Council members said" runs on into the speaker. When the same document names
    "Jelbana" alone ("shells hit Jelbana on Monday"), the longer run is that
    name followed by other words.
    """
    keys = {m.key for m in found if m.kind != "demonym"}
    for m in found:
        if m.candidates or m.end - m.start < 2 or m.kind != "toponym":
            continue
        for cut in range(m.end - 1, m.start, -1):
            key = fold(doc[m.start : cut].text)
            if key in keys and key != m.key and key not in GENERIC_KEYS:
                m.end, m.key = cut, key
                break
