"""Protests told by purpose or crowd, their sub-types, property destruction and disrupted weapons
use (geomap/nlp/event_breadth.py), through the full pipeline. Hand-written Syrian sentences."""

from __future__ import annotations

import datetime as dt

import pytest

from geomap.schema import acled_types

PUB = dt.date(2013, 3, 18)


# nlp: the shared pipeline fixture (tests/pipeline_docs.py, offered by tests/conftest.py)
def kinds(nlp, text):
    doc = nlp.make_doc(text)
    doc._.meta = {"doc_id": "t", "published": PUB}
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return [(r["event_type"], r["sub_type"]) for r in doc._.incidents]


@pytest.mark.parametrize(
    "text",
    [
        "On 4 April 2013, relatives gathered outside the court of Salamiyah to protest against the jailing of their sons.",
        "On 4 April 2013, minibus owners stood on the highway near Masyaf to block traffic, in protest over bread shortages.",
        "On 4 April 2013, nurses gathered at the hospital gate in Tartus for a sit-in.",
        "On 4 April 2013, young men took to the streets across Jableh to condemn the shelling.",
        "On 15 March 2013, protesters gathered outside the governorate building in Hama.",
        "On 4 April 2013, bakers staged a demonstration in Baniyas.",
        # a misparse that makes "On" the root leaves the verb a participle; it is still the event
        "On 21 July 2013, traders and stallholders protested in Hama city (Hama) over the latest rise in rents.",
    ],
)
def test_protest_by_purpose_crowd_or_frame(nlp, text):
    assert ("protest", None) in kinds(nlp, text)


def test_blocking_with_burning_tires_is_a_violent_demonstration(nlp):
    out = kinds(nlp, "On 15 March 2013, demonstrators blocked the highway in Hama with burning tires.")
    assert ("protest", "violent demonstration") in out
    assert acled_types("protest", "violent demonstration")[0] == "Riots"


def test_protest_met_by_police_is_one_with_intervention(nlp):
    out = kinds(
        nlp,
        "On 4 April 2013, porters staged a demonstration by the town hall in Qardaha. Police dispersed the protesters.",
    )
    assert out and out[0] == ("protest", "with intervention")


def test_protesters_shot_make_excessive_force(nlp):
    out = kinds(
        nlp,
        "On 15 March 2013, hundreds of people gathered in Daraa to protest against the arrests. "
        "Security forces shot two protesters.",
    )
    assert ("protest", "excessive force") in out


def test_protest_without_answer_stays_peaceful(nlp):
    out = kinds(nlp, "On 4 April 2013, bakers staged a demonstration in Baniyas. The bakers asked for cheaper flour.")
    assert out == [("protest", None)]


def test_responsibility_for_a_strike_is_no_protest(nlp):
    out = kinds(nlp, "The State Department said on Tuesday that Iran holds responsibility for the bombing in Idlib.")
    assert all(t != "protest" for t, _ in out)


@pytest.mark.parametrize(
    "text",
    [
        "On 15 March 2013, government forces demolished several houses in Qaboun in Damascus.",
        "On 15 March 2013, gunmen set fire to shops in the market of Homs.",
    ],
)
def test_property_destruction(nlp, text):
    assert ("strategic_development", "looting") in kinds(nlp, text)


@pytest.mark.parametrize(
    "text",
    [
        "On 15 March 2013, police defused an IED near the market in Homs.",
        "On 15 March 2013, air defences intercepted a drone over Hama.",
        "On 15 March 2013, government forces shot down a drone over Hama.",
    ],
)
def test_disrupted_weapons_use(nlp, text):
    out = kinds(nlp, text)
    assert ("strategic_development", "weapons seized") in out
    assert acled_types("strategic_development", "weapons seized") == ("Strategic developments", "Disrupted weapons use")


def records(nlp, text):
    doc = nlp.make_doc(text)
    doc._.meta = {"doc_id": "t", "published": PUB}
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return doc._.incidents


def test_a_place_the_gazetteer_lacks_is_kept_as_text_without_a_point(nlp):
    (r,) = records(nlp, "On 4 April 2013, clerks protested outside the town hall in Zzyzxville city.")
    assert r["event_type"] == "protest"
    assert r["place"].text.startswith("Zzyzxville") and r["place"]._.place is None


def test_a_street_or_operation_name_is_no_unresolved_place(nlp):
    out = records(nlp, "On 15 March 2013, rebels fought in Zzyzx Street.")
    assert all("Street" not in r["place"].text for r in out)


def test_a_known_name_inside_a_longer_unknown_name_gets_no_point(nlp):
    # "Zzyzx Douma" is a name the gazetteer lacks: its piece "Douma" may be another place, so the
    # 15 March clash keeps its text without Douma's point (place_pieces, stop 18); the Monday
    # shelling, which names Douma alone, keeps it.
    out = records(
        nlp, "Government forces shelled Douma on Monday. On 15 March 2013, rebels fought in Zzyzx Douma district."
    )
    placed = {(r["event_type"], r["place"]._.place["name"] if r["place"]._.place else None) for r in out}
    assert placed == {("bombardment", "Douma"), ("clash", None)}


@pytest.mark.parametrize(
    "text",
    [
        "On 4 April 2013, doctors did a sit-in at their clinics in Latakia.",
        # a fragment parse with a noun as its root
        "On 9 May 2013, mothers of detainees protested at the gate of the Justice Palace in Tartus.",
    ],
)
def test_sit_in_done_and_noun_rooted_parse(nlp, text):
    assert ("protest", None) in kinds(nlp, text)


def test_what_a_strike_hit_is_an_unresolved_place(nlp):
    (r,) = records(nlp, "On 18 January 2013, 3 air raids targeted Zzyzx City.")
    assert (r["event_type"], r["sub_type"], r["place"].text) == ("bombardment", "air strike", "Zzyzx City")


@pytest.mark.parametrize(
    "text,sub",
    [
        ("On 21 May 2013, clashes erupted between rival rioters near Tartus.", "mob violence"),
        ("On 13 May 2013, pro-government militiamen clashed with rioters in Homs.", "mob violence"),
        ("On 13 May 2013, protesters clashed with the police in Homs.", "violent demonstration"),
    ],
)
def test_a_clash_with_a_crowd_is_a_riot(nlp, text, sub):
    assert ("protest", sub) in kinds(nlp, text)


@pytest.mark.parametrize(
    "text,want",
    [
        ("On 8 June 2013, border guards fired at a civilian car near Kessab.", ("attack_on_civilians", None)),
        ("On 8 June 2013, gunmen shot at a moving car in Hama, injuring the driver.", ("attack_on_civilians", None)),
        ("On 8 June 2013, government forces fired artillery on rebel positions in Hama.", ("bombardment", "shelling")),
        ("On 8 June 2013, soldiers opened fire towards shepherds east of Homs.", ("attack_on_civilians", None)),
        ("On 8 June 2013, soldiers opened fire on rebel positions in Homs.", ("clash", None)),
    ],
)
def test_shooting_at_people_or_their_vehicles_is_an_attack_on_civilians(nlp, text, want):
    assert want in kinds(nlp, text)


@pytest.mark.parametrize(
    "text,sub",
    [
        ("On 8 April 2013, a group of men hurled stones at passing cars near Homs.", "mob violence"),
        ("On 8 April 2013, protesters threw stones at the police in Homs.", "violent demonstration"),
    ],
)
def test_stones_thrown_are_a_riot(nlp, text, sub):
    assert ("protest", sub) in kinds(nlp, text)


def test_an_unresolved_town_elsewhere_in_the_sentence(nlp):
    (r,) = records(
        nlp,
        "On 11 February 2013, pharmacists did a sit-in refusing to open their shops "
        "in Zzyzx city demanding lower drug prices.",
    )
    assert r["event_type"] == "protest" and r["place"].text.startswith("Zzyzx")


def test_a_body_found_is_an_attack_with_no_finder_as_actor(nlp):
    (r,) = records(nlp, "On 2 July 2013, police found the body of an elderly farmer with gunshot wounds near Masyaf.")
    assert (r["event_type"], r["actor1"], r["actor2"]) == ("attack_on_civilians", None, "civilians")
    assert r["count_best"] is None  # no toll is stated


def test_a_riot_told_by_the_verb_outranks_the_raid_it_happened_in(nlp):
    out = kinds(nlp, "On 20 February 2013, rioters clashed with the security services during their raid on Douma.")
    assert out[0] == ("protest", "mob violence")


@pytest.mark.parametrize(
    "text,want",
    [
        (
            "On 30 June 2013, customs officers seized a quantity of weapons at Tartus port.",
            ("strategic_development", "weapons seized"),
        ),
        ("On 23 June 2013, police found an arms cache in Hama.", ("strategic_development", "weapons seized")),
        ("On 23 June 2013, rebels seized the town of Qusayr.", ("control_change", "gained")),
    ],
)
def test_weapons_seized_are_not_a_place_seized(nlp, text, want):
    assert want in kinds(nlp, text)


def test_a_name_the_parser_hangs_as_a_modifier_and_no_demonym(nlp):
    (r,) = records(nlp, "On 8 January 2013, clerks protested outside the town hall in Zzyzx city over pensions.")
    assert r["place"].text.startswith("Zzyzx")
    out = records(nlp, "On 8 January 2013, rebels clashed with troops in the Syrian town.")
    assert all(r["place"] is None or r["place"].text != "Syrian town" for r in out)


@pytest.mark.parametrize(
    "text,name",
    [
        ("On 5 April 2013, government forces fired artillery on rebel positions in Zzyzx front.", "Zzyzx front"),
        ("On 6 April 2013, army units shelled neighbourhoods east of Zzyzx city.", "Zzyzx city"),
    ],
)
def test_fronts_and_directions_give_unresolved_places(nlp, text, name):
    (r,) = records(nlp, text)
    assert r["place"].text == name


@pytest.mark.parametrize(
    "text, want",
    [
        # an arrest for having protested is an arrest, not a protest
        (
            "On 15 March 2013, security forces arrested dozens of youths in Jableh, accused of joining the rallies.",
            ("strategic_development", "arrests"),
        ),
        # arrests during an operation: the operation is the occasion, the arrests the event
        (
            "On 15 March 2013, border police captured and detained 40 smugglers near Tell Kalakh during an operation they launched.",
            ("strategic_development", "arrests"),
        ),
        ("On 15 March 2013, regime forces launched an arrest campaign in Hama.", ("strategic_development", "arrests")),
        (
            "On 15 March 2013, masked men launched an arson attack on a pharmacy in Safita.",
            ("strategic_development", "looting"),
        ),
        (
            "On 15 March 2013, the army discovered and destroyed a rebel hideout near Hama.",
            ("strategic_development", "looting"),
        ),
        (
            "On 15 March 2013, gunmen stormed and seized the home of a tribal elder in Deir Atiyah.",
            ("strategic_development", "looting"),
        ),
        (
            "On 15 March 2013, insurgents targeted a regime checkpoint via heavy guns near Morek.",
            ("bombardment", "shelling"),
        ),
        ("On 15 March 2013, gunmen attacked a police patrol with hand grenades in Homs.", ("bombardment", "grenade")),
        ("On 15 March 2013, gunmen shot and killed 2 civilians in Homs.", ("attack_on_civilians", None)),
        (
            "On 15 March 2013, physical clashes erupted between residents and supporters of a candidate in Homs.",
            ("protest", "mob violence"),
        ),
        ("On 15 March 2013, settlers assaulted a shepherd near Homs.", ("protest", "mob violence")),
        ("On 15 March 2013, the army opened fire at 3 drones over Hama.", ("strategic_development", "weapons seized")),
        (
            "On 15 March 2013, residents blocked the coastal highway with burning tires near Baniyas, in protest against water cuts.",
            ("protest", "violent demonstration"),
        ),
        (
            "On 15 March 2013, rebels took control peacefully of Rastan after the army withdrew.",
            ("control_change", "transferred"),
        ),
        ("On 15 March 2013, security forces assaulted the protesters in Homs.", ("protest", "with intervention")),
        ("On 15 March 2013, police arrested 40 people at a protest in Homs.", ("protest", "with intervention")),
        (
            "On 15 March 2013, soldiers beat several citizens with rifles at a checkpoint near Qatana.",
            ("attack_on_civilians", None),
        ),
        ("On 15 March 2013, sniper fire targeted a woman in Homs.", ("attack_on_civilians", None)),
        ("On 15 March 2013, gunmen shot at the judge in Homs.", ("attack_on_civilians", None)),
    ],
)
def test_acled_coding_conventions(nlp, text, want):
    assert want in kinds(nlp, text)


@pytest.mark.parametrize(
    "text, unwanted",
    [
        # a mine left over from an old war going off is no attack
        (
            "On 15 March 2013, an old shell leftover from the 1967 war exploded near Khan Arnabah, wounding a boy.",
            "bombardment",
        ),
        # a bare "5 civilians were killed" is a toll, not an attack told by its doer
        ("On 15 March 2013, five civilians were killed in Homs.", "attack_on_civilians"),
        # airstrikes that destroy a hideout are a strike, not property destruction
        ("On 15 March 2013, warplanes destroyed a rebel hideout near Hama.", "strategic_development"),
    ],
)
def test_acled_coding_conventions_negative(nlp, text, unwanted):
    assert unwanted not in [k for k, _ in kinds(nlp, text)]


def test_staged_is_stage_and_a_town_named_tire_is_no_riot(nlp):
    # the small model lemmatises "staged" as "stag" (lexicon/irregular_verbs.tsv)
    text = "On 15 March 2013, fishermen staged a demonstration at Jableh harbour, in protest of the water quotas."
    assert ("protest", None) in kinds(nlp, text)
    text = "On 15 March 2013, residents staged a demonstration in Homs against the rock quarry."
    assert ("protest", "violent demonstration") not in kinds(nlp, text)


def test_people_lost_are_no_ground_lost_and_bombings_say_no_aircraft(nlp):
    text = "On 15 March 2013, insurgents lost some eighty militants in the battle for Talbiseh."
    assert "control_change" not in [k for k, _ in kinds(nlp, text)]
    assert ("control_change", "lost") in kinds(nlp, "On 15 March 2013, rebels lost the town of Rastan.")
    assert ("bombardment", "air strike") not in kinds(nlp, "On 15 March 2013, a bombing hit a bus in Homs.")


@pytest.mark.parametrize(
    "text, want",
    [
        ("On 15 March 2013, rebels claimed to have fired missiles at the airport in Hama.", ("bombardment", "missile")),
        ("On 15 March 2013, a man threw a hand grenade into a shop in Homs.", ("bombardment", "grenade")),
        ("On 15 March 2013, unidentified gunmen attacked the imam of a mosque in Homs.", ("attack_on_civilians", None)),
    ],
)
def test_weapons_and_doers_decide(nlp, text, want):
    assert want in kinds(nlp, text)


@pytest.mark.parametrize(
    "text",
    [
        # a charge is no event; a blaze is no gunfire
        "On 15 March 2013, intelligence officers detained a student in Jableh on the accusation of joining protests.",
        "On 15 March 2013, a big fire broke out at a warehouse in Hama.",
    ],
)
def test_accusations_and_blazes_are_no_protest_or_clash(nlp, text):
    assert not {"protest", "clash"} & {k for k, _ in kinds(nlp, text)}


def places_of(nlp, text):
    doc = nlp.make_doc(text)
    doc._.meta = {"doc_id": "t", "published": PUB}
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return [str(r["place"]) for r in doc._.incidents]


@pytest.mark.parametrize(
    "text, name",
    [
        # a name the small model tags as an adjective, before a settlement noun
        (
            "On 15 March 2013, farmers stood on the highway at Braytal junction to block it, protesting water rationing.",
            "Braytal junction",
        ),
        # "the building of X city", "the fronts of X"
        (
            "On 15 March 2013, scores of labourers protested at the governorate building of Nassriya city.",
            "Nassriya city",
        ),
    ],
)
def test_unresolved_names_after_of_and_adjective_tagged_names(nlp, text, name):
    assert name in places_of(nlp, text)


@pytest.mark.parametrize(
    "text, want",
    [
        ("On 15 March 2013, lorry drivers blocked streets in Tartus.", ("protest", None)),
        ("On 15 March 2013, residents cut the road with burning tires in Homs.", ("protest", "violent demonstration")),
        ("On 15 March 2013, a sniper wounded two civilians in Homs.", ("attack_on_civilians", None)),
        ("On 15 March 2013, gunmen shot and killed a pharmacist in Safita.", ("attack_on_civilians", None)),
        ("On 15 March 2013, soldiers dismantled a shed in Homs.", ("strategic_development", "looting")),
    ],
)
def test_blockades_woundings_and_dismantling(nlp, text, want):
    assert want in kinds(nlp, text)


def test_soldiers_closing_a_road_is_no_protest(nlp):
    assert "protest" not in [k for k, _ in kinds(nlp, "On 15 March 2013, soldiers closed the road to Homs.")]


@pytest.mark.parametrize(
    "text",
    [
        # H8's audit of news not about Syria: words of war used for other things
        "On 15 March 2013, firefighters battled the blaze in Homs.",
        "On 15 March 2013, the minister shot down rumours in Homs.",
        "On 15 March 2013, a driver lost control of his car in Homs.",
        "On 15 March 2013, the number of farms fell to 200 in Homs.",
        "On 15 March 2013, the government expelled diplomats from Damascus.",
        "On 15 March 2013, chefs demonstrated Passover recipes in Homs.",
    ],
)
def test_words_of_war_used_for_other_things_are_no_event(nlp, text):
    assert kinds(nlp, text) == []


@pytest.mark.parametrize(
    "text, want",
    [
        (
            "On 15 March 2013, regime troops launched artillery strikes targeting farmland near Kafr Zita.",
            ("bombardment", "shelling"),
        ),
        ("On 15 March 2013, government forces and rebels exchanged fire in Hama.", ("clash", None)),
    ],
)
def test_artillery_strikes_and_exchanges_of_fire(nlp, text, want):
    assert want in kinds(nlp, text)


@pytest.mark.parametrize(
    "text, want",
    [
        # H9's unseen Syrian reports
        (
            "On 15 March 2013, three men were shot dead in Homs soon after it fell to regime forces.",
            ("control_change", "lost"),
        ),
        (
            "On 15 March 2013, 7 civilians died in the raids that were carried out by warplanes on Saqba.",
            ("bombardment", "air strike"),
        ),
        (
            "On 15 March 2013, the intense helicopters' attack on the city of Idlib killed 5 people.",
            ("bombardment", "air strike"),
        ),
        ("On 15 March 2013, a car bomb attack in the town of Homs killed 4 people.", ("bombardment", "explosion")),
    ],
)
def test_unseen_syrian_report_shapes(nlp, text, want):
    assert want in kinds(nlp, text)


def test_a_place_that_fell_to_the_opposition_is_overtaken_not_regained(nlp):
    found = kinds(nlp, "On 15 March 2013, Idlib fell to the opposition.")
    assert ("control_change", "gained") in found
    assert acled_types("control_change", "gained")[1] == "Non-state actor overtakes territory"


@pytest.mark.parametrize(
    "text,want",
    [
        # the parser makes the purpose infinitive the root: the past-tense verb under it was done
        ("On 3 May 2014, nurses held a rally in Hama city, Hama to voice their grievances.", True),
        ("On 3 May 2014, teachers organised a march in Salamiyah town, Hama to call for higher pay.", True),
        # an infinitive with no past-tense verb under it is still a plan
        ("On 17 March 2013, rebels plotted to attack Hama.", False),
    ],
)
def test_a_past_tense_verb_under_a_purpose_infinitive_was_done(nlp, text, want):
    assert bool(kinds(nlp, text)) is want


@pytest.mark.parametrize(
    "text",
    [
        # the police's answer two sentences on
        "On 2 May 2014, some 50 bakers protested in Homs. They said flour prices had doubled. "
        "Police dispersed the protesters near the bakery.",
        # arrests made, a camp dispersed, a sit-in raided
        "On 4 May 2014, residents rallied in Hama against power cuts. Police made dozens of arrests.",
        "On 12 May 2014, students held a sit-in outside the university in Hama. They set up tents. Police dispersed the camp.",
        "On 12 May 2014, farmers held a sit-in near Hama. Riot police stormed the sit-in tents.",
    ],
)
def test_how_the_police_answered_a_protest_in_a_short_report(nlp, text):
    assert ("protest", "with intervention") in kinds(nlp, text)


def test_a_protest_against_past_arrests_met_no_intervention(nlp):
    text = "On 2 June 2013, students protested in Jableh against the arrest of three classmates. They condemned the arrests."
    assert kinds(nlp, text) == [("protest", None)]


def test_remnants_of_the_war_being_fought_are_an_explosion(nlp):
    # only a remnant of an old war ("leftover from the 1973 war") is no attack
    text = "On 12 May 2014, unexploded remnants of a barrel bomb from last month's raids detonated in Homs."
    assert kinds(nlp, text) == [("bombardment", "explosion")]
