"""Strategic developments told by a verb and what it acts on: a base or an outpost established,
an agreement signed, a group formed, checkpoints removed (ACLED's "Headquarters or base
established", "Agreement", "Change to group/activity").

The verbs are common ("established contacts", "formed a line", "removed the rubble"), so a verb
makes such an event only with one of its objects in ``lexicon/strategic_acts.tsv``: its direct
object, the subject of its passive ("a base was established"), or the noun after "of" ("announced
the formation of a council").
"""

from __future__ import annotations

from spacy.tokens import Token

from geomap.nlp.event_lexicon import LEXICON_DIR, verb_lemma
from geomap.nlp.event_units import _local
from geomap.nlp.unresolved_places import unresolved_place
from geomap.schema import read_table

__all__ = ["strategic_act"]


def _acts() -> dict[tuple[str, str | None], list[tuple[frozenset[str], str, str]]]:
    """(verb lemma, particle or None) -> [(object lemmas, event_type, sub_type)]."""
    out: dict[tuple[str, str | None], list[tuple[frozenset[str], str, str]]] = {}
    for row in read_table(LEXICON_DIR / "strategic_acts.tsv"):
        verb, _, particle = row["verb"].partition(" ")
        out.setdefault((verb, particle or None), []).append(
            (frozenset(row["objects"].split()), row["event_type"], row["sub_type"])
        )
    return out


_ACTS = _acts()
_VERBS = frozenset(verb for verb, _ in _ACTS)


def _objects(tok: Token) -> list[Token]:
    """What the verb acts on: its direct objects and their conjuncts ("removed checkpoints and
    barriers"), the subject of its passive, and the noun after "of" of each ("the formation of")."""
    objs = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
    objs += [c for o in objs for c in o.conjuncts]
    return objs + [p for o in objs for c in o.children if c.dep_ == "prep" and c.lower_ == "of" for p in c.children]


def strategic_act(tok: Token, lemma: str | None = None) -> tuple[str, str] | None:
    """``(event_type, sub_type)`` when the verb ``tok`` with its object is a strategic
    development of ``lexicon/strategic_acts.tsv``, else None."""
    lemma = lemma or verb_lemma(tok)
    if lemma not in _VERBS:
        return None
    particles = [c.lower_ for c in tok.children if c.dep_ == "prt"]
    rows = _ACTS.get((lemma, particles[0] if particles else None)) or []
    objs = {o.lemma_.lower() for o in _objects(tok)}
    for objects, etype, sub in rows:
        if objs & objects:
            return (etype, sub) if _placed_in_own_clause(tok) else None
    return None


def _placed_in_own_clause(tok: Token) -> bool:
    """The act's own clause says where it happened ("set up a base near Quneitra"). Not a
    purpose or a participle clause beside it: "established a base in the mountains, preparing to
    attack X" did not happen in X, so with no place of its own the act makes no record."""
    own = _local(tok)
    places = tok.doc._.places or []
    if any(p.start in own for p in places):
        return True
    return unresolved_place(own, tok.sent, set()) is not None
