"""Extraction over many articles: exact offsets, long texts, failures, workers, Dask, dedup."""

from __future__ import annotations

import pickle
from pathlib import Path

import pandas as pd
import pandas.testing as pdt
import pytest

import geomap.batch as batch
import geomap.extraction as ex
from geomap.extraction import extract, process_batch, split_text
from geomap.read import read_articles

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture(scope="module")
def articles():
    return read_articles(SEEDS)


@pytest.fixture(scope="module")
def local(articles):
    return extract(articles)


def _comparable(df: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(df).drop(columns=["geometry"], errors="ignore").reset_index(drop=True)


def test_seed_tables_have_the_contract_shape(local, articles):
    assert local.incidents.crs.to_epsg() == 4326 and local.movements.crs.to_epsg() == 4326
    for col in ("doc_id", "char_start", "char_end", "text", "sentence", "gazetteer_id", "lat", "lon"):
        assert col in local.mentions.columns
    assert len(local.mentions) > 20
    assert set(local.mentions["doc_id"]) == set(articles["doc_id"])
    run = local.run
    assert run["counts"]["articles"] == 2 and run["counts"]["articles_done"] == 2
    assert [d["outcome"] for d in run["documents"]] == ["done", "done"]
    assert run["counts"]["words"] > 1500


def test_every_offset_points_at_its_text(local, articles):
    texts = dict(zip(articles["doc_id"], articles["text"]))
    for r in local.mentions.itertuples():
        assert texts[r.doc_id][r.char_start : r.char_end] == r.text
    for table in (local.incidents, local.movements):
        for r in table.itertuples():
            assert texts[r.doc_id][r.char_start : r.char_end] == r.evidence


def test_aleppo_is_found_and_resolved_in_both_seeds(local):
    from geomap import settings

    assert (Path(settings.gazetteer_dir) / "places.tsv").exists(), "the gazetteer ships with geomap"
    aleppo = local.mentions[local.mentions["text"] == "Aleppo"]
    assert set(aleppo["doc_id"]) == set(local.mentions["doc_id"])
    resolved = aleppo.dropna(subset=["lat"])
    assert len(resolved) >= 1
    # Aleppo city is at about 36.2N 37.15E.
    assert ((resolved["lat"] - 36.2).abs() < 0.2).all() and ((resolved["lon"] - 37.15).abs() < 0.2).all()


@pytest.mark.parametrize("limit", [50, 300, 5000])
def test_split_text_keeps_offsets_exact(limit):
    text = (SEEDS / "cnn-2012-07-25-syrian-rebels-fight-through-grief-pride.txt").read_text()
    pieces = split_text(text, limit)
    assert "".join(chunk for _, chunk in pieces) == text
    for offset, chunk in pieces:
        assert text[offset : offset + len(chunk)] == chunk
        assert 0 < len(chunk) <= limit
    if limit >= 300:
        # Cuts fall at paragraph/sentence ends, never inside a word.
        for _, chunk in pieces[:-1]:
            assert chunk.endswith(("\n", ". ", "! ", "? ", " "))


def test_long_article_is_split_and_offsets_stay_exact(monkeypatch, articles):
    text = "\n\n".join(articles["text"])
    monkeypatch.setattr(batch, "MAX_CHUNK_CHARS", 2000)
    long_df = pd.DataFrame({"doc_id": ["long"], "text": [text], "date": [None]})
    result = extract(long_df)
    assert result.run["documents"][0]["outcome"] == "done"
    m = result.mentions
    assert len(m) > 40
    assert m["char_end"].max() > 4 * 2000  # mentions from late chunks, shifted into place
    for r in m.itertuples():
        assert text[r.char_start : r.char_end] == r.text


def test_a_failing_document_is_skipped_not_fatal(monkeypatch, articles):
    real = batch.doc_records

    def flaky(doc):
        if doc._.meta["doc_id"].startswith("cnn"):
            raise RuntimeError("boom")
        return real(doc)

    monkeypatch.setattr(batch, "doc_records", flaky)
    result = extract(articles)
    docs = {d["doc_id"]: d for d in result.run["documents"]}
    cnn = [k for k in docs if k.startswith("cnn")][0]
    assert docs[cnn]["outcome"] == "skipped" and "boom" in docs[cnn]["reason"]
    assert result.run["counts"]["articles_done"] == 1
    assert set(result.mentions["doc_id"]) == {k for k in docs if k != cnn}


def test_batch_records_are_plain_and_picklable(articles):
    items = list(ex.iter_items(articles))[1:]
    out = process_batch(items)
    assert [o["doc_id"] for o in out] == list(articles["doc_id"])[1:]
    assert out[0]["records"]["mentions"]
    blob = pickle.dumps(out)
    assert b"spacy" not in blob


def test_output_does_not_depend_on_input_order(local, articles):
    shuffled = articles.iloc[::-1].reset_index(drop=True)
    again = extract(shuffled)
    pdt.assert_frame_equal(_comparable(again.mentions), _comparable(local.mentions))
    pdt.assert_frame_equal(_comparable(again.incidents), _comparable(local.incidents))


def test_two_workers_give_the_same_tables(local, articles):
    result = extract(articles, workers=2, batch_size=1, items_per_task=1)
    for name in ("incidents", "movements", "mentions"):
        pdt.assert_frame_equal(_comparable(getattr(result, name)), _comparable(getattr(local, name)))
    assert result.run["workers"] == 2


@pytest.mark.slow
def test_dask_engine_gives_the_same_tables(local, articles):
    pytest.importorskip("distributed")
    result = extract(articles, engine="dask", workers=1, items_per_task=1)
    for name in ("incidents", "movements", "mentions"):
        pdt.assert_frame_equal(_comparable(getattr(result, name)), _comparable(getattr(local, name)))
    assert result.run["engine"] == "dask"


def test_same_report_in_two_articles_is_merged(articles, local):
    assert not local.incidents.empty, "the seeds report incidents"
    one = articles.iloc[1:]
    twin = one.copy()
    twin["doc_id"] = twin["doc_id"] + "-copy"
    twin["source"] = "Another outlet"
    result = extract(pd.concat([one, twin], ignore_index=True))
    doc_id = one["doc_id"].iloc[0]
    # In the two-seed run some of its incidents may have merged into the other seed's.
    expected = sum(ids.split("; ").count(doc_id) for ids in local.incidents["doc_ids"])
    # Every incident of the original is matched by its copy: same count, two sources each.
    assert len(result.incidents) == expected
    assert set(result.incidents["sources"]) == {"Another outlet; Christian Science Monitor"}
    assert (result.incidents["n_sources"] >= 2).all()


def test_unknown_engine_is_refused(articles):
    from geomap.errors import GeomapError

    with pytest.raises(GeomapError, match="engine"):
        extract(articles, engine="spark")


def test_fast_ruler_and_lemmatizer_give_exactly_the_model_s_tokens(articles):
    import numpy as np
    from spacy.attrs import DEP, LEMMA, MORPH, POS, TAG

    from geomap.nlp.pipeline import _FastAttributeRuler, _FastEnglishLemmatizer, _speed_up, load_english_model

    plain = load_english_model()
    fast = _speed_up(load_english_model())
    assert type(fast.get_pipe("attribute_ruler")) is _FastAttributeRuler
    assert type(fast.get_pipe("lemmatizer")) is _FastEnglishLemmatizer
    # Seeds plus the ruler's multi-token and whitespace exceptions (gonna, ain't, let's, y'all).
    texts = [
        *articles["text"],
        "I'm gonna go, ain't it? Let's see, y'all. C'mon  \n\n there is a man. "
        "Nothin' doing, gotta run.\n \t It was this that I saw. Do you have it? You did it to me.",
    ]
    cols = [POS, TAG, MORPH, LEMMA, DEP]
    for a, b in zip(plain.pipe(texts), fast.pipe(texts)):
        assert np.array_equal(a.to_array(cols), b.to_array(cols))
    lemmas = [t.lemma_ for t in fast(texts[-1])]
    assert "go" in lemmas and "us" in lemmas and "you" in lemmas


def test_an_open_engine_fed_in_parts_gives_extract_s_tables(local, articles):
    """The corpus benchmark keeps one engine open and feeds chunks: that must be ``extract``."""
    from geomap import settings
    from geomap.tables import build_tables

    items = list(ex.iter_items(articles))
    got = []
    with ex.open_engine("local", 1, None, None, ex.pipeline_components()[0], settings.batch_size) as eng:
        for part in (items[:1], items[1:]):
            got.append(ex.collect(eng.run(ex._batches(part, 1))))
    assert [d["doc_id"] for g in got for d in g["documents"]] == list(articles["doc_id"].sort_values())
    assert sum(g["words"] for g in got) == local.run["counts"]["words"]
    result = build_tables([r for g in got for r in g["records"]], articles=articles, dedupe=True)
    for name in ("incidents", "movements", "mentions"):
        pdt.assert_frame_equal(_comparable(getattr(result, name)), _comparable(getattr(local, name)))


def test_open_engine_refuses_an_unknown_engine():
    from geomap.errors import GeomapError

    with pytest.raises(GeomapError, match="engine"):
        ex.open_engine("spark")
