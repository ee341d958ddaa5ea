"""Counted quantities in article text: "at least 133 people died", "hundreds of rebels".

The component ``geomap_counts`` sets ``doc._.counts`` to spans with
``Span._.count = {count_type, count_low, count_best, count_high, count_qualifier}``.

Conventions (see docs/event-types.md):

- exact numbers: low = best = high = n;
- "at least" / "more than" / "over": low = best = n, high unknown;
- "up to" / "nearly" / "almost" / "fewer than": best = high = n, low unknown;
- "about" / "around" / "some" / "roughly": low = best = high = n, qualifier kept;
- "between 20 and 30": low 20, high 30, best 25 (midpoint, rounded down);
- vague plurals give the smallest reading as best, like UCDP's conservative best estimate:
  "dozens" 24 (high 99), "scores" 40 (99), "hundreds" 200 (999), "thousands" 2,000 (9,999),
  "tens of thousands" 20,000 (99,999), "hundreds of thousands" 200,000 (999,999);
  "a dozen" 12, "several" 3 (9).

Years, ages, times, calibres, percentages, money and durations ("16 months") are not counts.
"""

from __future__ import annotations

import re
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from geomap.nlp import doccache, extensions  # noqa: F401
from geomap.schema import read_table

__all__ = ["parse_count", "count_type_for", "states_total", "CountAnnotator"]

_LEXICON = Path(__file__).with_name("lexicon")
_NUMBER_ROWS = read_table(_LEXICON / "numbers.tsv")
#: number word -> value (lexicon/numbers.tsv)
_WORDS = {r["word"]: int(r["value"]) for r in _NUMBER_ROWS if r["kind"] == "unit"}
_SCALE = {r["word"]: int(r["value"]) for r in _NUMBER_ROWS if r["kind"] == "scale"}
#: vague plural -> (low=best, high) (lexicon/vague_counts.tsv)
_VAGUE = {r["words"]: (int(r["best"]), int(r["high"])) for r in read_table(_LEXICON / "vague_counts.tsv")}
_QUAL_ROWS = read_table(_LEXICON / "count_qualifiers.tsv")
_LOWER = tuple(r["words"] for r in _QUAL_ROWS if r["bound"] == "lower")
_UPPER = tuple(r["words"] for r in _QUAL_ROWS if r["bound"] == "upper")
_APPROX = tuple(r["words"] for r in _QUAL_ROWS if r["bound"] == "approx")
_QUALS = sorted(_LOWER + _UPPER + _APPROX, key=len, reverse=True)
_QUAL_WORDS = {q: len(q.split()) for q in _QUALS}

_VAGUE_RE = r"(?:hundreds of thousands|tens of thousands|thousands|hundreds|scores|dozens)"
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_UNITS = "one|two|three|four|five|six|seven|eight|nine"
_TEENS = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
#: counted noun lemma -> count_type (lexicon/count_nouns.tsv)
_NOUN_TYPES = {r["lemma"]: r["count_type"] for r in read_table(_LEXICON / "count_nouns.tsv")}
#: singular people nouns after "a"/"an" that count one person: the person nouns of
#: lexicon/count_nouns.tsv (types people, troops, fighters), not the collective ones
_COLLECTIVE = frozenset({"force", "troop", "people", "family"})
_ONE_PERSON = "|".join(
    sorted(
        {"man", "woman", "child", "boy", "girl", "civilian", "soldier", "fighter", "rebel", "person"}
        | {n for n, t in _NOUN_TYPES.items() if t in ("people", "troops", "fighters") and n not in _COLLECTIVE}
    )
)
_PATTERNS = [
    re.compile(r"\b\d+(?:\.\d+)?\s+(?:million|thousand)\b", re.I),
    re.compile(rf"\b{_VAGUE_RE}\b", re.I),
    re.compile(r"\b(?:a|one|two|three|half a) dozen\b", re.I),
    re.compile(r"\bbetween\s+[\d,]+\s+and\s+[\d,]+\b", re.I),
    re.compile(r"\b\d{1,3}(?:,\d{3})+\b|\b\d+\b"),
    # number words, with their scale ("two hundred")
    re.compile(rf"\b(?:(?:{_TENS})(?:[- ](?:{_UNITS}))?|{_UNITS}|{_TEENS})(?:\s+(?:hundred|thousand))?\b", re.I),
    # one person: "a man was killed", "killing him"
    re.compile(
        rf"\b(?:a|an)\b(?=\s+(?:[a-z]+\s+){{0,2}}(?:{_ONE_PERSON})\b|\s+[A-Z][a-z]+(?:ian|ean|an|i|ese|ish)\s+(?:was|were)\b)"
        r"|(?<=\bkilling )(?:him|her)\b|(?<=\bkilled )(?:him|her)\b",
        re.I,
    ),
]
#: For each of _PATTERNS, words one of which any match contains (case-folded), or None: a text
#: holding none of them cannot match, so that pattern's scan is skipped (checked in
#: tests/test_speed_exact.py).
_NEEDS: list[tuple[str, ...] | None] = [
    ("million", "thousand"),
    ("thousands", "hundreds", "scores", "dozens"),
    ("dozen",),
    ("between",),
    None,
    None,
    None,
]

#: governing verb lemma -> count_type, overrides "people" (lexicon/count_verbs.tsv)
_VERB_ROWS = read_table(_LEXICON / "count_verbs.tsv")
_VERB_TYPES = {r["lemma"]: r["count_type"] for r in _VERB_ROWS}
#: verbs that count only people, as their object ("lost 463 fighters", not "lost 5 villages")
_PEOPLE_ONLY = frozenset(r["lemma"] for r in _VERB_ROWS if r.get("objects") == "people")
_PERSON_TYPES = ("people", "troops", "fighters")
#: nouns after a number that make it no count of people (lexicon/not_counted.tsv)
_NOT_COUNTED = frozenset(r["word"] for r in read_table(_LEXICON / "not_counted.tsv"))
_MONTHS = frozenset(
    """january february march april may june july august september october november
december jan feb mar apr jun jul aug sep sept oct nov dec""".split()
)
_BAD_ENTS = ("DATE", "TIME", "PERCENT", "MONEY", "ORDINAL", "QUANTITY")


def _to_int(text: str) -> int | None:
    """Read "2,000", "two", "a dozen", "3 million", "1.5 million"."""
    t = text.lower().replace(",", "").replace("-", " ").strip()
    t = re.sub(r"^(?:a|an) ", "one ", t)
    parts = t.split()
    if not parts:
        return None
    total = 0.0
    current = 0.0
    for p in parts:
        if re.fullmatch(r"\d+(?:\.\d+)?", p):
            current += float(p)
        elif p in _SCALE:
            current = (current or 1) * _SCALE[p]
            if _SCALE[p] >= 1000:
                total += current
                current = 0
        elif p in _WORDS:
            current += _WORDS[p]
        elif p in ("and", "half"):
            if p == "half":
                current += 0.5
        else:
            return None
    value = int(total + current)
    return value if value > 0 else None


def parse_count(text: str) -> dict | None:
    """Read a count expression into low/best/high and a qualifier.

    Parameters
    ----------
    text : str
        "at least 133", "about 2,000", "hundreds", "between 20 and 30", "a dozen".

    Returns
    -------
    dict or None
        ``{"count_low", "count_best", "count_high", "count_qualifier"}`` (``count_type`` is
        added by the component from context), or ``None`` if no number is read.
    """
    t = re.sub(r"\s+", " ", text.strip().lower())
    qualifier = None
    for q in _QUALS:
        if t.startswith(q + " "):
            qualifier, t = q, t[len(q) + 1 :]
            break
    m = re.fullmatch(r"between ([\d,]+) and ([\d,]+)", t)
    if m:
        lo, hi = _to_int(m[1]), _to_int(m[2])
        if lo is None or hi is None:
            return None
        lo, hi = min(lo, hi), max(lo, hi)  # "between 40 and 12" still means 12 to 40
        return {"count_low": lo, "count_best": (lo + hi) // 2, "count_high": hi, "count_qualifier": "between"}
    for vague, (lo, hi) in _VAGUE.items():
        if t == vague:
            return {"count_low": lo, "count_best": lo, "count_high": hi, "count_qualifier": qualifier or vague}
    n = _to_int(t)
    if n is None:
        return None
    best = n
    low: int | None = n
    high: int | None = n
    if qualifier in _LOWER:
        high = None
    elif qualifier in _UPPER:
        low = None
    return {"count_low": low, "count_best": best, "count_high": high, "count_qualifier": qualifier}


def _counted_noun(span: Span) -> Token | None:
    """The noun a count quantifies: its head for "133 people", the pobj for "hundreds of rebels"."""
    last = span[-1]
    doc = span.doc
    nxt = doc[span.end] if span.end < len(doc) else None
    if nxt is not None and nxt.lower_ == "of":
        for child in nxt.children:
            if child.dep_ == "pobj":
                return child
        if nxt.i + 1 < len(doc):
            return (
                doc[nxt.i + 2]
                if nxt.i + 2 < len(doc) and doc[nxt.i + 1].pos_ in ("ADJ", "DET", "PROPN")
                else doc[nxt.i + 1]
            )
    if last.dep_ in ("nummod", "quantmod", "amod", "compound") and last.head.i > last.i:
        return last.head
    # The model sometimes splits "2,000 fully equipped troops": take the next noun close by.
    for tok in doc[span.end : min(span.end + 4, len(doc))]:
        if tok.pos_ in ("NOUN", "PROPN"):
            return tok
        if tok.pos_ in ("VERB", "AUX", "ADP", "PUNCT") and tok.lower_ not in ("-",):
            break
    return None


def _included(span: Span) -> bool:
    """A part of a toll already counted: "25 civilians, six of them children", "among them six
    children", "including four children" (but not "including 21 killed in Aleppo")."""
    doc = span.doc
    if span.end < len(doc) and doc[span.end].lemma_.lower() in _VERB_TYPES:
        return False  # "including 21 killed in Aleppo": a toll of its own, with its place
    after = [t.lower_ for t in doc[span.end : span.end + 2]]
    before = [t.lower_ for t in doc[max(0, span.start - 2) : span.start]]
    return (
        after[:2] in (["of", "them"], ["of", "whom"])
        or before[-2:] in (["among", "them"], ["among", "whom"], ["of", "whom"])
        or before[-1:] == ["including"]
    )


def count_type_for(span: Span) -> str | None:
    """The kind of thing counted (killed, injured, troops, refugees, displaced, people...).

    Parameters
    ----------
    span : Span
        A count span.

    Returns
    -------
    str or None
        From the counted noun, refined by the verb the count is an argument of ("133 people
        died" -> killed); ``None`` when nothing tells.
    """
    prev = span.doc[span.start - 1] if span.start > 0 else None
    prev_type = None if prev is None else (_VERB_TYPES.get(prev.lemma_.lower()) or _VERB_TYPES.get(prev.lower_))
    if (
        prev is not None
        and prev_type in ("killed", "injured")
        # (a past participle right before a number closes the count before it: "40 Civilians
        # Killed 100 Injured")
        and (prev.tag_ == "VBG" or (prev.tag_ in ("VB", "VBP", "VBZ", "NN") and not _closes_count(prev)))
        and prev.lemma_.lower() not in _PEOPLE_ONLY
    ):
        # "killing 2 children, injuring 9 others", "Attack kill 5 injure 50": the verb right
        # before the number decides (not "6 killed 22 injured", where "killed" closes the
        # previous count)
        return prev_type
    noun = _counted_noun(span)
    ctype = None
    if noun is not None and _whole_of_a_count(noun, span):
        return None  # "six members of one family": the family is where they came from, not a toll
    if noun is not None:
        lemma = noun.lemma_.lower()
        ctype = _NOUN_TYPES.get(lemma) or _NOUN_TYPES.get(noun.lower_)
        if ctype == "things":
            return None  # "three air raids killed 58": raids are counted, not the dead
    outcome = _outcome_noun(noun if noun is not None else span.root)
    if outcome is not None:
        return outcome
    if noun is None and toll_value(span):
        return "killed"
    verb = _governing_verb(span, noun if noun is not None else span.root)
    state = _left_state(verb) if verb is not None else None
    if state is not None:
        return state
    if verb is not None and verb.lemma_.lower() in _PEOPLE_ONLY:
        # ("Iran has so far lost 40 advisers in the conflict" is a running tally, not a toll)
        perfect = any(a.dep_ == "aux" and a.lemma_.lower() == "have" for a in verb.children)
        people = (
            noun is not None
            and ctype in _PERSON_TYPES
            and noun.dep_ == "dobj"
            and noun.head.i == verb.i
            and not perfect
        )
        return _VERB_TYPES[verb.lemma_.lower()] if people else ctype
    if verb is not None:
        vtype = _VERB_TYPES.get(verb.lemma_.lower()) or _NOUN_TYPES.get(verb.lower_)
        if vtype in ("killed", "injured", "detained") and ctype != "vehicles":
            # ("destroying 5 tanks and killing 22 soldiers": vehicles are never a toll)
            ctype = vtype
        elif vtype and ctype in (None, "people"):
            ctype = vtype
    return ctype


#: nouns of an outcome whose "of" phrase counts its victims ("the death of 2 farmers")
_OUTCOME_NOUNS = {
    "death": "killed",
    "killing": "killed",
    "murder": "killed",
    "injury": "injured",
    "wounding": "injured",
}
_GRIEVANCE_PREPS = frozenset({"against", "over", "about", "for"})
_GRIEVANCE_VERBS = frozenset({"protest", "condemn", "denounce", "mourn", "commemorate", "investigate", "decry"})
#: nouns that name a death toll as a whole ("fatalities coded as 10", "the death toll rose to 5")
_TOLL_NOUNS = frozenset({"fatality", "toll", "death"})


def _outcome_noun(anchor: Token) -> str | None:
    """ "caused the death of 2 farmers", "the killing of 3 protesters": the outcome noun
    the counted phrase completes decides the count's type."""
    if anchor.dep_ != "pobj" or anchor.head.lower_ != "of":
        return None
    outcome = anchor.head.head
    # "marching against the killing of 4 students", "condemned the death of 7 fishermen":
    # an earlier event recalled as a grievance, not a toll told here
    if (outcome.dep_ == "pobj" and outcome.head.lower_ in _GRIEVANCE_PREPS) or (
        outcome.dep_ == "dobj" and outcome.head.lemma_.lower() in _GRIEVANCE_VERBS
    ):
        return None
    return _OUTCOME_NOUNS.get(outcome.lemma_.lower())


def states_total(span: Span) -> bool:
    """The count states an event's whole death toll, so that it replaces any figure told
    before rather than adding a second reading: the value of a toll noun ("the death toll rose
    to 5", "fatalities unclear, coded as 10"), a toll split between events ("30 deaths split
    between 4 clashes"), or a verbless sentence that is only a toll ("3 fatalities.")."""
    if toll_value(span):
        return True
    sent = span.sent
    if any(t.lemma_.lower() == "split" for t in span.doc[span.end : min(span.end + 8, sent.end)]):
        return True
    noun = _counted_noun(span)
    return (
        noun is not None
        and noun.lemma_.lower() in _TOLL_NOUNS
        and not any(t.pos_ in ("VERB", "AUX") for t in sent)
        and sum(1 for t in sent if not t.is_punct and not t.is_space) <= len(span) + 3
    )


def toll_value(span: Span) -> bool:
    """The number is the value of a death toll: "fatalities unclear, coded as 10", "the death
    toll rose to 5", "the toll is 12" (the subject of its verb is a toll noun)."""
    root = span.root
    if root.dep_ == "pobj" and root.head.lower_ in ("to", "as"):
        verb = root.head.head
    elif root.dep_ in ("attr", "dobj"):  # "the toll is 12", "the death toll reached 3"
        verb = root.head
    else:
        return False
    return any(c.dep_ in ("nsubj", "nsubjpass") and c.lemma_.lower() in _TOLL_NOUNS for c in verb.children)


_STATES = {"dead": "killed", "wounded": "injured", "injured": "injured"}


def _whole_of_a_count(noun: Token, span: Span) -> bool:
    """The counted noun completes another count's "of" ("six members of one family", "two of
    the three brothers"): the people counted are the other count's (not "3 of 5 fighters"
    read from the 3, whose own noun that is)."""
    prep = noun.head
    if noun.dep_ != "pobj" or prep.lower_ != "of" or prep.head is prep:
        return False
    part = prep.head
    if span.start < prep.i:
        return False  # the count is the part itself ("3 of 5 fighters" read from the 3)
    return part.like_num or any(c.dep_ == "nummod" for c in part.children)


def _left_state(verb: Token) -> str | None:
    """ "has left 14 civilians dead", "left two dead and 45 wounded": the state "leave" puts its
    object in decides (not "left" = fled)."""
    if verb.lemma_.lower() != "leave":
        return None
    for c in verb.children:
        if c.dep_ in ("oprd", "acomp") and c.lower_ in _STATES:
            return _STATES[c.lower_]
    return None


def _closes_count(verb: Token) -> bool:
    """ "6 killed 22 injured": the verb follows a number it counts (and no toll verb precedes
    that number, as in "kill 5 injure 50")."""
    doc = verb.doc
    if verb.i == 0 or not doc[verb.i - 1].like_num:
        return False
    before = doc[verb.i - 2] if verb.i >= 2 else None
    return before is None or (_VERB_TYPES.get(before.lemma_.lower()) or _VERB_TYPES.get(before.lower_)) is None


def _governing_verb(span: Span, anchor: Token) -> Token | None:
    """The verb (or "dead"/"wounded") a count is an argument of: its head chain, a participle
    right after the number, or the verb reported by "were reported killed"."""
    # The verb governing the counted phrase ("133 people died", "21 killed", "were wounded").
    verb = None
    tok = anchor
    for _ in range(5):
        if tok.pos_ in ("VERB",) or (tok.pos_ == "ADJ" and tok.lower_ in ("dead", "wounded", "injured")):
            verb = tok
            break
        if (
            tok.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj", "prep", "appos", "conj", "nummod", "attr")
            and tok.head is not tok
        ):
            tok = tok.head
        else:
            break
    # Participles right after the number ("21 killed", "five wounded") modify it directly.
    for child in list(anchor.children) + list(span.root.children):
        if child.dep_ in ("acl", "amod", "relcl") and child.lemma_.lower() in _VERB_TYPES:
            verb = child
        elif child.dep_ == "amod" and child.i == span.end and child.lower_ in ("dead", "wounded", "injured"):
            verb = child  # "Five dead in Daraa shelling
    if verb is not None and verb.lemma_.lower() not in _VERB_TYPES:
        # "Six people were reported killed", "were said to have died": the reported verb
        for child in verb.children:
            # "claimed one soldier was killed" is also parsed with the soldier as the object of
            # "claimed" and "killed" as its subjectless conjunct
            subjectless = child.dep_ == "conj" and not any(c.dep_ in ("nsubj", "nsubjpass") for c in child.children)
            if (child.dep_ in ("xcomp", "oprd", "ccomp") or subjectless) and child.lemma_.lower() in _VERB_TYPES:
                verb = child
                break
    return verb


def _is_not_a_count(span: Span) -> bool:
    doc = span.doc
    text = span.text
    nxt0 = doc[span.end] if span.end < len(doc) else None
    # a headline's capitals make the tagger read "Civilians" as a name: its lemma keeps the
    # plural, so the lower-case singular is looked up too
    counted_next = nxt0 is not None and any(
        w in _NOUN_TYPES for w in (nxt0.lemma_.lower(), nxt0.lower_, nxt0.lower_.removesuffix("s"))
    )
    # The small model tags some counts as DATE ("Between 20 and 30 soldiers"); a counted
    # person noun right after the number outranks the entity label.
    if any(t.ent_type_ in _BAD_ENTS for t in span) and not counted_next and not toll_value(span):
        return True
    if re.fullmatch(r"(?:1[89]|20)\d\d", text.replace(",", "")) and "," not in text:
        return True  # a year
    nxt = doc[span.end] if span.end < len(doc) else None
    prev = doc[span.start - 1] if span.start > 0 else None
    # "18 November 2017", "November 18": a day of the month, never a toll
    if re.fullmatch(r"\d{1,2}", text) and (
        (nxt is not None and nxt.lower_ in _MONTHS) or (prev is not None and prev.lower_ in _MONTHS)
    ):
        return True
    if nxt is not None:
        nl = nxt.lemma_.lower()
        if nl in _NOT_COUNTED or nxt.lower_ in _NOT_COUNTED or nxt.text in ("%", "-year", "mm"):
            return True
        if nxt.text == "-" and span.end + 1 < len(doc) and doc[span.end + 1].lower_ in ("year", "mm", "km"):
            return True
    if prev is not None and prev.lower_ in (
        "aged",
        "age",
        "ages",
        "$",
        "no.",
        "number",
        "page",
        "resolution",
        "article",
        "flight",
        "route",
        "at",
        "chapter",
    ):
        return True
    if prev is not None and prev.text in ("$", "£", "€", "#"):
        return True
    if (
        re.fullmatch(r"\d+mm|\d+(?:\.\d+)?", text)
        and nxt is not None
        and nxt.text in (":", ".")
        and span.end + 1 < len(doc)
        and doc[span.end + 1].like_num
    ):
        return True  # a time "10:30"
    # "10^30", "3/4", "2x2", "1e6", "5.5": a formula, fraction or decimal is not a head count
    text_all = doccache.text(doc)
    before = text_all[max(0, span.start_char - 1) : span.start_char]
    after = text_all[span.end_char : span.end_char + 1]
    if (
        before in ("^", "/", "*", "=", "+", "×", ".")
        or after in ("^", "/", "*", "=", "+", "×")
        or (after == "." and text_all[span.end_char + 1 : span.end_char + 2].isdigit())
    ):
        return True
    if re.fullmatch(r"\d+\.\d+", text.strip()):
        return True  # a decimal with no scale word ("3.2 magnitude", "1.5 km") is a measure
    if span.root.lower_ == "one" and len(span) == 1:
        # "one activist", "one portion" name a single referent, not a toll - unless a verb of
        # killing or wounding counts it ("one soldier was killed", "killing one"); "no one",
        # "one of them" and "one another" never are
        return not _one_counted(span, prev, nxt)
    return False


def _one_counted(span: Span, prev: Token | None, nxt: Token | None) -> bool:
    """ "one" is a toll: a verb of killing or wounding governs it, and no determiner or "of"
    makes it a pronoun."""
    if prev is not None and prev.lower_ in ("no", "any", "every", "each", "the", "this", "that", "which", "no-"):
        return False
    if nxt is not None and nxt.lower_ in ("of", "another", "other", "side", "way"):
        return False
    return count_type_for(span) in ("killed", "injured")


def _split_share(span: Span, value: dict) -> dict:
    """One event's share of a toll the text splits ("a toll of 12 shared by 2 places", "30
    deaths split between 4 clashes", "divided over 2 days and 2 places"): the toll divided by
    the parts, rounded half up (low and high the floor and ceiling)."""
    n = value["count_best"]
    if n is None or value["count_low"] != n or value["count_high"] != n:
        return value
    for tok in span.doc[span.end : span.sent.end]:
        if tok.lemma_.lower() != "split" or tok.i - span.end > 8:
            continue
        parts = 1
        # "split between 2 locations"; "split over 2 days" is also parsed with "days" as an
        # adverbial noun of "split" and "over" as the number's modifier
        objs = [c for c in tok.children if c.dep_ in ("npadvmod", "dobj")]
        for prep in tok.children:
            if prep.dep_ == "prep" and prep.lower_ in ("between", "over", "across", "among", "into"):
                objs += [c for c in prep.children if c.dep_ == "pobj"]
        for obj in objs:
            for noun in [obj, *obj.conjuncts]:
                nums = [_to_int(c.text) for c in noun.children if c.dep_ == "nummod"]
                parts *= next((k for k in nums if k), 1)
        if parts > 1:
            return {**value, "count_low": n // parts, "count_best": int(n / parts + 0.5), "count_high": -(-n // parts)}
    return value


def _grow_qualifier(span: Span) -> Span:
    """Extend a number leftwards over its qualifier ("at least", "more than", "about")."""
    doc = span.doc
    before: dict[int, str] = {}  # the n words before the number, lower-cased, built once per n
    for q in _QUALS:
        n = _QUAL_WORDS[q]
        if span.start - n >= 0:
            words = before.get(n)
            if words is None:
                words = before[n] = doc[span.start - n : span.start].text.lower()
            if words == q:
                return doc[span.start - n : span.end]
    return span


class CountAnnotator:
    """spaCy component: fills ``doc._.counts`` with count spans."""

    def __init__(self, nlp: Language, name: str = "geomap_counts"):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        cands: list[Span] = []
        text = doccache.text(doc)  # Doc.text is rebuilt on every access
        folded = doccache.casefold_like_re(text)
        for pattern, needs in zip(_PATTERNS, _NEEDS):
            if needs is not None and not any(w in folded for w in needs):
                continue
            for m in pattern.finditer(text):
                span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
                if span is not None:
                    cands.append(span)
        cands.sort(key=lambda s: (-(s.end_char - s.start_char), s.start))
        taken: set[int] = set()
        counts = []
        for span in cands:
            if any(i in taken for i in range(span.start, span.end)):
                continue
            if _is_not_a_count(span):
                taken.update(range(span.start, span.end))
                continue
            span = _grow_qualifier(span)
            value = parse_count(span.text)
            if value is None:
                continue
            taken.update(range(span.start, span.end))
            value = {"count_type": None if _included(span) else count_type_for(span), **value}
            if value["count_type"] == "killed":
                value = _split_share(span, value)
            span._.count = value
            counts.append(span)
        doc._.counts = sorted(counts, key=lambda s: s.start)
        return doc


@Language.factory("geomap_counts")
def make_count_annotator(nlp: Language, name: str) -> CountAnnotator:
    """Factory for the ``geomap_counts`` pipeline component."""
    return CountAnnotator(nlp, name)
