"""Tolls: which death and injury counts belong to which event, and coordinated tolls summed."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from spacy.tokens import Span, Token

from geomap.schema import VIOLENT_TYPES, read_table

if TYPE_CHECKING:  # the reader is only an argument here
    from geomap.nlp.event_scene import SceneReader


_VIOLENT = VIOLENT_TYPES
#: verbs of killing and wounding (lexicon/count_verbs.tsv)
_TOLL_VERBS = frozenset(
    r["lemma"]
    for r in read_table(Path(__file__).with_name("lexicon") / "count_verbs.tsv")
    if r["count_type"] in ("killed", "injured")
)


def _toll_anchor(count: Span) -> tuple | None:
    """Where a toll's counted noun sits in the clause, shared by coordinated tolls.

    "Five soldiers and three civilians were killed": both nouns hang, through ``conj``, from
    the subject of "killed"; the small model also parses the second member of a list as a
    second subject ("24 civilians, 24 fighters and 25 militiamen have been killed"), so the
    key is the grammatical role and its verb, not the noun itself.
    """
    root = count.root
    noun = root.head if root.dep_ in ("nummod", "quantmod", "compound", "amod") and root.head is not root else root
    # "killing him and 3 of his guards": a pronoun or a bare number heads a member too
    if noun.pos_ not in ("NOUN", "PROPN", "PRON", "NUM"):
        return None
    while noun.dep_ == "conj" and noun.head is not noun:
        if noun.head.pos_ in ("VERB", "AUX") and noun.pos_ in ("PRON", "NUM"):
            return ("dobj", noun.head.i)  # "killing him and 3 of his guards", parsed as the verb's conjunct
        noun = noun.head
    if noun.dep_ in ("nsubj", "nsubjpass", "dobj"):
        return (noun.dep_, noun.head.i)
    return ("noun", noun.i)


def _own_tokens(verb: Token) -> set[int]:
    """Token ids of a verb's clause without its coordinated clauses."""
    out = {t.i for t in verb.subtree}
    for c in verb.children:
        if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX"):
            out -= {t.i for t in c.subtree}
    return out


def _clause_key(anchor: tuple, doc, place_tokens: frozenset[int]) -> tuple:
    """Coordinated clauses with no place of their own share a toll ("The army sustained 1
    fatality and 5 militants were killed": one event's 6 dead); a clause that names its place
    keeps its own ("3 were killed in Homs and 5 in Hama")."""
    dep, i = anchor
    if dep == "noun":
        return anchor
    verb = doc[i]
    chain = [verb]
    while verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX") and verb.head is not verb:
        verb = verb.head
        chain.append(verb)
    if len(chain) == 1 and not any(c.dep_ == "conj" and c.pos_ in ("VERB", "AUX") for c in verb.children):
        return anchor
    if any(place_tokens & _own_tokens(v) for v in chain):
        return anchor
    return ("clause", verb.i)


def _coordinated_tolls(
    counts: list[Span], place_tokens: frozenset[int] = frozenset()
) -> dict[int, tuple[dict, tuple[int, ...]]]:
    """Tolls of one kind coordinated in one clause, summed: start of each member -> (sum, members).

    A report that lists its dead by group ("Five soldiers and three civilians were killed")
    gives one toll of 8, not a toll of 5 and a second event of 3; so do coordinated clauses
    that name no place ("The police lost 2 officers and 6 gunmen were killed"). The sum's
    low and best add up; its high is known only if every member's is; a qualifier ("at least")
    carries over.
    """
    groups: dict[tuple, list[Span]] = {}
    for c in counts:
        cval = c._.count or {}
        if cval.get("count_type") not in ("killed", "injured") or cval.get("count_best") is None:
            continue
        anchor = _toll_anchor(c)
        if anchor is not None:
            anchor = _clause_key(anchor, c.doc, place_tokens)
            groups.setdefault((cval["count_type"], anchor), []).append(c)
    out: dict[int, tuple[dict, tuple[int, ...]]] = {}
    for members in (run for group in groups.values() for run in _runs_between_places(group, place_tokens)):
        if len(members) < 2:
            continue
        vals = [m._.count for m in members]
        lows = [v.get("count_low") for v in vals]
        highs = [v.get("count_high") for v in vals]
        quals = {v.get("count_qualifier") for v in vals} - {None}
        total = {
            "count_type": vals[0]["count_type"],
            "count_low": sum(lows) if None not in lows else None,
            "count_best": sum(v["count_best"] for v in vals),
            "count_high": sum(highs) if None not in highs else None,
            "count_qualifier": quals.pop() if len(quals) == 1 else None,
        }
        starts = tuple(m.start for m in members)
        for m in members:
            out[m.start] = (total, starts)
    return out


def _runs_between_places(members: list[Span], place_tokens: frozenset[int]) -> list[list[Span]]:
    """Coordinated tolls cut where a place is named between two of them ("killed five
    civilians in Douma and three in Harasta": two places' tolls, not one toll of 8)."""
    runs: list[list[Span]] = []
    for m in sorted(members, key=lambda m: m.start):
        if runs and not any(i in place_tokens for i in range(runs[-1][-1].end, m.start)):
            runs[-1].append(m)
        else:
            runs.append([m])
    return runs


def _count_value(r: SceneReader, count: Span | None) -> dict:
    """A count's value, or the sum of the coordinated tolls it belongs to."""
    if count is None:
        return {}
    group = r.toll_groups.get(count.start)
    return dict(group[0]) if group else (count._.count or {})


def _use_count(r: SceneReader, used: set[int], count: Span) -> None:
    """Mark a count, and every toll coordinated with it, as taken."""
    group = r.toll_groups.get(count.start)
    used.update(group[1] if group else (count.start,))


def _fold_toll(r: SceneReader, unit: Span, place: Span, count: Span) -> bool:
    """Give a loose toll to the one violent event of its sentence at the same place.

    Headlines parse poorly ("Shelling kills 5 in Homs"), so the toll may not hang from the
    trigger; when the sentence already holds exactly one uncounted violent event at that place
    the toll is that event's, not a second record.
    """
    key = _key_value(place)
    same = [
        i
        for i, rec in enumerate(r.incidents)
        if rec["char_start"] == unit.start_char
        and rec["event_type"] in _VIOLENT
        and (_key_value(rec["place"]) == key or _contains(place, rec["place"]))
    ]
    if len(same) != 1:
        return False
    rec = r.incidents[same[0]]
    cval = _count_value(r, count)
    # ("N were killed and M wounded when a car bomb went off": the bombing, told with its
    # wounded, takes its dead too)
    if rec.get("count_best") is not None and not (
        rec.get("count_type") == "injured" and cval.get("count_type") == "killed"
    ):
        return False
    if rec.get("count_type") == "injured":
        rec["injured_best"] = rec.get("injured_best") or rec.get("count_best")
    for k in ("count_type", "count_low", "count_best", "count_high", "count_qualifier"):
        rec[k] = cval.get(k)
    return True


def _contains(outer: Span, inner) -> bool:
    """The text puts ``inner`` in ``outer`` ("in al-Jamilyeh neighborhood in Aleppo city",
    "Kafr Dan, Jenin"): ``outer`` follows it closely, after "in" or a comma."""
    if not isinstance(inner, Span) or not (0 <= outer.start - inner.end <= 3):
        return False
    between = {t.lower_ for t in outer.doc[inner.end : outer.start]}
    return bool(between & {"in", ",", "of", "("})


def _count_gov(span: Span) -> Token:
    heads = list(span)
    if span.root.dep_ in ("nummod", "quantmod") and span.root.head.pos_ in ("NOUN", "PROPN"):
        heads.append(span.root.head)  # "Two civilians killed in ...": the noun's participle
    for tok in heads:
        for c in tok.children:
            # "Two civilians killed in ...", "people who were killed": not "two Palestinians,
            # one of whom did not take part" (a relative clause about them, not their death)
            if c.pos_ == "VERB" and (c.dep_ == "acl" or (c.dep_ == "relcl" and c.lemma_.lower() in _TOLL_VERBS)):
                return c
    head = span.root
    # "133 people died": the counted noun's verb
    cur = head
    for _ in range(5):
        if cur.pos_ == "VERB":
            return cur
        if cur.head is cur:
            break
        cur = cur.head
    return head


def _key_value(v):
    if isinstance(v, Span):
        return v._.place_id or v.text.lower()
    return v
