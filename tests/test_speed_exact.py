"""The speed-ups change nothing: each fast path against the plain code it replaces.

Covered: the lemmatizer's set-based index (against spaCy's own ``rule_lemmatize``), the
regex pre-checks in dates/counts (a skipped pattern never had a match), the token-column
scans in events/movements (against the Token-by-Token loops they replace), and whole tables
on the seeds with the fast attribute ruler/lemmatizer on and off.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from spacy.pipeline.lemmatizer import Lemmatizer

from geomap.nlp import counts, dates, doccache, event_scene, events
from geomap.nlp import pipeline as pl
from geomap.read import read_articles

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

#: Inflections, irregulars, punctuation-bearing forms and line-break layout the seeds lack.
EXTRA = (
    "BREAKING: Rebels withdrew from Baba Amr\n\nGovernment troops were redeployed to Idlib on "
    "Tuesday night, and the wounded were evacuated. Three days ago the army's tanks shelled "
    "Rastan; dozens fled, some 2,000 people crossed into Turkey since 2011.\n- Activists say "
    "30 died\n \nAccording to AFP, the children's mothers had been protesting. Aircraft "
    "bombarded the villages' outskirts, the strongest attacks yet, as analyses showed. "
    "Early March 2012 saw between 40 and 50 dead; nearly half a dozen U.N. monitors left. "
    "The men were Syrians. She'd written, he's going, they're ablaze; it was 2012-07-30.\n"
)


@pytest.fixture(scope="module")
def texts() -> list[str]:
    return [*read_articles(SEEDS)["text"], EXTRA]


# nlp: the shared pipeline fixture (tests/pipeline_docs.py, offered by tests/conftest.py)


@pytest.fixture(scope="module")
def docs(nlp, texts):
    import datetime as dt

    out = []
    for t in texts:
        d = nlp.make_doc(t)
        d._.meta = {"doc_id": "t", "published": dt.date(2012, 7, 30)}
        out.append(nlp(d))
    return out


# --------------------------------------------------------------------------- lemmatizer


def test_set_index_lemmatizer_gives_spacy_s_lemma_for_every_token(nlp, docs):
    fast = nlp.get_pipe("lemmatizer")
    assert type(fast) is pl._FastEnglishLemmatizer
    assert fast.lemmatize == fast.rule_lemmatize  # the instance's bound method was swapped too
    plain = pl.load_english_model().get_pipe("lemmatizer")
    fast.cache.clear()
    n = 0
    for doc in docs:
        for tok in doc:
            if tok.pos_ in ("", "EOL", "SPACE"):
                continue
            assert fast.rule_lemmatize(tok) == Lemmatizer.rule_lemmatize(plain, tok), tok.text
            n += 1
    assert n > 2000


# --------------------------------------------------------------------------- regex pre-checks


def test_casefold_like_re_keeps_every_letter_re_ignorecase_matches():
    # Every code point re.IGNORECASE equates with an ASCII letter keeps that letter when folded,
    # so a word test on the folded text never skips a text the regex would match.
    one = re.compile("[a-z]", re.I)
    for cp in range(0x80, 0x110000):
        c = chr(cp)
        if one.fullmatch(c):
            letters = [x for x in "abcdefghijklmnopqrstuvwxyz" if re.fullmatch(x, c, re.I)]
            assert any(x in doccache.casefold_like_re(c) for x in letters), hex(cp)
    assert "since" in doccache.casefold_like_re("ſINCE") and "tonight" in doccache.casefold_like_re("TONıGHT")


@pytest.mark.parametrize(
    "patterns,needs", [(dates._EXTRA_PATTERNS, dates._EXTRA_NEEDS), (counts._PATTERNS, counts._NEEDS)]
)
def test_a_skipped_pattern_has_no_match(texts, patterns, needs):
    tricky = [
        "ſince 2011",
        "Yesterday",
        "LAST WEEK",
        "tonıght",
        "Monday Evening",
        "a Dozen",
        "3 Million",
        "Hundreds",
        "BETWEEN 3 AND 4",
        "mid-March",
        "2 weeks AGO",
        "the past 3 days",
        "Earlier Wednesday",
        "the NIGHT of Monday to Tuesday",
        "during Eid al-Adha in 2016",
        "12 July 2012",
        "JULY 30, 2012",
        "over the WEEKEND",
        "the PREVIOUS night",
        "the DAY before",
    ]
    assert len(patterns) == len(needs)
    matched = [0] * len(patterns)
    for text in [*texts, *tricky]:
        folded = doccache.casefold_like_re(text)
        for k, (pattern, need) in enumerate(zip(patterns, needs)):
            found = [m.group() for m in pattern.finditer(text)]
            matched[k] += len(found)
            if need is not None:
                for f in found:
                    assert any(w in doccache.casefold_like_re(f) for w in need), (pattern.pattern, f)
                if not any(w in folded for w in need):
                    assert not found
    assert all(matched), matched  # every pattern was exercised


# --------------------------------------------------------------------------- events / movements


def _units_plain(doc):
    out = []
    for sent in doc.sents:
        start = sent.start
        for tok in sent:
            if "\n" in tok.text and tok.is_space or (tok.is_space and tok.i == sent.end - 1):
                if tok.i > start:
                    out.append(doc[start : tok.i])
                start = tok.i + 1
        if start < sent.end:
            out.append(doc[start : sent.end])
    return [u for u in out if u.text.strip()]


def _excluded_plain(r, unit):
    out = set()
    for tok in unit:
        if tok.lemma_.lower() in events.SPEECH_VERBS and tok.pos_ == "VERB":
            passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children)
            for c in tok.children:
                if passive and c.dep_ == "prep":
                    continue
                if c.dep_ in ("nsubj",) or (c.dep_ == "prep" and c.lower_ in ("in", "from", "at", "via", "during")):
                    phrase = {t.i for t in c.subtree}
                    for t in c.subtree:
                        if t.dep_ == "relcl":
                            phrase -= {x.i for x in t.subtree}
                    out |= phrase
        if tok.lower_ == "according" and tok.i + 1 < len(r.doc) and r.doc[tok.i + 1].lower_ == "to":
            out |= {t.i for t in r.doc[tok.i + 1].subtree}
        if tok.lemma_.lower() in event_scene._AIM_WORDS and tok.dep_ in (
            "acl",
            "advcl",
            "xcomp",
            "pobj",
            "relcl",
            "dobj",
        ):
            out |= {t.i for t in tok.subtree if t.i != tok.i}  # aims: "an offensive aimed at Raqqa"
    return out


def test_column_scans_give_the_token_loops_results(docs):
    n_units = 0
    for doc in docs:
        plain = _units_plain(doc)
        fast = events._units(doc)
        assert [(u.start, u.end) for u in fast] == [(u.start, u.end) for u in plain]
        r = events._Reader(doc)
        for unit in r.units:
            n_units += 1
            assert events._is_headline(unit) == (
                not re.search(r"[.!?\"”’')\]]$", unit.text.strip())
                or (len(unit) < 4 and not any(t.like_num for t in unit))
            )
            assert r.excluded_tokens(unit) == _excluded_plain(r, unit)
            trimmed = events._trim(unit)
            assert trimmed.text == unit.text.strip() or not unit.text.strip()
    assert n_units > 80


def test_verb_trigger_shortcut_lists_every_lemma_a_rule_reads():
    need = {"leave", "quit", "abandon", "desert", "shoot", "blow", "open"}
    need |= set(events.CONTROL_VERBS) | events._EXPEL_VERBS | set(events.VERB_TRIGGERS)
    assert need <= events._VERB_TRIGGER_LEMMAS


# --------------------------------------------------------------------------- whole tables


def test_tables_identical_with_the_fast_model_parts_off(monkeypatch):
    import geomap.extraction as ex

    articles = read_articles(SEEDS)
    exclude = ex.pipeline_components()[0]
    monkeypatch.setattr(pl, "FAST_ATTRIBUTE_RULER", False)
    slow = pl.load_pipeline(None, exclude)
    monkeypatch.setattr(pl, "FAST_ATTRIBUTE_RULER", True)
    fast = pl.load_pipeline(None, exclude)
    assert type(slow.get_pipe("lemmatizer")) is not pl._FastEnglishLemmatizer
    tables = []
    for nlp in (slow, fast):
        monkeypatch.setattr(ex, "_pipeline", lambda model, excl, nlp=nlp: nlp)
        res = ex.extract(articles)
        tables.append(res)
    a, b = tables
    assert len(a.mentions) > 50 and len(a.incidents) > 5
    for name in ("incidents", "movements", "mentions"):
        pd.testing.assert_frame_equal(pd.DataFrame(getattr(a, name)), pd.DataFrame(getattr(b, name)))
        assert getattr(a, name).to_csv(index=False) == getattr(b, name).to_csv(index=False)


PER_FILE = 8_000


def test_fast_ruler_and_lemmatizer_give_spacy_s_tokens_on_a_large_text():
    """Every token's POS, MORPH and LEMMA from geomap's fast attribute ruler and lemmatizer equal
    the English model's own, over the seeds and the project's docs and benchmark reports (some
    38,000 tokens of varied English, tables and markup). benchmarks/fast_components.py shows what they save (RESULTS-hostile.md)."""
    from spacy.attrs import LEMMA, MORPH, POS, TAG

    root = Path(__file__).resolve().parent.parent
    # The first PER_FILE characters of each: the reports grow every session, and the whole of them
    # (88,000 tokens at stop 19) made this the suite's slowest test (94 s) for no more kinds of text.
    texts = [
        p.read_text("utf-8")[:PER_FILE]
        for p in sorted(
            [
                *SEEDS.glob("*.txt"),
                *(root / "docs").glob("*.md"),
                *(root / "benchmarks").glob("*.md"),
                root / "README.md",
                root / "DEVELOPERS.md",
            ]
        )
    ]
    plain = pl.load_english_model()
    fast = pl._speed_up(pl.load_english_model())
    assert type(fast.get_pipe("attribute_ruler")) is pl._FastAttributeRuler
    n = 0
    for a, b in zip(plain.pipe(texts), fast.pipe(texts)):
        assert [t.text for t in a] == [t.text for t in b]
        left, right = a.to_array([POS, TAG, MORPH, LEMMA]), b.to_array([POS, TAG, MORPH, LEMMA])
        diff = (left != right).any(axis=1).nonzero()[0]
        assert len(diff) == 0, [(a[i].text, a[i].pos_, b[i].pos_, a[i].lemma_, b[i].lemma_) for i in diff[:5]]
        n += len(a)
    assert n > 25_000
