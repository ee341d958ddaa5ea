"""Cross-article merge: unknown dates are no evidence of one event, and a merge keeps every toll."""

from geomap.same_event import _dedupe, _incident_block, _same_incident


def row(doc_id, evidence, date_start=None, count_best=None, char_start=0):
    return {
        "doc_id": doc_id,
        "event_type": "bombardment",
        "sub_type": "air strike",
        "date_start": date_start,
        "lat": 32.9,
        "lon": 36.2,
        "gazetteer_id": "adm1:SY-DR",
        "count_type": "killed" if count_best is not None else None,
        "count_best": count_best,
        "count_low": count_best,
        "count_high": count_best,
        "count_qualifier": None,
        "char_start": char_start,
        "evidence": evidence,
        "outlet": doc_id,
    }


def merged(rows):
    return _dedupe(rows, _same_incident, _incident_block)


def test_two_undated_bulletins_at_one_governorate_stay_two_events():
    a = row("bulletin-1", "Warplanes struck the outskirts of Nawa, no casualties were reported.")
    b = row("bulletin-2", "A man was killed when jets hit a farm near Tafas.", count_best=1)
    out = merged([a, b])
    assert len(out) == 2
    assert [r["count_best"] for r in out] == [None, 1]


def test_the_same_undated_sentence_reprinted_is_one_report():
    text = "Jets hit a farm near Tafas, killing a shepherd."
    out = merged([row("outlet-a", text, count_best=1), row("outlet-b", text, count_best=1)])
    assert len(out) == 1 and out[0]["n_sources"] == 2


def test_a_merged_lead_without_a_toll_takes_the_toll_another_report_states():
    a = row("outlet-a", "Jets struck Tafas on Monday.", date_start="2014-03-03")
    b = row("outlet-b", "Two civilians died in Monday's raid on Tafas.", date_start="2014-03-03", count_best=2)
    out = merged([a, b])
    assert len(out) == 1
    assert (out[0]["count_type"], out[0]["count_best"], out[0]["count_high"]) == ("killed", 2, 2)
