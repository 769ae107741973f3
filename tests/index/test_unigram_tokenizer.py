"""The Python Unigram tokenizer gives the ids `tokenizers` gives, on a vocabulary built here."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from index.onnx_embedder import hf_tokenizer, load_tokenizer
from index.unigram_tokenizer import (
    SPEC_FILE,
    UnigramTokenizer,
    derive_unigram_files,
    ensure_unigram_files,
    unigram_files_present,
)

# Equal scores on purpose: `===` splits three ways at -3, so ties must break as tokenizers'.
VOCAB = [
    ("<s>", 0.0), ("<pad>", 0.0), ("</s>", 0.0), ("<unk>", 0.0), ("▁", -2.0), ("=", -1.0),
    ("==", -2.0), ("a", -1.5), ("b", -1.5), ("ab", -2.5), ("▁a", -1.0), ("▁ab", -2.9),
    ("텐서", -3.0), ("텐", -2.0), ("서", -2.0), ("▁텐서", -2.5), ("x", -4.0), ("<mask>", 0.0),
]
TEXTS = [
    "a", "ab", "abab ab", "===", "=====", " a  b ", "a\tb\n텐서", "텐서☃☃텐서", "☃", "", "   ",
    "a <s> b", "a<mask> b", "a <mask>b", "</s></s>", "ＡＢ ａｂ", "xyz q ab", "a" * 40,
]


def _tokenizer_json() -> str:
    from tokenizers import AddedToken, Tokenizer, models, normalizers, pre_tokenizers, processors

    tokenizer = Tokenizer(models.Unigram(VOCAB, unk_id=3, byte_fallback=False))
    tokenizer.normalizer = normalizers.Sequence(
        [normalizers.NFKC(), normalizers.Replace(" ", " "), normalizers.Lowercase()])
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tokenizer.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>", special_tokens=[("<s>", 0), ("</s>", 2)])
    tokenizer.add_special_tokens(["<s>", "<pad>", "</s>", "<unk>"])
    tokenizer.add_special_tokens([AddedToken("<mask>", lstrip=True, special=True)])
    return tokenizer.to_str()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder with the small tokenizer.json and the files derived from it."""
    (tmp_path / "tokenizer.json").write_text(_tokenizer_json(), encoding="utf-8")
    derive_unigram_files(tmp_path / "tokenizer.json", tmp_path)
    return tmp_path


@pytest.mark.parametrize("max_length", [512, 6])
def test_same_ids_as_tokenizers(folder: Path, max_length: int) -> None:
    """Every text (ties, unknown runs, special tokens, truncation) gets tokenizers' ids."""
    reference = hf_tokenizer(folder / "tokenizer.json", max_length)
    ours = UnigramTokenizer(folder, max_length)
    for text in TEXTS:
        assert ours.ids(text) == reference.encode(text).ids, text
    assert [e.ids for e in ours.encode_batch(TEXTS)] == [
        e.ids for e in reference.encode_batch(TEXTS)]


def test_load_tokenizer_takes_the_derived_files(folder: Path) -> None:
    """With the derived files beside tokenizer.json, loading gives the Python tokenizer."""
    assert isinstance(load_tokenizer(folder / "tokenizer.json"), UnigramTokenizer)


def test_files_are_derived_once(tmp_path: Path) -> None:
    """An older folder gains the files on its first load; a newer format is derived again."""
    (tmp_path / "tokenizer.json").write_text(_tokenizer_json(), encoding="utf-8")
    assert not unigram_files_present(tmp_path)
    assert ensure_unigram_files(tmp_path, tmp_path / "tokenizer.json")
    assert unigram_files_present(tmp_path)
    spec = json.loads((tmp_path / SPEC_FILE).read_text(encoding="utf-8"))
    (tmp_path / SPEC_FILE).write_text(json.dumps({**spec, "format": 0}), encoding="utf-8")
    assert not unigram_files_present(tmp_path)


def test_other_tokenizers_stay_on_tokenizers(tmp_path: Path) -> None:
    """A word-level tokenizer.json is not derived; loading gives tokenizers' own."""
    from tokenizers import Tokenizer, models

    plain: Any = Tokenizer(models.WordLevel({"<unk>": 0, "a": 1}, unk_token="<unk>"))
    (tmp_path / "tokenizer.json").write_text(plain.to_str(), encoding="utf-8")
    assert not ensure_unigram_files(tmp_path, tmp_path / "tokenizer.json")
    assert not isinstance(load_tokenizer(tmp_path / "tokenizer.json"), UnigramTokenizer)
