"""The Python Unigram tokenizer gives the real model's tokenizer.json ids on corpus samples."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from index.model import onnx_model_dir
from index.model.piece_check import note_texts, question_texts
from index.onnx_embedder import hf_tokenizer
from index.unigram_tokenizer import UnigramTokenizer, derive_unigram_files
from tests.conftest import CORPUS, REPO, SHARED, model_cache

# Equal-score splits (ties) and a text past 512 tokens, besides every 25th corpus text.
EXTRA = ['\t\tprint("======================")', "=" * 40, "passage: " + "가나다 abc " * 400]


def test_same_ids_on_corpus_samples(tmp_path: Path) -> None:
    """Every 25th note text, every question, and the ties: the ids of tokenizer.json."""
    source = onnx_model_dir(model_cache()) / "tokenizer.json"
    if not source.exists():
        pytest.skip("the ONNX model is not built (make model)")
    shutil.copy(source, tmp_path / "tokenizer.json")
    derive_unigram_files(tmp_path / "tokenizer.json", tmp_path)
    notes = [t for corpus in sorted(CORPUS.glob("*/")) for t in note_texts(corpus)]
    questions = [t for path in [*sorted((SHARED / "eval").glob("*.jsonl")),
                                *sorted((REPO / "tests" / "data").glob("*.jsonl"))]
                 for t in question_texts(path)]
    texts = notes[::25] + questions + EXTRA
    assert len(texts) > 1000
    reference, ours = hf_tokenizer(tmp_path / "tokenizer.json"), UnigramTokenizer(tmp_path, 512)
    expected = [e.ids for e in reference.encode_batch(texts)]
    differ = [t[:60] for t, want in zip(texts, expected, strict=True) if ours.ids(t) != want]
    assert differ == []
