"""Incidents and movements from sentences (geomap_events), through the full pipeline."""

from __future__ import annotations

import datetime as dt

import pytest

from geomap.nlp.event_lexicon import normalise_actor

PUB = dt.date(2012, 7, 30)  # a Monday


# nlp: the shared pipeline fixture (tests/pipeline_docs.py, offered by tests/conftest.py)
def run(nlp, text, pub=PUB):
    doc = nlp.make_doc(text)
    doc._.meta = {"doc_id": "t", "published": pub}
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return doc


def name(span):
    return span.text if span is not None else None


def test_shelling_with_toll_and_source(nlp):
    doc = run(
        nlp,
        "Government forces shelled the town of Rastan in Homs province on Sunday, "
        "killing at least 12 civilians, activists said.",
    )
    (r,) = doc._.incidents
    assert (r["event_type"], r["sub_type"]) == ("bombardment", "shelling")
    assert name(r["place"]) == "Rastan"
    assert (r["count_best"], r["count_qualifier"], r["count_type"]) == (12, "at least", "killed")
    assert r["date_start"] == dt.date(2012, 7, 29) and r["date_precision"] == "day"
    assert r["actor1"] == "government forces"
    assert r["source_attribution"] == "activists" and r["claim_status"] == "reported"
    assert doc.text[r["char_start"] : r["char_end"]] == r["evidence"]


@pytest.mark.parametrize(
    "text,etype,sub,place,count",
    [
        (
            "Activists said 15 people were killed when government warplanes struck a market in Douma.",
            "bombardment",
            "air strike",
            "Douma",
            15,
        ),
        ("Security forces opened fire on protesters in Daraa, killing five.", "attack_on_civilians", None, "Daraa", 5),
        (
            "Regime forces retook the town of Qusayr from rebels on June 5, 2013.",
            "control_change",
            "gained",
            "Qusayr",
            None,
        ),
        ("Thousands of protesters took to the streets of Hama on Friday.", "protest", None, "Hama", 2000),
        (
            "At least 30 people were killed in clashes between rebels and government forces in Hama.",
            "clash",
            None,
            "Hama",
            30,
        ),
        ("Three people were injured in a mortar attack on Damascus.", "bombardment", "shelling", "Damascus", 3),
        (
            "A suicide bomber blew himself up at a checkpoint in Qamishli on Monday.",
            "bombardment",
            None,
            "Qamishli",
            None,
        ),
    ],
)
def test_common_report_shapes(nlp, text, etype, sub, place, count):
    doc = run(nlp, text)
    (r,) = doc._.incidents
    assert (r["event_type"], r["sub_type"], name(r["place"]), r["count_best"]) == (etype, sub, place, count)


def test_displaced_by_fighting(nlp):
    doc = run(nlp, "The UN said 400,000 people had been displaced by the fighting in Idlib.")
    (m,) = doc._.movements
    assert (m["kind"], name(m["origin"]), m["destination"], m["count_best"]) == ("displacement", "Idlib", None, 400000)


def test_displaced_people_come_from_their_town(nlp):
    doc = run(nlp, "Residents of Qusayr fled to Lebanon last week, the UNHCR said.")
    (m,) = doc._.movements
    assert (name(m["origin"]), (m["destination"]._.place or {}).get("country_code")) == ("Qusayr", "LB")
    assert m["date_precision"] == "week" and m["source_attribution"] == "the UNHCR"


def test_control_change_according_to(nlp):
    doc = run(
        nlp,
        "Rebels captured the town of Azaz near the Turkish border on Friday, "
        "according to the Syrian Observatory for Human Rights.",
    )
    (r,) = doc._.incidents
    assert (r["event_type"], r["sub_type"], r["actor1"]) == ("control_change", "gained", "rebels")
    assert name(r["place"]) == "Azaz"
    assert r["date_start"] == dt.date(2012, 7, 27)
    assert "Syrian Observatory" in r["source_attribution"]


def test_killing_civilians_is_attack_on_civilians(nlp):
    doc = run(nlp, "Syrian troops killed 20 civilians in Houla on Friday, the UN said.")
    (r,) = doc._.incidents
    assert r["event_type"] == "attack_on_civilians"
    assert (r["actor1"], r["actor2"]) == ("government forces", "civilians")
    assert name(r["place"]) == "Houla" and r["count_best"] == 20


def test_history_keeps_its_year(nlp):
    doc = run(nlp, "In 1982, the army killed thousands of people in Hama.")
    (r,) = doc._.incidents
    assert r["date_start"] == dt.date(1982, 1, 1) and r["date_precision"] == "year"
    assert name(r["place"]) == "Hama"


def test_displacement_unknown_origin_stays_empty(nlp):
    doc = run(nlp, "More than 5,000 Syrians fled to Turkey in the past 24 hours, Turkish officials said.")
    (m,) = doc._.movements
    assert m["kind"] == "displacement" and m["origin"] is None
    assert (m["destination"]._.place or {}).get("country_code") == "TR"
    assert m["count_best"] == 5000 and m["date_start"] == dt.date(2012, 7, 29)
    assert not doc._.incidents


@pytest.mark.parametrize(
    "text",
    [
        "The army could attack Homs if rebels do not surrender.",
        "The army did not shell Homs on Monday.",
        "Israel is preparing plans to attack Homs if it is threatened.",
        "Will the army storm Homs?",
        "16 months of civil war have left the country in ruins.",
        "Government troops, backed by tanks and artillery, waited outside Homs.",
        "",
    ],
)
def test_nothing_spurious(nlp, text):
    doc = run(nlp, text)
    assert doc._.incidents == [] and doc._.movements == []


def test_headline_lists(nlp):
    bullets = "- Clashes in Aleppo\n- Shelling in Homs\n- Protests in Daraa"
    # inside an article, highlights repeat the body and are skipped
    doc = run(nlp, "Story highlights\n" + bullets + "\n\nThe minister spoke on Monday.")
    assert doc._.incidents == [] and doc._.movements == []
    # a text made only of headlines is read line by line, one record per line at most
    doc = run(nlp, bullets)
    assert 1 <= len(doc._.incidents) <= 3
    for r in doc._.incidents:
        assert "\n" not in r["evidence"] and r["date_basis"] == "publication"


def test_denial_by_another_party_disputes(nlp):
    doc = run(
        nlp,
        "Yesterday state media reported government victories in two Aleppo neighborhoods, "
        "but activists denied the reports.",
    )
    r = next(r for r in doc._.incidents if r["event_type"] == "control_change")
    assert r["claim_status"] == "disputed" and r["sub_type"] == "claimed"
    assert r["date_start"] == dt.date(2012, 7, 29)


def test_one_event_reported_twice_is_one_record(nlp):
    text = (
        "Government forces shelled Rastan on Sunday, activists said. "
        "Government forces shelled Rastan on Sunday, the observatory said."
    )
    doc = run(nlp, text)
    (r,) = doc._.incidents
    assert "activists" in r["source_attribution"] and "observatory" in r["source_attribution"]


def test_retold_event_merges_with_its_details(nlp):
    text = (
        "Government forces shelled Rastan on Sunday, killing 12 people, activists said. "
        "Residents said the shelling of Rastan continued into the night."
    )
    doc = run(nlp, text)
    shell = [r for r in doc._.incidents if r["event_type"] == "bombardment"]
    assert len(shell) == 1
    assert shell[0]["count_best"] == 12 and shell[0]["date_start"] == dt.date(2012, 7, 29)


def test_no_publication_date(nlp):
    doc = run(nlp, "Rebels captured Azaz on Friday, activists said.", pub=None)
    (r,) = doc._.incidents
    assert r["date_start"] is None and r["date_precision"] == "unknown"


def test_publication_fallback_is_marked(nlp):
    doc = run(nlp, "Rebels captured Azaz, activists said.")
    (r,) = doc._.incidents
    assert r["date_basis"] == "publication" and r["date_precision"] == "week"
    assert r["date_end"] == PUB


def test_long_sentence_and_nested_quotes_do_not_crash(nlp):
    long = (
        "Government troops, backed by tanks, helicopters and artillery, stormed several districts of "
        "the city of Homs on Saturday morning, " * 30
    ) + "residents said."
    doc = run(nlp, long + " He said: \"They told me 'the army shelled Hama yesterday' and I believed them.\"")
    for r in doc._.incidents + doc._.movements:
        assert doc.text[r["char_start"] : r["char_end"]] == r["evidence"]
    assert any(name(r["place"]) == "Homs" for r in doc._.incidents)


def test_actor_vocabulary(nlp):
    doc = nlp.make_doc("x")
    toks = nlp("the Syrian regime").__iter__()
    assert normalise_actor(list(nlp("the Syrian regime"))) == "government forces"
    assert normalise_actor(list(nlp("hundreds of rebels"))) == "rebels"
    assert normalise_actor(list(nlp("Israeli jets"))) == "Israel"
    assert normalise_actor(list(nlp("the Free Syrian Army"))) == "rebels"
    assert normalise_actor(list(nlp("a journalist"))) is None
    del doc, toks


# --- hand-written wire-style sentences (written for these tests, not taken from any eval set) ---
# record = (event_type or movement kind, place | "A|B" alternatives | (origin, destination),
#           date_start or None (= not checked), count_best or None (= not checked), source substring)
# (text, [expected records]); record = (type_or_kind, place_or_(origin,dest), date "YYYY-MM-DD"/None, count, source substring or None)
NEWS_CASES = [
    (
        "Government warplanes carried out an air strike on a market in Maarat al-Numan on Sunday, killing at least 25 people, the Syrian Observatory for Human Rights said.",
        [("bombardment", "Maarat al-Numan", "2012-07-29", 25, "Syrian Observatory")],
    ),
    (
        "A car bomb exploded near a police station in Qamishli on Saturday, killing eight people, state news agency SANA reported.",
        [("bombardment", "Qamishli", "2012-07-28", 8, "SANA")],
    ),
    (
        "Fighting was reported in Homs and Hama and Idlib on Tuesday, killing 4 people.",
        [
            ("clash", "Homs", "2012-07-24", None, None),
            ("clash", "Hama", "2012-07-24", None, None),
            ("clash", "Idlib", "2012-07-24", None, None),
        ],
    ),
    (
        "Heavy clashes erupted between rebels and government troops in Deir ez-Zor on Friday, activists said.",
        [("clash", "Deir ez-Zor", "2012-07-27", None, "activists")],
    ),
    (
        "Helicopters dropped barrel bombs on the town of Daraya on Sunday, opposition activists said.",
        [("bombardment", "Daraya", "2012-07-29", None, "activists")],
    ),
    (
        "Rebels recaptured the town of Saraqeb from government forces on Saturday after two days of fighting, the Observatory said.",
        [("control_change", "Saraqeb", "2012-07-28", None, "Observatory")],
    ),
    (
        "Government forces took control of the village of Qusayr on Wednesday, state television said.",
        [("control_change", "Qusayr", "2012-07-25", None, "state television")],
    ),
    (
        "Government artillery shelled the Khalidiya district of Homs overnight, residents told Reuters.",
        [("bombardment", "Homs|Khalidiya", None, None, "Reuters")],
    ),
    (
        "At least 40 people were killed across Syria on Monday, according to the Syrian Observatory for Human Rights.",
        [("casualties", "Syria", "2012-07-30", 40, "Syrian Observatory")],
    ),
    (
        "More than 2,000 Syrians crossed into Turkey overnight, a Turkish official said.",
        [("displacement", (None, "Turkey"), None, 2000, "Turkish official")],
    ),
    (
        "Some 1,500 refugees fled from Qusayr to the Lebanese town of Arsal last week, the UNHCR said.",
        [("displacement", ("Qusayr", "Arsal"), None, 1500, "UNHCR")],
    ),
    (
        "About 300 refugees returned to Jarablus from Turkey on Thursday, local officials said.",
        [("refugee_return", ("Turkey", "Jarablus"), "2012-07-26", 300, "local officials")],
    ),
    (
        "Thousands of people demonstrated in Kafr Nabl on Friday against the government, activists said.",
        [("protest", "Kafr Nabl", "2012-07-27", None, "activists")],
    ),
    (
        "A brigadier general defected to Turkey on Sunday with his family, a Turkish official said.",
        [("defection", "Turkey", "2012-07-29", None, "Turkish official")],
    ),
    (
        "A suicide attack on a security building in Damascus killed 10 people on Thursday, state media said.",
        [("bombardment", "Damascus", "2012-07-26", 10, "state media")],
    ),
    (
        "Rebels ambushed an army convoy near Jisr al-Shughour on Tuesday, killing 12 soldiers, activists said.",
        [("clash", "Jisr al-Shughour", "2012-07-24", None, "activists")],
    ),
    (
        "Syrian troops stormed the town of Taftanaz on Wednesday, opposition activists said.",
        [("clash", "Taftanaz", "2012-07-25", None, "activists")],
    ),
    (
        "Battles raged for a third day in the Salaheddine district of Aleppo on Sunday.",
        [("clash", "Aleppo|Salaheddine", "2012-07-29", None, None)],
    ),
    (
        "Government forces pounded rebel-held neighbourhoods of Homs with mortars on Monday, killing six civilians, activists said.",
        [("bombardment", "Homs", "2012-07-30", 6, "activists")],
    ),
    (
        "Hundreds of families were evacuated from the besieged Old City of Homs on Friday under a UN-brokered deal.",
        [("displacement", ("Homs", None), "2012-07-27", None, None)],
    ),
    (
        "The army sent reinforcements from Damascus to Aleppo on Saturday, a security source said.",
        [("troop_movement", ("Damascus", "Aleppo"), "2012-07-28", None, "security source")],
    ),
    (
        "Rebels seized a military airbase near Taftanaz in Idlib province on Thursday, the Observatory said.",
        [("control_change", "Taftanaz", "2012-07-26", None, "Observatory")],
    ),
    (
        "Residents told Reuters that tanks shelled Rastan on Saturday.",
        [("bombardment", "Rastan", "2012-07-28", None, "Reuters")],
    ),
    (
        "Government forces shelled Douma on Sunday, according to Reuters.",
        [("bombardment", "Douma", "2012-07-29", None, "Reuters")],
    ),
    (
        "A Russian air strike hit a hospital in Idlib province on Monday, the Observatory said.",
        [("bombardment", "Idlib", "2012-07-30", None, "Observatory")],
    ),
    (
        "Israeli jets struck targets near Damascus on Sunday, Syrian state media said.",
        [("bombardment", "Damascus", "2012-07-29", None, "state media")],
    ),
    (
        "Eleven soldiers were killed in clashes with rebels in Daraa province on Saturday, the Observatory said.",
        [("clash", "Daraa", "2012-07-28", 11, "Observatory")],
    ),
    # headline list: each line an event
    (
        "Shelling kills 5 in Homs\nClashes in Aleppo's Salaheddine district\nRebels capture Azaz",
        [
            ("bombardment", "Homs", None, 5, None),
            ("clash", "Aleppo|Salaheddine", None, None, None),
            ("control_change", "Azaz", None, None, None),
        ],
    ),
    # generic/background: nothing
    ("The coalition that has fought IS in Iraq and Syria since 2014 announced new measures.", []),
    ("French jihadists fighting in Iraq and Syria pose a threat to Europe, the minister said.", []),
    ("Turkey, which has backed rebels fighting Assad, hosts more than two million refugees.", []),
    ("The war, which has killed more than 100,000 people, has no end in sight.", []),
    ("Rebels often attack checkpoints in rural areas at night.", []),
    ("10^30 killed", []),
    ("The government's forces have repeatedly shelled rebel areas since 2012, analysts say.", []),
]


def _pname(span):
    return span.text if span is not None else ""


def _match(exp, rec, key):
    kind, place = exp[0], exp[1]
    if rec.get(key) != kind:
        return False
    if isinstance(place, tuple):
        o, dst = place
        on, dn = _pname(rec["origin"]), _pname(rec["destination"])
        if o is not None and not (on and (o in on or on in o)):
            return False
        if o is None and on:
            return False
        return dst is None or bool(dn and (dst in dn or dn in dst))
    pn = _pname(rec["place"])
    return bool(pn) and any(p in pn or pn in p for p in place.split("|"))


def _score(nlp, cases):
    tp = fp = fn = 0
    misses = []
    for text, expected in cases:
        doc = run(nlp, text)
        recs = [("event_type", r) for r in doc._.incidents] + [("kind", m) for m in doc._.movements]
        used = set()
        for exp in expected:
            hit = next((i for i, (k, r) in enumerate(recs) if i not in used and _match(exp, r, k)), None)
            if hit is None:
                fn += 1
                misses.append(("missed", exp))
                continue
            used.add(hit)
            rec = recs[hit][1]
            if exp[2] is not None and str(rec["date_start"]) != exp[2]:
                misses.append(("date", exp, rec["date_start"]))
            if exp[3] is not None and rec["count_best"] != exp[3]:
                misses.append(("count", exp, rec["count_best"]))
            if exp[4] is not None and exp[4].lower() not in (rec["source_attribution"] or "").lower():
                misses.append(("source", exp, rec["source_attribution"]))
            tp += 1
        fp += len(recs) - len(used)
        misses += [("spurious", text[:50], r.get(k)) for i, (k, r) in enumerate(recs) if i not in used]
    return tp, fp, fn, misses


def test_news_sentences_precision_recall(nlp):
    tp, fp, fn, misses = _score(nlp, NEWS_CASES)
    precision, recall = tp / max(1, tp + fp), tp / max(1, tp + fn)
    # measured 31 TP / 0 FP / 1 FN (the place recogniser misses "Taftanaz"), 31 of 32 with
    # date, count and source right; the previous event code gave 27 / 3 / 5
    assert precision >= 0.95 and recall >= 0.9, misses
    wrong_details = [m for m in misses if m[0] in ("date", "count", "source")]
    assert len(wrong_details) <= 1, wrong_details


def test_coordinated_places_each_get_a_record(nlp):
    doc = run(nlp, "Fighting was reported in Homs and Hama and Idlib on Tuesday, killing 4 people.")
    assert sorted(_pname(r["place"]) for r in doc._.incidents) == ["Hama", "Homs", "Idlib"]
    for r in doc._.incidents:
        assert r["event_type"] == "clash" and r["date_start"] == dt.date(2012, 7, 24)
        assert r["count_best"] is None  # one toll over three places cannot be split


@pytest.mark.parametrize(
    "text",
    [
        "The coalition that has fought IS in Iraq and Syria since 2014 announced new measures.",
        "French jihadists fighting in Iraq and Syria pose a threat to Europe, the minister said.",
        "Rebels often attack checkpoints in rural areas at night.",
        "10^30 killed in Homs",
    ],
)
def test_background_and_formulas_give_nothing(nlp, text):
    doc = run(nlp, text)
    assert doc._.incidents == [] and doc._.movements == []


def test_headline_list_lines_are_sentences(nlp):
    doc = run(nlp, "Shelling kills 5 in Homs\nClashes in Aleppo's Salaheddine district\nRebels capture Azaz")
    got = sorted((r["event_type"], r["count_best"]) for r in doc._.incidents)
    assert got == [("bombardment", 5), ("clash", None), ("control_change", None)]
    assert all("\n" not in r["evidence"] for r in doc._.incidents)


def test_wrapped_prose_is_not_split():
    from geomap.nlp.linebreaks import list_block_breaks

    text = "The army shelled the\nTown of Homs on Monday and\nRebels fled."
    assert list_block_breaks(text) == set()
    assert list_block_breaks("- Clashes in Aleppo\n- Shelling in Homs") == {0, 20}


def test_reporting_chain(nlp):
    doc = run(nlp, "Tanks shelled Rastan on Saturday, residents told Reuters.")
    assert doc._.incidents[0]["source_attribution"] == "residents, via Reuters"


def test_unresolved_destination_keeps_its_text(nlp):
    doc = run(
        nlp,
        "One portion of the stockpile was transferred to the Syrian coast, and another was "
        "transferred to airports along the southern border, a rebel colonel said.",
    )
    dests = [m["destination"] for m in doc._.movements]
    assert any(d is not None and d.text == "airports along the southern border" and d._.place_id is None for d in dests)


@pytest.mark.parametrize(
    "text,etype,place,count",
    [
        ("Five dead in Daraa shelling", "bombardment", "Daraa", 5),
        ("Two wounded in Homs clashes", "clash", "Homs", 2),
        ("A car bomb in Hama killed 5 people.", "bombardment", "Hama", 5),
        ("An air strike on Douma killed 5 people.", "bombardment", "Douma", 5),
        ("Heavy clashes continued in Hama.", "clash", "Hama", None),
    ],
)
def test_nominal_and_verbless_reports(nlp, text, etype, place, count):
    doc = run(nlp, text)
    (r,) = doc._.incidents
    assert (r["event_type"], _pname(r["place"]), r["count_best"]) == (etype, place, count)


def test_verbless_headline_toll_takes_its_line_place(nlp):
    doc = run(nlp, "Clashes in Homs\nAbout 40 deaths in the raids at Douma")
    got = [r for r in doc._.incidents if "Douma" in _pname(r["place"])]
    assert len(got) == 1 and got[0]["count_best"] == 40 and got[0]["count_type"] == "killed"


@pytest.mark.parametrize(
    "text,etype,best,low,high,qual",
    [
        # a toll listed by group is one toll, the sum of its groups
        (
            "Five soldiers and three civilians were killed when shells hit Daraa on Monday.",
            "bombardment",
            8,
            8,
            8,
            None,
        ),
        (
            "Activists said 24 civilians, 24 Kurdish fighters and 25 pro-Turkish militiamen have been "
            "killed in the clashes in Afrin since Saturday.",
            "casualties",
            73,
            73,
            73,
            None,
        ),
        # "at least" on one group leaves the sum open above
        ("At least 12 rebels and 7 soldiers died in clashes near Homs on Sunday.", "clash", 19, 19, None, "at least"),
    ],
)
def test_coordinated_tolls_are_summed(nlp, text, etype, best, low, high, qual):
    incs = run(nlp, text)._.incidents
    killed = [i for i in incs if i["count_type"] == "killed"]
    assert len(killed) == 1, [(i["event_type"], i["count_best"]) for i in incs]
    rec = killed[0]
    assert (rec["event_type"], rec["count_best"], rec["count_low"], rec["count_high"], rec["count_qualifier"]) == (
        etype,
        best,
        low,
        high,
        qual,
    )


def test_killed_and_wounded_stay_apart(nlp):
    # one event: its death toll in count_*, its wounded in injured_best, never added together
    incs = run(nlp, "Shelling killed 4 children and wounded 10 people in Idlib on Monday.")._.incidents
    got = [(i["count_type"], i["count_best"], i["injured_best"]) for i in incs]
    assert got == [("killed", 4, 10)]


def test_included_group_is_not_added_twice(nlp):
    incs = run(
        nlp, "Fifteen people, including four children, were killed in an air strike on Aleppo on Monday."
    )._.incidents
    killed = [i for i in incs if i["count_type"] == "killed"]
    assert [i["count_best"] for i in killed] == [15]


# --------------------------------------------------------------------------- issue 15: one record per
# event with its toll, nothing invented, breadth (hand-written sentences)


def _incs(nlp, text):
    return run(nlp, text)._.incidents


def test_toll_in_the_next_sentence_belongs_to_the_event(nlp):
    incs = _incs(nlp, "Government jets carried out an air strike on Douma on Sunday. Five people were killed.")
    assert [(i["event_type"], i["sub_type"], name(i["place"]), i["count_type"], i["count_best"]) for i in incs] == [
        ("bombardment", "air strike", "Douma", "killed", 5)
    ]


def test_a_man_killed_is_one_and_killing_him_is_one(nlp):
    one = _incs(nlp, "A man was killed when a shell hit Douma on Sunday.")
    assert [(i["event_type"], i["sub_type"], i["count_best"]) for i in one] == [("bombardment", "shelling", 1)]
    him = _incs(nlp, "Gunmen shot a man in Daraa on Sunday, killing him.")
    assert [(i["count_type"], i["count_best"]) for i in him] == [("killed", 1)]


def test_short_fatalities_sentence_is_read(nlp):
    incs = _incs(nlp, "Shelling hit Homs on Sunday. 3 fatalities.")
    assert [(name(i["place"]), i["count_type"], i["count_best"]) for i in incs] == [("Homs", "killed", 3)]


def test_headline_lead_and_body_are_one_record_with_every_telling(nlp):
    text = (
        "Shelling kills 7 in Douma.\n"
        "Government shelling killed seven people in Douma on Sunday, activists said.\n"
        "The shelling of Douma on Sunday killed 7 people, a resident told Reuters."
    )
    incs = _incs(nlp, text)
    assert len(incs) == 1, [(i["event_type"], i["evidence"]) for i in incs]
    rec = incs[0]
    assert (rec["event_type"], name(rec["place"]), rec["count_best"]) == ("bombardment", "Douma", 7)
    assert rec["other_evidence"] and "resident told Reuters" in rec["other_evidence"]


def test_different_places_or_tolls_stay_apart(nlp):
    incs = _incs(nlp, "Air strikes on Douma killed 5 people on Sunday. Shelling of Homs killed 9 people on Sunday.")
    assert sorted((name(i["place"]), i["count_best"]) for i in incs) == [("Douma", 5), ("Homs", 9)]


def test_included_group_and_wounded_are_not_added(nlp):
    incs = _incs(nlp, "Air strikes on Douma killed 25 civilians, six of them children, and wounded 40 on Sunday.")
    assert [(i["count_best"], i["injured_best"]) for i in incs] == [(25, 40)]


def test_clock_times_years_and_ages_are_not_tolls(nlp):
    for text in (
        "At 10:30 on Sunday a shell hit Homs.",
        "A shell hit Homs on Sunday, wounding a 45-year-old woman.",
        "In 2011 protests began; on Sunday a shell hit Homs.",
    ):
        for i in _incs(nlp, text):
            assert i["count_type"] != "killed" and i["count_best"] not in (10, 30, 45, 2011), (text, i)


def test_hotel_and_monitor_names_place_nothing(nlp):
    incs = _incs(
        nlp,
        "A car bomb exploded outside the Aleppo Hotel in Damascus on Sunday, killing 3, "
        "the Britain-based Syrian Observatory for Human Rights said.",
    )
    assert [(name(i["place"]), i["sub_type"], i["count_best"]) for i in incs] == [("Damascus", "explosion", 3)]


def test_us_led_names_the_doer_not_the_place(nlp):
    incs = _incs(nlp, "US-led coalition air strikes hit Raqqa on Sunday.")
    assert [name(i["place"]) for i in incs] == ["Raqqa"]


def test_demonym_never_places_an_event_abroad(nlp):
    assert _incs(nlp, "Five Russian soldiers were killed on Sunday.") == []
    incs = _incs(nlp, "Russian jets struck Idlib on Sunday.")
    assert [(name(i["place"]), i["actor1"]) for i in incs] == [("Idlib", "Russia")]


def test_threats_are_not_events(nlp):
    assert _incs(nlp, "The army threatened to attack Douma.") == []
    assert _incs(nlp, "Rebels said they would shell Homs if the army advanced.") == []


def test_cumulative_toll_is_the_countrys(nlp):
    incs = _incs(nlp, "More than 230,000 people have been killed in Syria since 2011.")
    assert [(i["event_type"], (i["place"]._.place or {}).get("level"), i["count_best"]) for i in incs] == [
        ("casualties", "country", 230000)
    ]


@pytest.mark.parametrize(
    "text,etype,sub",
    [
        ("Security forces arrested 20 people in Daraa on Friday.", "strategic_development", "arrests"),
        ("Gunmen abducted two aid workers near Idlib on Sunday.", "attack_on_civilians", "abduction"),
        ("An IED exploded near a checkpoint in Daraa on Sunday.", "bombardment", "explosion"),
        ("Thousands held a protest in Hama on Friday.", "protest", None),
        ("Rebels fired mortar rounds at Latakia on Sunday.", "bombardment", "shelling"),
        ("Government forces targeted Douma with artillery on Sunday.", "bombardment", "shelling"),
        ("The air force attacked rebel positions near Douma on Sunday.", "bombardment", "air strike"),
        ("An army unit targeted rebel positions near Homs on Sunday.", "clash", None),
        ("Army units killed a number of terrorists in Idlib on Sunday.", "clash", None),
        ("Rebels won back the hospital in Homs on Sunday.", "control_change", "gained"),
        ("Protesters threw stones at police in Homs on Friday.", "protest", "violent demonstration"),
        ("Police dispersed protesters in Homs on Friday.", "protest", "with intervention"),
        ("A mob attacked a man in Homs on Friday.", "protest", "mob violence"),
        ("Rebels launched an attack on an army base in Homs on Friday.", "clash", None),
        ("Warplanes destroyed three rebel vehicles near Douma on Sunday.", "bombardment", "air strike"),
    ],
)
def test_breadth_of_event_types(nlp, text, etype, sub):
    incs = _incs(nlp, text)
    assert [(i["event_type"], i["sub_type"]) for i in incs] == [(etype, sub)], text


def test_two_kinds_of_remote_violence_side_by_side_are_two_records(nlp):
    incs = _incs(nlp, "Air raids and artillery fire hit Douma on Sunday.")
    assert sorted((i["event_type"], i["sub_type"], name(i["place"])) for i in incs) == [
        ("bombardment", "air strike", "Douma"),
        ("bombardment", "shelling", "Douma"),
    ]


def test_truce_brokers_are_not_its_place(nlp):
    incs = _incs(nlp, "A truce brokered by Moscow and Washington came into effect in Aleppo on Sunday.")
    assert "Moscow" not in [name(i["place"]) for i in incs] and "Washington" not in [name(i["place"]) for i in incs]


def test_group_names_and_squares_are_not_towns(nlp):
    incs = _incs(nlp, "Rebels including fighters from Al-Qaeda recaptured the village on Sunday.")
    assert all(name(i["place"]) != "Al-Qaeda" for i in incs)
    incs = _incs(nlp, "Gunmen executed three men in al-Dalah square in Raqqa on Sunday.")
    assert all(name(i["place"]) != "al-Dalah" for i in incs)


def test_day_of_the_month_is_no_toll_and_the_verb_before_a_number_types_it(nlp):
    incs = _incs(nlp, "Published 18 November 2012 Shelling killed three people in Douma on Sunday.")
    assert [i["count_best"] for i in incs] == [3]
    incs = _incs(nlp, "A rocket shell landed in Douma on Sunday killing 2 children injuring 9 others.")
    assert [(i["count_type"], i["count_best"], i["injured_best"]) for i in incs] == [("killed", 2, 9)]


def test_the_town_of_x_is_no_back_reference(nlp):
    incs = _incs(nlp, "Shelling hit Homs on Saturday. On Sunday rebels attacked army posts near the town of Qusayr.")
    assert "Homs" not in [name(i["place"]) for i in incs if "Qusayr" in i["evidence"]]


def test_the_goal_of_an_offensive_is_not_where_it_was_fought(nlp):
    incs = _incs(nlp, "Government forces fought rebels in Homs on Sunday in a bid to reach Hama.")
    assert [name(i["place"]) for i in incs] == ["Homs"]


def test_disasters_and_records_are_not_violence(nlp):
    assert _incs(nlp, "The earthquake destroyed houses in Homs on Sunday.") == []
    assert _incs(nlp, "The team hit a record in Homs on Sunday.") == []


def test_what_came_under_fire_is_the_place(nlp):
    incs = _incs(nlp, "The Handarat district north of Aleppo came under fire on Sunday.")
    assert [name(i["place"]) for i in incs] == ["Handarat"]


def _killed_by_type(doc):
    return {(r["event_type"], r["count_best"] if r["count_type"] == "killed" else None) for r in doc._.incidents}


def test_toll_of_a_clause_without_record_goes_to_the_scene(nlp):
    doc = run(
        nlp,
        "On 3 March 2013, rebels detonated a car bomb targeting an army checkpoint in Idlib. "
        "The blast killed 2 and injured 5.",
    )
    [rec] = doc._.incidents
    assert rec["count_type"] == "killed" and rec["count_best"] == 2 and rec["injured_best"] == 5


def test_stated_total_replaces_partial_tolls(nlp):
    doc = run(
        nlp,
        "On 5 May 2013, rebels attacked an army post in Jisr al-Shughur. The army repelled the attack and "
        "sustained 2 fatalities. The rebels sustained 3 fatalities. 5 fatalities.",
    )
    assert _killed_by_type(doc) == {("clash", 5)}


def test_toll_goes_to_the_event_its_clause_names(nlp):
    doc = run(
        nlp,
        "On 2 June 2013, rebels attacked army positions in Rastan. On the same day, warplanes conducted "
        "airstrikes against rebels in the same area. Activists said 6 soldiers were killed in the clashes.",
    )
    assert _killed_by_type(doc) == {("clash", 6), ("bombardment", None)}


def test_another_events_toll_is_no_range(nlp):
    doc = run(
        nlp,
        "Troops shelled the town of Talbiseh on Tuesday, killing three civilians, activists said, a day after "
        "soldiers killed 40 there.",
    )
    [rec] = [r for r in doc._.incidents if r["event_type"] == "bombardment"]
    assert (rec["count_low"], rec["count_best"], rec["count_high"]) == (3, 3, 3)


def test_riot_takes_the_toll_of_the_next_sentence(nlp):
    doc = run(
        nlp,
        "On 8 March 2013, rioters clashed with police in Daraa city. Police fired live ammunition, killing "
        "three rioters, one of whom was a student.",
    )
    [rec] = doc._.incidents
    assert rec["event_type"] == "protest" and rec["count_type"] == "killed" and rec["count_best"] == 3


def test_recalled_history_inherits_no_date(nlp):
    doc = run(
        nlp,
        "Warplanes bombed Raqqa on 3 June 2014. Residents fear more chaos in Raqqa, especially after the "
        "city fell to ISIS.",
        pub=dt.date(2014, 6, 5),
    )
    recs = [r for r in doc._.incidents if r["event_type"] == "control_change"]
    assert recs and all(r["date_start"] is None and r["date_basis"] == "publication" for r in recs)


def test_what_came_under_fire_is_the_target(nlp):
    doc = run(nlp, "The rebel-held district of Bustan al-Qasr in Aleppo came under fire on Sunday, activists said.")
    assert doc._.incidents and all(r["actor1"] is None for r in doc._.incidents)


def test_tolls_of_coordinated_clauses_add_up(nlp):
    doc = run(
        nlp,
        "On 3 May 2013, rebels and soldiers clashed in Rastan. The fighting lasted all day. "
        "Three soldiers were killed and two rebels died.",
    )
    assert _killed_by_type(doc) == {("clash", 5)}
    doc = run(nlp, "Three people were killed in Homs and five were killed in Hama.")
    assert sorted(r["count_best"] for r in doc._.incidents) == [3, 5]


def test_toll_of_an_event_given_as_a_reason_is_not_this_events(nlp):
    doc = run(
        nlp,
        "On Monday, rebel positions in Idlib came under missile attack in retaliation for an attack "
        "that killed 12 people in the city of Latakia.",
    )
    assert doc._.incidents and all(r["count_best"] is None for r in doc._.incidents)


def test_place_list_tagged_as_one_organisation_gives_one_record_per_place(nlp):
    # the tagger reads "Kafr Zita Latamneh Morek" as one ORG name; each word run is a town
    doc = run(nlp, "Army units shelled the villages of Kafr Zita Latamneh Morek and Taybat al-Imam with rockets.")
    recs = doc._.incidents
    assert [name(r["place"]) for r in recs] == ["Kafr Zita", "Latamneh", "Morek", "Taybat al-Imam"]
    assert {r["event_type"] for r in recs} == {"bombardment"}
    assert len({r["evidence"] for r in recs}) == 1


def test_name_after_a_list_noun_is_no_organisation(nlp):
    # "al-Zuhur Saif al-Dawleh" is one ORG to the tagger; after "the neighborhoods of" it is
    # a list of places (al-Zuhur unknown), so Saif al-Dawleh keeps its own record
    doc = run(nlp, "Army rockets struck the neighborhoods of al-Zuhur Saif al-Dawleh and al-Sukkari on Sunday.")
    assert [name(r["place"]) for r in doc._.incidents] == ["Saif al-Dawleh", "al-Sukkari"]


def test_two_stated_days_at_one_place_are_two_records(nlp):
    doc = run(
        nlp,
        "Mortar shells fell on the Bab Touma neighbourhood of Damascus on Friday, a monitor said.\n\n"
        "New shells fell on Bab Touma on Saturday, the monitor said.",
    )
    days = [r["date_start"] for r in doc._.incidents]
    assert days == [dt.date(2012, 7, 27), dt.date(2012, 7, 28)]


def test_neighbourhood_then_its_city_is_one_place(nlp):
    # "Bab Amr, Homs" names one place (the part, then its city); "Jobar, Douma" names two
    doc = run(nlp, "Rebels attacked army checkpoints in Bab Amr, Homs on Friday.")
    assert [name(r["place"]) for r in doc._.incidents] == ["Bab Amr"]
    doc = run(nlp, "Clashes broke out in Jobar, Douma on Friday.")
    assert [name(r["place"]) for r in doc._.incidents] == ["Jobar", "Douma"]


@pytest.mark.parametrize(
    "text,start,end",
    [
        # a day on the speech verb: what was said happened on or before it (the week up to it)
        (
            "The Pentagon said on March 4 that Kurdish forces have captured Tabqa.",
            dt.date(2012, 2, 27),
            dt.date(2012, 3, 4),
        ),
        # a month on the speech verb bounds the event to that month, never the publication week
        (
            "In March residents said government troops killed at least 30 people in Daraa.",
            dt.date(2012, 3, 1),
            dt.date(2012, 3, 31),
        ),
    ],
)
def test_speech_date_bounds_the_event(nlp, text, start, end):
    (r,) = run(nlp, text)._.incidents
    assert (r["date_start"], r["date_end"], r["date_basis"]) == (start, end, "statement"), r


@pytest.mark.parametrize(
    "text,place",
    [
        # a town name shaped like a nationality ("-i"), framed by "in" and a settlement noun
        ("On 3 May 2022, students held a sit-in protest in Zabadani town center, demanding jobs.", "Zabadani"),
        # "Place (Place, Area)" as ACLED notes write it: the tagger's ORG over the bracket names no organisation
        ("On 3 May 2022, depositors protested in Zahle (Zahle, Beqaa) against the banks.", "Zahle"),
    ],
)
def test_recognised_place_kept_on_the_scene(nlp, text, place):
    (r,) = run(nlp, text)._.incidents
    assert (r["event_type"], name(r["place"])) == ("protest", place), r


def test_landmark_is_no_scene(nlp):
    """A town named only to locate something else ("positions which border the outskirts of X")
    is not where "the region" of the next sentence is."""
    doc = run(
        nlp,
        "Heavy clashes broke out between the army and rebels on the Zabadani plains claiming at least 7 killed. "
        "Local sources said that the clashes reached the farms of the town of Madaya near the positions which "
        "border the outskirts of the Lebanese town of Arsal. The sources added that tanks are being used and "
        "that the clashes started after the rebels in the region rejected a truce.",
    )
    assert doc._.incidents and "Arsal" not in {name(r["place"]) for r in doc._.incidents}


@pytest.mark.parametrize(
    "text",
    [
        "BEIRUT (Reuters) - Syrian rebels seized a village on the main road in the north of the country on Friday "
        "after fierce fighting, activists said.",
        "DAMASCUS, Syria (AP) — Insurgents captured a town in the south on Sunday, a monitoring group said.",
        "AMMAN: Turkish jets bombed Kurdish positions on Sunday, killing 4 civilians.",
    ],
)
def test_dateline_city_is_no_event_place(nlp, text):
    """The dateline is where the reporter files from: a body event never takes it as its place."""
    dateline = text.split(" ")[0].strip(",:")
    places = {name(r["place"]) for r in run(nlp, text)._.incidents}
    assert not any(p and dateline.lower() in p.lower() for p in places), places


def test_the_area_is_the_last_event_scene(nlp):
    """ "the area" points back to where the last event was, not to a town named since only to
    describe it ("south of the stronghold of X")."""
    doc = run(
        nlp,
        "Rebels captured the village of Kafr Nabuda in Hama province on Monday. It lies south of the rebel "
        "stronghold of Idlib. Heavy clashes in the area killed six soldiers, the Observatory said.",
    )
    clash = [r for r in doc._.incidents if r["event_type"] == "clash"]
    assert clash and name(clash[0]["place"]) != "Idlib", clash
