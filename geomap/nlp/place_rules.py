"""Word lists and context rules that decide whether a name in text is a place at all.

The rules read the tokens around a candidate mention (and the statistical NER's labels) and say
"this is part of a person's name", "this is part of an organisation's name", "this is a treaty",
or "this word qualifies the place" ("eastern Aleppo", "Idlib countryside"). They are kept apart
from the matcher and the resolver so each list can be reviewed on its own.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span, Token

from geomap.nlp import place_nouns, place_scan
from geomap.schema import read_table
from geomap.text import ARTICLES as _FOLD_ARTICLES

#: Words that are the Arabic definite article in one transliteration or another.
ARABIC_ARTICLES = frozenset(_FOLD_ARTICLES | set("al el ar as ad ash at az an ed es er ez ag ul il".split()))

#: Tokens a multi-word name may contain besides words ("Deir ez-Zor", "Ras al-'Ain").
JOINERS = frozenset({"-", "'", "’", "‐", "."})

#: The place nouns come from vocab/place_nouns.tsv (its header explains each use).
#: Nouns that announce a place name: "the village of X", "X neighbourhood".
PLACE_NOUNS = place_nouns.words("announces")

#: Words that, directly before a name, make it part of a person's name ("Abu Omar", "Col. Hamza").
PERSON_PREFIXES = frozenset(
    """abu abou umm um ibn bin bint ben sheikh shaikh sheik imam mullah mr mrs ms dr prof
    col colonel gen general lt lieutenant maj major capt captain sgt sergeant brig brigadier
    president minister pres sen senator rep king prince queen emir sultan pope saint st. hajji
    haji mufti cleric commander spokesman ambassador envoy""".split()
)

#: Capitalised head words that turn "<Place> X" or "X <Place> Y" into an organisation's name.
#: Facilities (airport, hospital, university) are left out on purpose: "shelling of Aleppo
#: University" happened in Aleppo.
ORG_HEADS = frozenset(
    """army agency institute institution council committee committees observatory center centre
    front brigade brigades battalion battalions division regiment corps forces force nations league
    ministry party movement network media news times post
    herald tribune journal coalition organization organisation union association bank company
    airlines airways club federation foundation group commission authority office
    radio tv television channel press daily revolution revolutionary national liberation
    command guard guards police directorate department administration government parliament
    assembly congress senate court tribunal fund program programme mission society
    conference summit alliance legion militia unit units""".split()
)

_NAME_HEADS = read_table(place_nouns.PATH.with_name("place_name_heads.tsv"))
#: Lower-case words right after a name that make it an outlet's name ("Al Mayadeen television").
MEDIA_HEADS = frozenset(r["word"] for r in _NAME_HEADS if r["kind"] == "media")
#: Lower-case words right after a longer name that make it an armed group's ("Ahrar al-Sham group").
GROUP_HEADS = frozenset(r["word"] for r in _NAME_HEADS if r["kind"] == "group")
#: Words right before "between" whose names after it are a deal's parties ("agreed between").
DEAL_WORDS = frozenset(r["word"] for r in _NAME_HEADS if r["kind"] == "deal")
#: Two words opening a group's name before "of"/"in" ("the Islamic State of Iraq and the Levant").
GROUP_OPENERS = frozenset(r["word"] for r in _NAME_HEADS if r["kind"] == "group_of")
#: Lower-case munition words right after a name that make it a weapon's ("Katyusha rockets").
WEAPON_HEADS = frozenset(r["word"] for r in _NAME_HEADS if r["kind"] == "weapon")

#: Lower-case words after a name that make it the name of a treaty or meeting, not a place.
TREATY_WORDS = frozenset(
    """protocol protocols convention conventions accord accords agreement agreements treaty
    treaties communique communiqué declaration format process talks""".split()
)

#: Direction / position words that qualify a place ("eastern Aleppo", "north-west Syria").
DIRECTIONS = frozenset(
    """northern southern eastern western central northeastern northwestern southeastern
    southwestern north-eastern north-western south-eastern south-western north south east west
    northeast northwest southeast southwest north-east north-west south-east south-west rural
    greater upper lower inner outer old""".split()
)

#: Area words after (or before "of") a place: "Aleppo province", "suburbs of Damascus".
AREA_AFTER = place_nouns.areas()
AREA_BEFORE_OF = place_nouns.words("area_of")

#: Area words whose place is the administrative unit, not the town of the same name.
ADMIN_AREAS = place_nouns.area_values("admin")
#: Area words whose place is the land around a town ("Idlib countryside", "suburbs of Damascus").
RURAL_AREAS = place_nouns.area_values("rural")

#: Connectors between a place and the place that contains it ("X, Idlib", "X in Hama province").
CONTAINER_LINKS = frozenset({",", "in", "of", "near", "outside", "the", "-", "–", "(", "province"})

#: Last-resort stop list: names that are in the gazetteer as places but in news are almost
#: always people or things. Kept short on purpose; the NER and context rules come first.
#: People, groups, religions and the names of weapons, aircraft and vehicles
#: (vocab/place_not_names.tsv; its header says what belongs there).
NOT_PLACES = frozenset(r["word"] for r in read_table(place_nouns.PATH.with_name("place_not_names.tsv")))

#: Capitalised words that end a street's or a road's name: "Van Dorn Street", "West Palestine
#: Avenue", "Baghdad Street" (in Damascus) are named after a place but are not that place.
STREET_WORDS = frozenset(
    """street st st. avenue ave ave. road rd rd. boulevard blvd blvd. drive lane highway hwy parkway
    pkwy way place court terrace pike turnpike expressway freeway""".split()
)

#: Title and honorific abbreviations that the small model sometimes calls places ("Dr, Cecilia
#: Ojabo": GPE) and that folding makes meet short village names ("Dr" ~ "Dara").
TITLE_WORDS = frozenset(
    """dr dr. mr mr. mrs mrs. ms ms. prof prof. sen sen. rep rep. gen gen. col col. lt lt. capt capt.
    sgt sgt. gov gov. st st. jr jr. sr sr. rev rev. hon hon. messrs""".split()
)

#: Plural area nouns before "of <city>" that name parts of that city ("the opposition-held
#: neighbourhoods of Aleppo", "the eastern districts of Damascus"): the city is the container.
PARTS_BEFORE_OF = place_nouns.words("parts_of")

#: Most tokens a rule reads on either side of a mention. Organisation names run to a few
#: words ("Washington Institute for Near East Policy"); a longer run of capitalised words is a
#: headline or a table, and reading all of it for every mention would make the stage
#: quadratic in the run's length. Every scan in this module and ``places.py`` stops here.
SCAN_WINDOW = 8

#: Prepositions of motion: a town after one is where a movement starts or ends ("from Palmyra").
MOTION_PREPOSITIONS = frozenset({"from", "to", "towards", "toward", "into"})

#: NER labels whose spans may be places; the rest veto a gazetteer match they contain.
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})


def is_capitalised(token: Token) -> bool:
    """True for tokens that can start a proper name (Latin capital or a non-Latin letter)."""
    t = token.text
    if not t:
        return False
    c = t[0]
    if c.isupper():
        return True
    return c.isalpha() and not c.isascii() and not c.islower()


def prev_word(doc: Doc, i: int) -> Token | None:
    """The token before index ``i`` (or None)."""
    return doc[i - 1] if i > 0 else None


def person_context(span: Span, ents_by_token: list) -> bool:
    """Whether ``span`` sits inside a person's name.

    True when a PERSON entity strictly contains it (a longer name: "Abu Omar", "Bashar al-Assad"),
    when a name particle or title precedes it ("Abu Hamza", "Col. Hamza"), or when it is a
    capitalised token glued to a PERSON entity that starts or ends next to it.
    """
    doc = span.doc
    ent = ents_by_token[span.start]
    if ent is not None and ent.label_ == "PERSON":
        if ent.start < span.start or ent.end > span.end:
            return True
    p = prev_word(doc, span.start)
    if p is not None:
        w = p.lower_.rstrip(".")
        if w in PERSON_PREFIXES or p.lower_ in PERSON_PREFIXES:
            return True
        # "Hamza" in "Abu-Hamza" or "al-Assad" after a first name: "Bashar al-Assad".
        if p.text in {"-", "‐"} and span.start >= 2:
            if doc[span.start - 2].lower_.rstrip(".") in PERSON_PREFIXES:
                return True
    return False


def street_context(span: Span) -> bool:
    """Whether ``span`` begins a street's name ("Van Dorn Street", "Baghdad Street").

    Looks across at most three capitalised words after the span for a street word.
    """
    doc = span.doc
    j = span.end
    while j < len(doc) and j - span.end < min(4, SCAN_WINDOW):
        tok = doc[j]
        if not (tok.is_alpha or tok.text.endswith(".")) or not is_capitalised(tok):
            return False
        if tok.lower_ in STREET_WORDS and not (
            tok.lower_ in {"st", "st."} and j + 1 < len(doc) and is_capitalised(doc[j + 1])
        ):
            return True  # "St." before a capitalised word is "Saint" ("St. Louis")
        j += 1
    return False


def org_context(span: Span, ents_by_token: list) -> bool:
    """Whether ``span`` is part of an organisation's or a treaty's name.

    Looks at the run of capitalised words around the span ("Free Syrian Army", "Aleppo Media
    Center", "Syrian Observatory for Human Rights", "Washington Institute for Near East Policy")
    for an organisation head word, at the NER's ORG spans that contain the span together with
    such a head word, and at treaty words right after it ("1925 Geneva protocols").
    """
    doc = span.doc
    if _org_head_after(span) or _named_by_head_noun(span) or group_name_part(span):
        return True
    if span.end < len(doc) and doc[span.end].lower_ in TREATY_WORDS:
        return True
    if street_context(span):
        return True
    if _org_head_before(span):
        return True
    ent = ents_by_token[span.start]
    if ent is not None and ent.label_ == "ORG" and (ent.start < span.start or ent.end > span.end):
        near = doc[max(ent.start, span.start - SCAN_WINDOW) : min(ent.end, span.end + SCAN_WINDOW)]
        words = {t.lower_ for t in near if t.is_alpha}
        if words & ORG_HEADS:
            return True
    # "United Nations", "League of Nations": the whole run is an ORG head phrase.
    if span.start > 0 and doc[span.start - 1].lower_ in {"league", "organization", "organisation"}:
        return True
    return False


def _org_head_after(span: Span) -> bool:
    """An organisation head word in the capitalised run right of ``span`` (allowing "for",
    "of", "and" between capitalised words)."""
    doc = span.doc
    j = span.end
    right_end = min(len(doc), span.end + SCAN_WINDOW)
    while j < right_end:
        tok = doc[j]
        low = tok.lower_
        if is_capitalised(tok) and tok.is_alpha:
            if low in ORG_HEADS:
                return True
            j += 1
            continue
        if low in {"for", "of", "and", "&"} and j + 1 < len(doc) and is_capitalised(doc[j + 1]):
            if j > span.end or low != "of":
                j += 1
                continue
            # "Organization of X" is an org; "X of Y" after a place is rarely one.
            break
        break
    return False


def _named_by_head_noun(span: Span) -> bool:
    """A lower-case outlet or group noun right after ``span`` (vocab/place_name_heads.tsv).

    An outlet noun makes any name before it an outlet ("on Al Mayadeen television"); a group
    noun only a name that starts before the place word ("the Ahrar al-Sham group"), since
    "the Aleppo front" is a front line.
    """
    doc = span.doc
    if span.end >= len(doc) or not doc[span.end].is_lower:
        return False
    head = doc[span.end].lower_
    if head in MEDIA_HEADS:
        return True
    if head not in GROUP_HEADS or span.start == 0:
        return False
    before = doc[span.start - 1]
    return before.is_alpha and is_capitalised(before) and not before.is_sent_start


def group_name_part(span: Span) -> bool:
    """Whether ``span`` is a place inside a group's name that opens with a group word pair
    before "of" ("the Islamic State of Iraq and the Levant": Iraq, Levant), or before "in" when
    the name joins two places by "and" ("the Islamic State in Iraq and al-Sham"; vocab/
    place_name_heads.tsv, kind ``group_of``). "The Islamic State in Syria" keeps Syria: "in"
    with one place may say where the group is."""
    doc = span.doc
    joined = False
    i = span.start - 1
    while i >= max(2, span.start - SCAN_WINDOW):
        tok = doc[i]
        if tok.lower_ in ("of", "in") and f"{doc[i - 2].lower_} {doc[i - 1].lower_}" in GROUP_OPENERS:
            if tok.lower_ == "of" or joined:
                return True
            return _joined_after(span)
        joined = joined or tok.lower_ == "and"
        if not (tok.lower_ in ("the", "and", "of", "in", "-", "al") or (tok.is_alpha and is_capitalised(tok))):
            return False
        i -= 1
    return False


def _joined_after(span: Span) -> bool:
    """ "and" (after an optional "the") follows ``span``, then a capitalised word or an article."""
    doc = span.doc
    j = span.end
    if j >= len(doc) or doc[j].lower_ != "and":
        return False
    j += 1
    if j < len(doc) and doc[j].lower_ == "the":
        j += 1
    return j < len(doc) and (is_capitalised(doc[j]) or doc[j].lower_ in ARABIC_ARTICLES)


def described_as_place(doc: Doc, end: int) -> bool:
    """Whether the name ending at ``end`` is followed by an apposition that says it is a place:
    ", a Kurdish district of Aleppo", ", the rebel-held town", ", a village" (a place noun of
    vocab/place_nouns.tsv within a few words after the article)."""
    if end + 2 >= len(doc) or doc[end].text != "," or doc[end + 1].lower_ not in ("a", "an", "the"):
        return False
    for k in range(end + 2, min(len(doc), end + 6)):
        tok = doc[k]
        if tok.lower_ in PLACE_NOUNS:
            # the noun heads the apposition: "a town resident", "an area commander" are people
            return k + 1 >= len(doc) or doc[k + 1].pos_ not in ("NOUN", "PROPN")
        if tok.is_punct and tok.text != "-" or tok.pos_ in ("VERB", "AUX"):
            return False
    return False


def weapon_name(span: Span) -> bool:
    """Whether a munition noun follows ``span`` ("fired Grad rockets", "a Kornet missile"):
    the name is the weapon's (vocab/place_name_heads.tsv, kind ``weapon``). Callers keep a name
    the gazetteer spells exactly ("Homs rockets" is rare, but Homs is a place whatever follows)."""
    doc = span.doc
    return span.end < len(doc) and doc[span.end].is_lower and doc[span.end].lower_ in WEAPON_HEADS


def deal_party(span: Span) -> bool:
    """Whether ``span`` names a party to a deal: "a truce agreed between Russia, Iran and Turkey".

    The name is still a place mention (a toponym); it is no event's place
    (``place_words._names_no_place``).

    Walks back over the list of names (capitalised words, commas, "and") to "between" and looks
    at the word before it (vocab/place_name_heads.tsv, kind ``deal``).
    """
    doc = span.doc
    i = span.start - 1
    while i > 0 and span.start - i <= 12:
        tok = doc[i]
        if tok.lower_ == "between":
            return doc[i - 1].lower_ in DEAL_WORDS
        if not (tok.text in {",", "and", "-", "'"} or tok.lower_ in ARABIC_ARTICLES or is_capitalised(tok)):
            return False
        i -= 1
    return False


def colon_dateline(doc: Doc, start: int, end: int, place_starts: set[int]) -> bool:
    """Whether the name ``doc[start:end]`` is a colon dateline ("Beirut: Activists say ...").

    A name opening an article or a paragraph, followed by a colon and a sentence, says where the
    report was filed, never where its events are. A place right after the colon makes it the
    governorate-first notation of casualty lists instead ("Rif Dimashq: Douma, two killed").
    """
    if start > 0 and not (doc[start - 1].is_space and "\n" in doc[start - 1].text):
        return False
    if end >= len(doc) or doc[end].text != ":":
        return False
    k = end + 1
    while k < len(doc) and doc[k].is_space:
        k += 1
    return k < len(doc) and k not in place_starts and doc[k].is_alpha and is_capitalised(doc[k])


def _org_head_before(span: Span) -> bool:
    """An organisation head word among the capitalised words left of ``span`` that are part
    of a name ("Free Syrian Army")."""
    doc = span.doc
    i = span.start - 1
    left_end = max(0, span.start - SCAN_WINDOW)
    while i >= left_end:
        tok = doc[i]
        if tok.lower_ in {"of", "for"} and i > 0 and is_capitalised(doc[i - 1]):
            i -= 1  # "Local Coordination Committees of Syria"
            continue
        if not (is_capitalised(tok) and tok.is_alpha) or (tok.is_sent_start and i < span.start - 1):
            break
        if tok.lower_ in ORG_HEADS:
            return True
        if tok.is_sent_start:
            break
        i -= 1
    return False


# --------------------------------------------------------------------------- token shapes

#: English words that are also transliterated articles: "As Syrian forces..." is not "as-Syrian".
ENGLISH_ARTICLES = frozenset({"as", "at", "an", "ad", "ed", "en", "er", "es", "et", "el", "il"})
SPEECH_VERBS = frozenset(
    """said says told tells added adds recalls recalled noted notes warned warns stated states
    explained explains wrote writes asked asks insisted insists claimed claims""".split()
)


def next_is_hyphen(tok) -> bool:
    doc = tok.doc
    return not tok.whitespace_ and tok.i + 1 < len(doc) and doc[tok.i + 1].text in {"-", "‐", "–"}


def inside_word(doc: Doc, i: int, j: int) -> bool:
    """Whether tokens ``i:j`` are glued by a hyphen to a word before or after them."""
    hy = {"-", "‐"}
    if (
        j < len(doc) - 1
        and doc[j].text in hy
        and not doc[j - 1].whitespace_
        and not doc[j].whitespace_
        and doc[j + 1].is_alpha
    ):
        return True
    return (
        i >= 2
        and doc[i - 1].text in hy
        and not doc[i - 1].whitespace_
        and not doc[i - 2].whitespace_
        and doc[i - 2].is_alpha
        and doc[i - 2].lower_ not in ARABIC_ARTICLES
    )


PLURAL_PLACE_NOUNS = place_nouns.words("announces_many")
#: Nouns after which "of" opens a list of places as well as the plural place nouns:
#: "the surroundings of A, B and C", "the outskirts of A and B".
LIST_OPENERS = place_nouns.words("list_opens")
#: Plural place nouns that end a list of the places they name: "the Jobar and Qaboun districts".
LIST_HEADS = place_nouns.words("list_ends")
_LIST_SEPARATORS = frozenset({",", "and", "&"})
#: Most tokens between a list's noun and a member (a list of 8 two-word names with separators).
LIST_SPAN = 24


def in_place_list(doc: Doc, i: int) -> bool:
    """Whether a name starting at token ``i`` is a member of a list of places a noun announces.

    * a later member of "the villages of A, B and C", also when the writer (or a copy that
      lost its punctuation) left the commas out: "the villages of A B and C";
    * any member of "the A and B districts", "the A, B and C neighbourhoods".

    Walks over capitalised names, Arabic articles and list separators only (answered from
    per-document tables, ``place_scan``); anything else ends the list.
    """
    if i < 1 or i >= len(doc):
        return False
    if i >= 3 and doc[i - 1].text in {"-", "‐"} and doc[i - 2].lower_ in ARABIC_ARTICLES and next_is_hyphen(doc[i - 2]):
        i -= 2  # "Sulaimaniya" of "al-Sulaimaniya": the list member starts at the article
    return _after_list_noun(doc, i) or _before_list_noun(doc, i)


def _after_list_noun(doc: Doc, i: int) -> bool:
    """A later member of "the villages of A, B and C" / "the villages of A B and C"."""
    low = place_scan.lowers(doc)
    prev = doc[i - 1]
    if low[i - 1] not in _LIST_SEPARATORS and not (
        # no separator: the name right before ends where this one starts ("of A B and C"),
        # but only before the list's last separator ("and Qasr Nuwaydi" is one name)
        prev.is_alpha
        and is_capitalised(prev)
        and low[i - 1] not in ARABIC_ARTICLES
        and (
            is_capitalised(doc[i])
            or (low[i] in ARABIC_ARTICLES and next_is_hyphen(doc[i]) and _article_led(doc, i - 1))
        )
        and _separator_ahead(doc, i)
    ):
        return False
    k = place_scan.stops_before(doc, "place_list", _in_list_run)[i]
    if k < max(0, i - LIST_SPAN) or k >= i - 1:
        return False
    return low[k] == "of" and k >= 1 and low[k - 1] in LIST_OPENERS


def _before_list_noun(doc: Doc, i: int) -> bool:
    """A member of "the A and B districts": names and separators up to a plural place noun."""
    if doc[i].ent_type_ == "NORP":
        return False  # "Sunni and Alawite villages": peoples, not places
    stop = place_scan.stops_after(doc, "place_list", _in_list_run)[i]
    if stop >= len(doc) or stop - i > LIST_SPAN:
        return False
    low = place_scan.lowers(doc)
    if low[stop] not in LIST_HEADS:
        return False
    seps = place_scan.counts_before(doc, "list_and", _list_separator)
    # at least one separator after this name ("A and B districts"), none right before the noun
    return seps[stop] > seps[i] and low[stop - 1] not in _LIST_SEPARATORS


def list_end(doc: Doc, i: int) -> int:
    """The first token after the run of names and separators that starts at ``i``."""
    return place_scan.stops_after(doc, "place_list", _in_list_run)[i]


def _article_led(doc: Doc, k: int) -> bool:
    """Whether the one-word name ending at token ``k`` starts with a hyphened article ("al-Sukkari").

    "X al-Y" is most often one name ("Bustan al-Qasr"); "al-X al-Y" in a list is two names.
    """
    return k >= 2 and doc[k - 1].text in {"-", "‐"} and doc[k - 2].lower_ in ARABIC_ARTICLES


def _separator_ahead(doc: Doc, i: int) -> bool:
    """Whether a list separator follows token ``i`` within its run of names."""
    seps = place_scan.counts_before(doc, "list_and", _list_separator)
    return seps[list_end(doc, i)] > seps[i]


def _list_separator(t: Token) -> bool:
    return t.lower_ in _LIST_SEPARATORS


def _in_list_run(t: Token) -> bool:
    """Tokens a list of names runs over: separators, joiners, articles, capitalised words.

    Also an article written with its hyphen and a space ("al- Sqelbiyyah", a habit of some
    monitors) and a capitalised word with an apostrophe for an ayn ("Jam'ia")."""
    low = t.lower_
    return (
        low in {",", "and"}
        or is_joiner(t)
        or low in ARABIC_ARTICLES
        or (low[-1:] == "-" and low[:-1] in ARABIC_ARTICLES)
        or ((t.is_alpha or _APOSTROPHE_WORD.fullmatch(t.text) is not None) and is_capitalised(t))
    )


#: A word with an ayn or hamza written as an apostrophe inside it ("Jam'ia", "Ref'at").
_APOSTROPHE_WORD = re.compile(r"[^\W\d_]+(?:['\u2019\u2018`][^\W\d_]+)+")


def startable(tok) -> bool:
    low = tok.lower_
    if low in ARABIC_ARTICLES:
        # "al-Rami", "Al Bab"; but not English "As Syrian troops..." or "at Aleppo".
        if next_is_hyphen(tok):
            return True
        return is_capitalised(tok) and low not in ENGLISH_ARTICLES
    return is_capitalised(tok) or low in DIRECTIONS


def is_joiner(tok) -> bool:
    """A token inside a name ("-", an apostrophe, "." of an initial); a full stop before a space
    ends a sentence instead ("... and Nawa. Ahead of ...")."""
    return tok.text in JOINERS and not (tok.text == "." and tok.whitespace_)


def breaks(tok) -> bool:
    """Tokens a place name never spans: line breaks, most punctuation, numbers, "'s"."""
    if tok.is_space or "\n" in tok.text_with_ws[:-1]:
        return True
    if tok.is_punct and not is_joiner(tok):
        return True
    if tok.text not in JOINERS and not any(ch.isalnum() for ch in tok.text):
        return True  # symbols ("+", "&", "/"): "Salt + Smoke" is no place "Salt +"
    if tok.tag_ == "POS" or tok.lower_ in {"'s", "’s", "s"} or tok.like_num:
        return True
    return False


#: Lower-case words a verbatim alias may contain ("Syrian coast", "northern Syria").
GEO_LOWER = frozenset(
    DIRECTIONS
    | set(AREA_AFTER)
    | {
        "coast",
        "coastal",
        "of",
        "the",
        "and",
        "valley",
        "river",
        "mountains",
        "mount",
        "lake",
        "sea",
        "crossing",
        "dam",
        "airport",
        "airbase",
        "base",
        "camp",
        "heights",
        "plateau",
        "strip",
        "bank",
    }
)


def name_shaped(span, verbatim: bool) -> bool:
    """Whether a multi-token run looks like one name: every word capitalised, bar articles.

    Lower-case words only count when the run is an alias verbatim and they are geographic
    words ("Syrian coast", "northern Syria"), never in "Sheikh said".
    """
    for t in span:
        if t.text in JOINERS or t.lower_ in ARABIC_ARTICLES or not t.is_alpha:
            continue
        if not is_capitalised(t) and not (verbatim and t.lower_ in GEO_LOWER):
            return False
    return True
