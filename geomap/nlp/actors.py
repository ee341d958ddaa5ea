"""Who did it, and to whom: actor phrases -> geomap's actor vocabulary.

The words are data in ``lexicon/actors.tsv`` (its header explains each column); this module
reads them once and applies them in a fixed order (docs/event-types.md, "Actors"):

1. ``"X-held"``, ``"X-backed"`` and the like are set aside: X describes the phrase's head, it
   is not its actor ("the rebel-held district came under fire", "Iranian-backed militias");
   so is the X of ``"anti-X"`` ("anti-Houthi forces" fight the Houthis), and what follows a
   target preposition ("air strikes on ISIS positions", "attacks against Houthi positions").
   ``"X-led"`` marks X as the leader ("the Saudi-led coalition").
2. A listed phrase found in what is left decides ("Free Syrian Army"); some phrases name no
   armed actor at all ("the Syrian Coalition", a political body).
3. A phrase headed by a source or a thing ("Syrian state media", "the Red Crescent") has no actor.
4. A coalition is the one its leader names ("the Saudi-led coalition" -> ``Saudi-led
   coalition``); a bare "coalition" is the one the article names elsewhere, else unknown. In
   the same way a bare force noun ("the air force", "the troops") is the one the article named
   before with the same words ("the Syrian air force"), if it named only one.
5. Otherwise the words decide by kind: civilians heading the phrase, then a named group ("ISIS
   fighters", "Kurdish rebels"), then a state ("Israeli soldiers", "Turkish police"), then a
   fighter of no named group (``rebels``: "opposition fighters"), then a state institution (``government forces``: "the army", "police"), then the leader of an
   "X-led" phrase. Otherwise a bare force noun ("troops", "jets", "forces") names nobody: unknown.

An unknown actor stays ``None``; nothing is a default guess.
"""

from __future__ import annotations

import bisect
import re
from pathlib import Path

from spacy.tokens import Doc, Token

from geomap.nlp import doccache
from geomap.schema import VIOLENT_TYPES, read_table

__all__ = ["normalise_actor", "clause_roles", "ACTOR_WORDS", "ACTOR_PHRASES"]

_ROWS = read_table(Path(__file__).with_name("lexicon") / "actors.tsv")


def _rows(match: str) -> dict[str, tuple[str | None, str]]:
    return {r["words"]: (None if r["actor"] == "-" else r["actor"], r["kind"]) for r in _ROWS if r["match"] == match}


_WORDS = _rows("word")
_EXACT = _rows("exact")
_ADJECTIVES = _rows("adjective")
_CARRIERS = frozenset(_rows("carrier"))
_FORCE_NOUNS = frozenset(_rows("force")) | _CARRIERS
_NOT_HEADS = frozenset(_rows("not_head"))
_SUFFIXES = frozenset(_rows("suffix"))
_LED = frozenset(_rows("led"))
_AGAINST = frozenset(_rows("against"))
_TARGET_PREPS = frozenset(_rows("target"))
_SUPPORT_NOUNS = frozenset(_rows("support"))
_PHRASES = {**_rows("phrase"), **_rows("not_phrase")}
#: every phrase, longest first, as one pattern (a phrase is a whole word sequence)
_PHRASE_RE = re.compile(
    r"(?<![\w-])(" + "|".join(re.escape(p) for p in sorted(_PHRASES, key=len, reverse=True)) + r")(?![\w-])"
)
#: keyword (lower-case, a token's text or lemma) -> actor, for modules that only need names
ACTOR_WORDS: dict[str, str] = {w: a for w, (a, _) in _WORDS.items() if a}
#: multi-word names -> actor
ACTOR_PHRASES: dict[str, str] = {w: a for w, (a, _) in _rows("phrase").items() if a}
#: "the Saudi-led coalition", "U.S.-led coalition" anywhere in an article
_LED_COALITION = re.compile(r"\b([A-Z][A-Za-z.]*?)\.?\s?-\s?led\s+(?:international\s+|military\s+)?coalition\b")
#: dependencies that leave the phrase's own words: a clause, a second actor, or what was acted on
#: ("Russia bombs rebel camps": the camps are the target, never the doer)
_OUTSIDE_DEPS = frozenset({"relcl", "acl", "advcl", "ccomp", "conj", "cc", "appos", "parataxis", "dobj"})


def _split_modifiers(tokens: list[Token]) -> tuple[list[Token], str | None]:
    """The phrase's tokens without "X-held"-like modifiers, and the X of an "X-led" if any."""
    kept: list[Token] = []
    leader = None
    skip: set[int] = set()
    for k, tok in enumerate(tokens):
        if tok.i in skip:
            continue
        low = tok.lower_
        if "-" in low.strip("-"):  # one token: "U.S.-led", "ISIS-held"
            prefix, _, suffix = tok.text.rpartition("-")
            if suffix.lower() in _SUFFIXES or suffix.lower() in _LED:
                leader = prefix if suffix.lower() in _LED else leader
                continue
        nxt = tokens[k + 1 : k + 3]
        if low in _AGAINST and nxt and nxt[0].text == "-":  # "anti-Houthi": the enemy named, not the actor
            skip.update(t.i for t in nxt)
            continue
        if low.split("-")[0] in _AGAINST and "-" in low:  # one token: "anti-ISIS"
            continue
        if len(nxt) == 2 and nxt[0].text == "-" and (nxt[1].lower_ in _SUFFIXES or nxt[1].lower_ in _LED):
            leader = tok.text if nxt[1].lower_ in _LED else leader
            skip.update(t.i for t in nxt)
            continue
        kept.append(tok)
    return kept, leader


def _head(tokens: list[Token]) -> Token | None:
    """The phrase's head: its first noun whose syntactic head lies outside the phrase."""
    ids = {t.i for t in tokens}
    tops = [t for t in tokens if t.head.i not in ids or t.head.i == t.i]
    nouns = [t for t in tops if t.pos_ in ("NOUN", "PROPN")]
    first = nouns or tops or tokens
    return first[0] if first else None


def _leaves_phrase(prep: Token) -> bool:
    """A preposition whose object is not the head's own words: a target ("strikes on X") or an
    ally's help ("forces with X air support")."""
    if prep.dep_ != "prep":
        return False
    if prep.lower_ in _TARGET_PREPS:
        return True
    return prep.lower_ == "with" and any(c.dep_ == "pobj" and _lemma(c) in _SUPPORT_NOUNS for c in prep.children)


def _own_words(tokens: list[Token], head: Token | None) -> list[Token]:
    """The tokens that describe the head itself, not a clause or a second phrase inside it."""
    if head is None:
        return tokens
    # the walk follows the whole parse, not only the tokens given: a phrase cut short ("a group
    # called X targeting Turkish Army's" without "base") still reaches the clause it leaves by
    stops = {head.i} | {a.i for a in head.ancestors}
    own = []
    for tok in tokens:
        t, inside = tok, True
        while t.i not in stops and t.head.i != t.i:
            if t.dep_ in _OUTSIDE_DEPS or _leaves_phrase(t):
                inside = False
                break
            t = t.head
        if inside:
            own.append(tok)
    return own


def _lookup(tok: Token) -> tuple[str | None, str] | None:
    """(actor, kind) of one token, else ``None``."""
    if tok.text in _EXACT:
        return _EXACT[tok.text]
    low = tok.lower_
    if low in _ADJECTIVES:
        return _ADJECTIVES[low][0], "adjective"
    hit = _WORDS.get(low) or _WORDS.get(tok.lemma_.lower())
    if hit is None and low.endswith("s") and len(low) > 3:
        # a possessive whose apostrophe the source dropped: "the armys air force", "Russias jets"
        hit = _WORDS.get(low[:-1])
    return hit


def _lemma(tok: Token) -> str:
    lemma = tok.lemma_.lower()
    if tok.pos_ == "PROPN" and lemma not in _FORCE_NOUNS and lemma[:-1] in _FORCE_NOUNS and lemma.endswith("s"):
        return lemma[:-1]  # "the U.S. Armed Forces": the tagger keeps a capitalised plural as it is
    return lemma


def _leader_label(leader: str) -> str:
    return leader.replace(".", "") + "-led coalition"


def _article_coalition(tok: Token) -> str | None:
    """The coalition the article names ("... the Saudi-led coalition ..."), else ``None``."""
    doc = tok.doc
    key = "_geomap_led_coalition"
    if key not in doc.user_data:
        m = _LED_COALITION.search(doccache.text(doc))
        doc.user_data[key] = _leader_label(m.group(1)) if m else None
    return doc.user_data[key]


def _names_forces(tok: Token, head: Token | None) -> bool:
    """A state word names the actor when it qualifies forces, the head, or stands alone:
    "Israeli jets", "Israel", "Syrian troops" - not "an Israeli man" or "the Iran-Iraq war"."""
    if head is None or tok.i == head.i:
        return True
    gov = tok.head if tok.head.i != tok.i else tok
    hit = _lookup(head)
    head_is_force = _lemma(head) in _FORCE_NOUNS or (hit is not None and hit[1] in ("institution", "state"))
    if gov.i == head.i:
        return head_is_force
    gov_hit = _lookup(gov)
    return _lemma(gov) in _FORCE_NOUNS or (gov_hit is not None and gov_hit[1] in ("institution", "state"))


def _names(tok: Token, head: Token | None, kind: str) -> bool:
    """A state word names the actor only next to forces; a group or fighter word always does."""
    return kind in ("group", "generic") or _names_forces(tok, head)


def _force_key(tok: Token) -> tuple[str, frozenset[str]]:
    """A force noun with its plain compounds: ("force", {"air"}) for "the Syrian air force"."""
    compounds = frozenset(c.lower_ for c in tok.children if c.dep_ == "compound" and _lookup(c) is None)
    return _lemma(tok), compounds


def _forces_index(doc: Doc) -> dict[tuple[str, frozenset[str]], tuple[list[int], list[frozenset[str]]]]:
    """Per force key, the positions of its mentions and the actors named with it so far (built
    once per document, so that a text repeating "troops" stays linear)."""
    index = doc.user_data.get("_geomap_forces")
    if index is None:
        index = {}
        for tok in doc:
            if _lemma(tok) not in _FORCE_NOUNS:
                continue
            words = [c for c in tok.children if c.dep_ in ("amod", "compound", "poss", "nmod")]
            actor = _by_kind(words, tok) if words else None
            positions, seen = index.setdefault(_force_key(tok), ([], []))
            before = seen[-1] if seen else frozenset()
            positions.append(tok.i)
            seen.append(before | {actor} if actor and len(before) < 2 else before)
        doc.user_data["_geomap_forces"] = index
    return index


def _article_force(head: Token) -> str | None:
    """The actor the article named with the same force noun before ("the Syrian air force ... the
    air force"), when it named exactly one; else ``None``."""
    positions, seen = _forces_index(head.doc).get(_force_key(head), ([], []))
    k = bisect.bisect_left(positions, head.i)
    named = seen[k - 1] if k else frozenset()
    return next(iter(named)) if len(named) == 1 else None


def _by_kind(words: list[Token], head: Token | None) -> str | None:
    """Step 5 of the module's rules: the actor the phrase's own words name, by kind."""
    found = [(t, hit) for t in words if (hit := _lookup(t)) is not None and hit[0]]
    # "Children of Fire" is a group's name, not children
    if head is not None and head.pos_ != "PROPN" and not (head.is_title and not head.is_sent_start):
        hit = _lookup(head)
        if hit is not None and hit[1] == "victims":
            return hit[0]
    for kinds in (("group",), ("state", "adjective"), ("generic",)):
        named = [a for t, (a, kind) in found if kind in kinds and _names(t, head, kind)]
        if named:
            return named[0]
    # "the regime's decision" names no force; "regime forces", "the army", "police" do
    institutions = [a for t, (a, kind) in found if kind == "institution" and _names_forces(t, head)]
    return institutions[0] if institutions else None


def normalise_actor(tokens: list[Token]) -> str | None:
    """Map the words of an actor phrase to geomap's actor set.

    Parameters
    ----------
    tokens : list of Token
        The phrase ("the Syrian regime", "hundreds of rebels", "Israeli jets", "the Saudi-led
        coalition"), usually a subject's or an object's subtree.

    Returns
    -------
    str or None
        One of the documented actors (government forces, pro-government militias, rebels,
        Islamist groups, Kurdish forces, civilians, a state by name, a coalition by its leader...),
        else ``None`` (unknown: "troops", "warplanes", "unidentified gunmen").
    """
    toks = [t for t in tokens if not t.is_space]
    actor = _phrase_actor(toks)
    if actor is not None:
        head = _head(_split_modifiers(toks)[0])
        if head is not None and _other_conjunct(toks, head, actor):
            return None  # "the army, Hezbollah and Russian jets have all shelled the town"
    return actor


def _phrase_actor(toks: list[Token]) -> str | None:
    """The actor one phrase's own words name (steps 1-5 of the module's rules)."""
    kept, leader = _split_modifiers(toks)
    head = _head(kept)
    own = _own_words(kept, head)
    text = "".join(t.lower_ + t.whitespace_ for t in own)
    m = _PHRASE_RE.search(text)
    if m:
        return _PHRASES[m.group(1)][0]
    if head is not None and (_lemma(head) in _NOT_HEADS or head.lower_ in _NOT_HEADS):
        return None
    if any(_lemma(t) == "coalition" for t in own):
        return _leader_label(leader) if leader else _article_coalition(own[0])
    actor = _by_kind(own, head)
    if actor is None and head is not None and _lemma(head) in _CARRIERS:
        actor = _by_kind(kept, head)  # "trucks carrying Turkish troops": the load names the actor
    if actor is None and head is not None and _lemma(head) in _FORCE_NOUNS:
        actor = _article_force(head)  # "the air force" after "the Syrian air force"
    if actor is None and leader:
        hit = _EXACT.get(leader) or _WORDS.get(leader.lower())
        if hit and hit[1] == "state" and toks and _article_coalition(toks[0]) == _leader_label(leader):
            return _leader_label(leader)  # "US-led strikes" in an article about the US-led coalition
        actor = hit[0] if hit else None
    return actor


def _other_conjunct(tokens: list[Token], head: Token, actor: str) -> bool:
    """Whether the phrase lists two or more other actors beside the head's ("the Syrian
    army, Hezbollah and Russian jets have all shelled the town"): an
    enumeration of parties leaves the one that acted unknown. Two named together ("Syrian and
    Russian jets", "Hezbollah and Syrian troops") keep the first, as ACLED codes a main actor
    with its associate."""
    others = set()
    for tok in tokens:
        if tok.dep_ in ("conj", "appos") and head in tok.ancestors:
            other = normalise_actor(list(tok.subtree)[:12])
            if other is not None and other != actor:
                others.add(other)
    return len(others) >= 2


#: event types whose doer is armed: civilians named as their doer are their victims (a toll's
#: "three boys were among nine people shot" names who died, never who killed)
_ARMED_TYPES = VIOLENT_TYPES | {"control_change", "casualties"}


def clause_roles(
    event_type: str, sub_type: str | None, actor1: str | None, actor2: str | None
) -> tuple[str | None, str | None]:
    """The actors a clause's event type allows, from the actors its words named.

    A protest is made by protesters (geomap's ``civilians``) whoever the subject is ("retired
    workers protested", "retired army officers protested"); civilians are never the doer of armed violence ("leaving hundreds of
    people injured by the bombardment" names the victims), so there they are the target. When
    force is used against protesters, the doer is whoever the text says used it, or nobody.

    Parameters
    ----------
    event_type, sub_type : str
        The record's ``event_type`` and ``sub_type`` (``None`` when it has none).
    actor1, actor2 : str or None
        The doer and the target as the clause's subject and object named them.

    Returns
    -------
    (str or None, str or None)
        ``actor1`` and ``actor2``.
    """
    if event_type == "protest" and sub_type != "excessive force":
        # "retired army officers protested": they act as protesters
        return "civilians", actor2
    if event_type == "protest" and actor1 == "civilians":
        # "protesters have been shot dead": the protesters are the target of the force
        return None, actor2 or "civilians"
    if event_type in _ARMED_TYPES and actor1 == "civilians":
        return None, actor2 or "civilians"
    return actor1, actor2
