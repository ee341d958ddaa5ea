"""What kind of violence a verb trigger's clause tells (geomap/nlp/event_kinds.py), through the
full pipeline. Hand-written Syrian sentences."""

from __future__ import annotations

import datetime as dt

import pytest

PUB = dt.date(2013, 3, 18)


# nlp: the shared pipeline fixture (tests/pipeline_docs.py, offered by tests/conftest.py)
def kinds(nlp, text):
    doc = nlp.make_doc(text)
    doc._.meta = {"doc_id": "t", "published": PUB}
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return {(r["event_type"], r["sub_type"]) for r in doc._.incidents}


@pytest.mark.parametrize(
    "text,want",
    [
        # what was hit or destroyed during a strike is the strike's result, no clash
        (
            "During Russian air raids on Sunday, a bakery and a school were hit in Homs.",
            {("bombardment", "air strike")},
        ),
        ("Three warehouses were destroyed in Homs during the shelling.", {("bombardment", "shelling")}),
        # with no strike as the occasion, destroying tanks is fighting
        ("During the clashes, rebels destroyed two tanks in Homs.", {("clash", None)}),
    ],
)
def test_what_was_hit_during_a_strike_is_its_result(nlp, text, want):
    assert kinds(nlp, text) == want


def test_a_participle_on_a_verbless_root_is_the_sentence_verb(nlp):
    # no finite verb: the parser hangs "shelling" on "artillery" as a participle
    text = "Monday government tank shelling hitting the eastern districts of Homs."
    assert ("bombardment", "shelling") in kinds(nlp, text)


def test_a_participle_describing_people_beside_a_finite_verb_is_no_event(nlp):
    assert kinds(nlp, "French jihadists fighting in Homs returned to Paris on Monday.") == set()


@pytest.mark.parametrize(
    "text,want",
    [
        # an unnamed group that kills a commander fights; the title before his name says who he was
        ("On 9 May 2014, unknown assailants killed rebel commander Abu Mazur in Hama.", ("clash", None)),
        ("On 9 May 2014, a gang of men killed a rebel fighter in Hama.", ("clash", None)),
        # gunmen who kill a journalist attack a civilian
        ("On 9 May 2014, gunmen killed the journalist Ahmad Mazur in Hama.", ("attack_on_civilians", None)),
    ],
)
def test_who_was_killed_by_whom(nlp, text, want):
    assert want in kinds(nlp, text)


def test_counted_strikes_on_a_verbless_root_are_reported(nlp):
    # the parser reads "targeted" as an adjective and leaves "1 air raid" as the root
    text = "On 11 May 2014, 2 Russian air raids targeted Mazurah district (Qurbat). No casualties."
    assert ("bombardment", "air strike") in kinds(nlp, text)


def test_an_accusation_dismissed_is_disputed(nlp):
    # lexicon/word_lists.tsv denial_verbs (read by attribution.claim_status)
    doc = nlp.make_doc(
        "Activists accused regime troops of killing 25 villagers with rockets in Saqba on Thursday"
        " - a claim dismissed by the authorities."
    )
    doc._.meta = {"doc_id": "t", "published": dt.date(2014, 5, 22)}
    doc = nlp(doc)
    assert [r["claim_status"] for r in doc._.incidents] == ["disputed"]


@pytest.mark.parametrize(
    "text,want",
    [
        ("Government forces managed to regain control of Talbiseh on Sunday.", True),
        ("Rebels were able to retake the hill near Talbiseh on Sunday.", True),
        ("Army helicopters began to bomb Talbiseh on Sunday.", True),
        # present or future: the infinitive has not happened
        ("Rebels are able to retake the hill near Talbiseh within days.", False),
        ("Government forces will manage to regain control of Talbiseh, the minister said.", False),
    ],
)
def test_an_infinitive_under_a_past_implicative_verb_happened(nlp, text, want):
    assert bool(kinds(nlp, text)) is want


@pytest.mark.parametrize(
    "text,want",
    [
        ("Security forces opened fire on a sit-in in Talbiseh on Monday.", {("attack_on_civilians", None)}),
        ("On 2 March 2012, soldiers opened fire on a rally in Talbiseh.", {("attack_on_civilians", None)}),
        ("Snipers shot at demonstrators in Talbiseh on Friday.", {("attack_on_civilians", None)}),
        # a date after "on" is no target; fire on fighters is fighting
        ("On 5 March 2012, armed men shot and killed a shopkeeper in Talbiseh.", {("attack_on_civilians", None)}),
        ("Soldiers opened fire on a rebel checkpoint in Talbiseh.", {("clash", None)}),
    ],
)
def test_fire_on_protesters_or_their_gathering_is_no_clash(nlp, text, want):
    assert kinds(nlp, text) == want


def test_a_weapon_the_passive_says_was_dropped_or_fired_is_a_strike(nlp):
    assert kinds(nlp, "Explosive barrels were dropped on Talbiseh on Monday.") == {("bombardment", "air strike")}


def test_the_doer_of_an_infinitive_is_the_subject_of_the_verb_it_completes(nlp):
    doc = nlp.make_doc("Turkish jets began to bomb Talbiseh on Saturday, Kurdish officials said.")
    doc._.meta = {"doc_id": "t", "published": PUB}
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    assert [r["actor1"] for r in doc._.incidents] == ["Turkey"]


@pytest.mark.parametrize(
    "text,want",
    [
        # an event told before and now set against another ("come as", "came amid") is no new one
        (
            "Jets bombed Talbiseh on Monday. The raids come as Russia and Turkey discuss a truce.",
            {("bombardment", "air strike")},
        ),
        ("Gunmen attacked a checkpoint in Talbiseh. The attack came amid rising tension.", {("clash", None)}),
        # told for the first time (first sentence, or a place of its own): an event
        ("The bombing of Talbiseh comes as Russia and Turkey discuss a truce.", {("bombardment", None)}),
        (
            "Jets bombed Talbiseh on Monday. Those strikes came while French jets were bombing positions near Mosul.",
            {("bombardment", "air strike")},
        ),
        # what happened in the clause after "as" is told
        ("Clashes came as rebels attacked a checkpoint in Talbiseh on Monday.", {("clash", None)}),
    ],
)
def test_an_event_framed_by_come_as_is_no_new_event(nlp, text, want):
    assert kinds(nlp, text) == want


def test_the_target_of_a_strike_or_an_attack_is_named_by_against_on_at_or_targeting(nlp):
    from geomap.nlp.event_triggers import target_actor

    def target(text, trigger):
        doc = nlp(text)
        tok = next(t for t in doc if t.lower_ == trigger)
        head = tok.head if tok.dep_ in ("dobj", "nsubj", "nsubjpass") else tok
        return target_actor(head, tok)

    assert target("Turkish drones carried out air strikes against PKK fighters near Afrin.", "strikes") == (
        "Kurdish forces"
    )
    assert target("Unknown gunmen detonated a bomb targeting an army patrol near Talbiseh.", "detonated") == (
        "government forces"
    )
    # a place or a thing is no actor
    assert target("Jets carried out air strikes on Talbiseh on Monday.", "strikes") is None
