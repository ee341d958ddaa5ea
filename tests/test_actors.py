"""Actor phrases -> geomap's actors (geomap.nlp.actors, lexicon/actors.tsv): named, never guessed."""

from __future__ import annotations

from pathlib import Path

import pytest

from geomap.nlp import actors
from geomap.nlp.actors import clause_roles, normalise_actor
from geomap.schema import read_table


# nlp: the shared pipeline fixture (tests/pipeline_docs.py, offered by tests/conftest.py)
def actor(nlp, phrase: str) -> str | None:
    return normalise_actor(list(nlp(phrase)))


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("the Syrian regime", "government forces"),
        ("hundreds of rebels", "rebels"),
        ("Israeli jets", "Israel"),
        ("the Free Syrian Army", "rebels"),
        ("Syrian troops", "government forces"),
        ("an army unit", "government forces"),
        ("regime forces", "government forces"),
        ("Assad's forces", "government forces"),
        ("the government", "government forces"),
        ("Turkish police", "Turkey"),
        ("US special forces", "United States"),
        ("American troops", "United States"),
        ("IS fighters", "Islamist groups"),
        ("6 Israeli military vehicles", "Israel"),
        ("a convoy of trucks carrying Turkish troops", "Turkey"),
        ("opposition fighters", "rebels"),
        ("the Islamic factions", "Islamist groups"),
        ("the Islamic Revolutionary Guard Corps", "Iran"),
        ("Iraqi insurgents", "rebels"),  # not the Iraqi state
        ("Russian fighter jets", "Russia"),
        ("the armys air force", "government forces"),  # apostrophe dropped by the source
        ("Turkeys warplanes", "Turkey"),
        ("the Iraqi army", "Iraq"),
        ("ISIS fighters", "Islamist groups"),
        ("IS militants", "Islamist groups"),
        ("Kurdish fighters", "Kurdish forces"),
        ("the Syrian Democratic Forces", "Kurdish forces"),
        ("Hezbollah fighters", "Hezbollah"),
        ("pro-government militias", "pro-government militias"),
        # a civilian head is the victim whatever state it belongs to
        ("Israeli civilians", "civilians"),
        ("Syrian children", "civilians"),
        # "X-backed", "X-held", "X-made": X is not the actor of the phrase
        ("Iranian-backed militias", None),  # the backer is not the actor; "militias" alone names nobody
        ("pro-regime militias", "pro-government militias"),
        ("an Israeli man", None),
        ("Israeli settlers", "civilians"),
        ("Turkish-backed rebels", "rebels"),
        ("the rebel-held Handarat district", None),
        ("Russian-made helicopters", None),
        # "X-led": the coalition X leads, or X itself
        ("the Saudi-led coalition", "Saudi-led coalition"),
        ("U.S.-led coalition jets", "US-led coalition"),
        ("the international coalition", "US-led coalition"),
        ("a rebel-led offensive", "rebels"),
        # "anti-X": X is the enemy, not the actor
        ("anti-Houthi forces", None),
        ("anti-ISIS rebels", "rebels"),
    ],
)
def test_actor_phrases(nlp, phrase, expected):
    assert actor(nlp, phrase) == expected


@pytest.mark.parametrize(
    "phrase",
    [
        "troops",
        "warplanes",
        "the forces",
        "unidentified gunmen",
        "a journalist",
        "us",  # the pronoun, not the United States
        "Syrian state media",  # a source, not a party
        "the Syrian Observatory for Human Rights",
        "the Syrian Coalition",  # the opposition's political body
        "the coalition",  # no coalition named in the text
        "retired workers",
        "the central government's decision",  # a decision, not a force
        "Russia's military offensive",
        "the Palestinian National and Islamic Forces",  # a coalition of parties, not an Islamist group
        "fighters",  # whose? the text must say (or have said: see the article rule)
        "supporters and opponents of President Bashar Assad",
    ],
)
def test_unknown_actors_stay_empty(nlp, phrase):
    assert actor(nlp, phrase) is None


def test_a_named_group_wins_over_generic_fighters(nlp):
    doc = nlp("Hezbollah sent hundreds of fighters to Qusair.")
    # the parts of a phrase a caller gathers need not be adjacent
    assert normalise_actor([doc[0], doc[2], doc[3], doc[4]]) == "Hezbollah"


def test_a_name_is_not_its_common_words(nlp):
    doc = nlp("The arson attack was claimed by Children of Fire.")
    assert normalise_actor([t for t in doc if 6 <= t.i <= 8]) is None  # a group's name, not children


def test_bare_coalition_is_the_one_the_article_names(nlp):
    doc = nlp("The Saudi-led coalition said on Monday that the coalition jets hit Sanaa.")
    phrase = [t for t in doc if t.i > 0 and t.lower_ in ("the", "coalition") and t.head.lower_ == "jets"]
    assert normalise_actor(phrase) == "Saudi-led coalition"


def test_vocabulary_file_is_consistent():
    rows = read_table(Path(actors.__file__).with_name("lexicon") / "actors.tsv")
    matches = {
        "phrase",
        "word",
        "exact",
        "adjective",
        "force",
        "carrier",
        "not_phrase",
        "not_head",
        "suffix",
        "led",
        "against",
        "target",
        "support",
    }
    kinds = {"group", "generic", "state", "institution", "victims", ""}
    assert rows and {r["match"] for r in rows} <= matches
    assert {r["kind"] for r in rows} <= kinds
    for r in rows:
        named = r["match"] in ("phrase", "word", "exact", "adjective")
        assert (r["actor"] != "-") == named, r
        assert bool(r["kind"]) == named, r
        assert r["words"] == r["words"].lower() or r["match"] == "exact", r
    words = [r["words"] for r in rows]
    assert len(words) == len(set(words)), "a word listed twice"


def test_clause_roles():
    assert clause_roles("protest", None, None, None) == ("civilians", None)  # "retired workers protested"
    assert clause_roles("protest", "mob violence", None, "Israel") == ("civilians", "Israel")
    assert clause_roles("protest", None, "government forces", None) == ("civilians", None)  # retired officers
    assert clause_roles("protest", "excessive force", None, "civilians") == (None, "civilians")
    assert clause_roles("protest", "excessive force", "civilians", None) == (None, "civilians")
    assert clause_roles("bombardment", "shelling", "civilians", None) == (None, "civilians")
    assert clause_roles("clash", None, "rebels", "government forces") == ("rebels", "government forces")
    assert clause_roles("strategic_development", "arrests", None, None) == (None, None)


def _incidents(nlp, text):
    import datetime as dt

    import geomap.nlp.linebreaks  # noqa: F401

    if "geomap_linebreaks" not in nlp.pipe_names:
        nlp.add_pipe("geomap_linebreaks", before="parser")
    doc = nlp.make_doc(text)
    doc._.meta = {"doc_id": "t", "published": dt.date(2016, 7, 4)}
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return doc._.incidents


@pytest.mark.parametrize(
    ("text", "actor1"),
    [
        ("The Saudi-led coalition carried out air strikes on Sanaa on Sunday.", "Saudi-led coalition"),
        ("US-led coalition air strikes hit Raqqa on Sunday.", "US-led coalition"),
        ("Russian jets struck Idlib on Sunday.", "Russia"),
        ("Troops shelled Rastan on Sunday.", None),  # unqualified troops: nobody named
    ],
)
def test_incident_actors_through_the_pipeline(nlp, text, actor1):
    incs = _incidents(nlp, text)
    assert incs and {i["actor1"] for i in incs} == {actor1}


def test_a_bare_force_noun_is_the_one_the_article_named(nlp):
    doc = nlp("The Syrian air force struck Aleppo on Monday. The air force also hit Idlib.")
    second = [t for t in doc if t.lower_ == "force"][1]
    assert normalise_actor(list(second.subtree)) == "government forces"
    doc = nlp("Russian jets struck Idlib. Syrian jets struck Hama. The jets returned on Monday.")
    third = [t for t in doc if t.lower_ == "jets"][2]
    assert normalise_actor(list(third.subtree)) is None  # two states named: nobody
    doc = nlp("Security forces arrested ten men. The air force hit Idlib.")
    assert normalise_actor(list([t for t in doc if t.lower_ == "force"][0].subtree)) is None
    doc = nlp("ISIS terrorists attacked Tabqa on Monday. The terrorists targeted a convoy.")
    assert normalise_actor(list([t for t in doc if t.lower_ == "terrorists"][1].subtree)) == "Islamist groups"


@pytest.mark.parametrize(
    ("text", "actor1", "actor2"),
    [
        # whoever the subject is, a protest's doer is the protesters (ACLED's convention)
        ("Hundreds of retired teachers protested in Damascus on Sunday.", "civilians", None),
        ("Retired army officers protested in Homs on Sunday.", "civilians", None),
    ],
)
def test_the_event_type_sets_the_roles_through_the_pipeline(nlp, text, actor1, actor2):
    incs = _incidents(nlp, text)
    assert incs
    assert {(i["actor1"], i["actor2"]) for i in incs} == {(actor1, actor2)}


def test_what_a_phrase_acted_on_is_not_its_actor(nlp):
    # a headline run into the lead: "rebel camps" is what the phrase's verb acted on, its target
    # object, the target; the jihadists are not the doer
    doc = nlp("Russia bombs rebel camps in Idlib all week")
    assert normalise_actor(list(doc)) is None
    doc = nlp("ISIS fighters attacked Tabqa.")
    assert normalise_actor([t for t in doc if t.i < 2]) == "Islamist groups"


@pytest.mark.parametrize(
    ("phrase", "actor"),
    [
        ("Attacks against Houthi positions", None),  # the Houthis were attacked
        ("Air strikes on Islamic State positions", None),
        ("ISIS attacks on army positions", "Islamist groups"),  # the doer named before "on"
        ("Fighters of the Islamic State", "Islamist groups"),  # "of" keeps its words
    ],
)
def test_the_target_after_on_or_against_is_not_the_actor(nlp, phrase, actor):
    doc = nlp(phrase + " killed five people.")
    subj = next(t for t in doc if t.dep_ == "nsubj")
    assert normalise_actor(list(subj.subtree)) == actor


def test_civilians_named_with_a_toll_are_its_victims():
    # "three boys were among nine people shot": who died, never who killed
    assert clause_roles("casualties", None, "civilians", None) == (None, "civilians")
    assert clause_roles("casualties", None, "government forces", None) == ("government forces", None)


def test_a_phrase_cut_short_still_leaves_by_its_clause(nlp):
    # the caller cuts a subject to 12 tokens: "... targeting the Turkish Army" lost "outpost",
    # and the target's words still are no part of the doer's phrase
    doc = nlp(
        "A mortar attack was carried out by an armed faction called Liwa al-Sahil targeting the Turkish Army's Tall Hamra outpost near the border."
    )
    faction = next(t for t in doc if t.text == "faction")
    assert normalise_actor(list(faction.subtree)[:12]) is None


@pytest.mark.parametrize(
    ("text", "actor"),
    [
        # an enumeration of parties: which one struck is unknown
        ("The army, Hezbollah and Russian jets have all shelled the town.", None),
        # two named together: the first, as ACLED codes a main actor with its associate
        ("Hezbollah and Syrian troops attacked the town.", "Hezbollah"),
        ("Hundreds of rebels attacked the town.", "rebels"),
    ],
)
def test_several_parties_named_together(nlp, text, actor):
    doc = nlp(text)
    subj = next(t for t in doc if t.dep_ == "nsubj")
    assert normalise_actor(list(subj.subtree)[:12]) == actor


def test_an_allys_support_is_not_the_actor(nlp):
    doc = nlp("Government troops with Saudi-led coalition air cover advanced on the town.")
    subj = next(t for t in doc if t.dep_ == "nsubj")
    assert normalise_actor(list(subj.subtree)[:12]) == "government forces"


@pytest.mark.parametrize(
    "phrase,expected",
    [
        # Islamist rebel factions with no al-Qaeda or Islamic State tie are rebels; a coalition led
        # by al-Qaeda's Syrian branch is an Islamist group (docs/event-types.md, "Actors")
        ("Ahrar al-Sham fighters", "rebels"),
        ("Jaish al-Islam", "rebels"),
        ("Faylaq al-Rahman", "rebels"),
        ("the Nour al-Din al-Zenki movement", "rebels"),
        ("Jaish al-Fatah", "Islamist groups"),
    ],
)
def test_named_rebel_factions(nlp, phrase, expected):
    assert actor(nlp, phrase) == expected


@pytest.mark.parametrize(
    "phrase,expected",
    [("the U.S. Armed Forces", "United States"), ("the Turkish Armed Forces", "Turkey")],
)
def test_a_capitalised_armed_forces_is_the_state_s(nlp, phrase, expected):
    # the tagger keeps "Forces" as a proper noun: it is still the force noun
    assert actor(nlp, phrase) == expected
