"""The multilingual tagger's data side (``techniques_multilingual_data``): SemEval-2023 span
reading, channel masks, collation."""

from __future__ import annotations

import numpy as np
import pytest

from spinscope.analysis.spans import CHANNELS
from spinscope.corpora.ptc import Article, GoldSpan
from spinscope.training import techniques_multilingual_data as tm
from spinscope.training.techniques_multilingual import MultiConfig


def test_load_semeval23_reads_articles_and_their_spans(tmp_path):
    arts = tmp_path / "fr" / "train-articles-subtask-3"
    spans = tmp_path / "fr" / "train-labels-subtask-3-spans"
    arts.mkdir(parents=True)
    spans.mkdir(parents=True)
    (arts / "article7.txt").write_text("Titre\n\nUn texte honteux.", encoding="utf-8")
    (arts / "article8.txt").write_text("Sans étiquette.", encoding="utf-8")
    (spans / "article7-labels-subtask-3.txt").write_text("7\tLoaded_Language\t16\t23\n")
    got = {a.id: a for a in tm.load_semeval23(tmp_path, "fr", "train")}
    assert set(got) == {"fr7", "fr8"}
    (span,) = got["fr7"].spans["semeval2023"]
    assert got["fr7"].text[span.start : span.end] == "honteux"
    assert got["fr8"].spans == {"semeval2023": []}


def test_an_article_trains_only_the_channels_it_is_labelled_for():
    se23 = tm.channel_mask(Article("fr1", "x", {"semeval2023": []}))
    ptc = tm.channel_mask(Article("1", "x", {"ptc2020": []}))
    both = tm.channel_mask(Article("2", "x", {"ptc2020": [], "semeval2023": []}))
    assert se23[0] == 0 and se23.sum() == 23
    assert ptc[0] == 1 and ptc.sum() == len(CHANNELS) - 23
    assert both.sum() == len(CHANNELS)


def test_collate_wraps_windows_in_the_encoders_own_special_tokens():
    pytest.importorskip("torch")
    lab = np.zeros((3, len(CHANNELS)), np.float32)
    lab[1, 5] = 1
    batch = [(np.array([10, 11, 12]), lab, np.ones(len(CHANNELS), np.float32)),
             (np.array([20]), lab[:1], np.zeros(len(CHANNELS), np.float32))]  # fmt: skip
    ids, mask, labels, channels = tm.collate(batch, 0, 2, 1)
    assert ids.tolist() == [[0, 10, 11, 12, 2], [0, 20, 2, 1, 1]]
    assert mask.tolist() == [[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]]
    assert labels[0, 2, 5] == 1 and labels.sum() == 1
    assert channels[1].sum() == 0


def test_build_windows_labels_the_pieces_under_a_span():
    from tokenizers import Tokenizer, models, pre_tokenizers

    vocab = [("<unk>", 0.0), ("▁un", -1.0), ("▁texte", -1.0), ("▁honteux", -1.0), (".", -1.0)]
    tok = Tokenizer(models.Unigram(vocab, unk_id=0, byte_fallback=False))
    tok.pre_tokenizer = pre_tokenizers.Metaspace()
    text = "un texte honteux."
    art = Article("fr1", text, {"semeval2023": [GoldSpan(9, 16, "Loaded_Language")]})
    ((ids, labels, mask),) = tm.build_windows([art], tok, MultiConfig())
    column = CHANNELS.index("semeval2023:Loaded_Language")
    assert labels[:, column].tolist() == [0, 0, 1, 0] and mask[0] == 0
