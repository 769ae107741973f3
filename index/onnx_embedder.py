"""Sentence embeddings on onnxruntime (int8 or fp32 export of the model): no torch anywhere."""

from __future__ import annotations

import json
import os
from pathlib import Path
from threading import Lock
from typing import Any, Literal

import numpy as np

from index.embedder import VectorCache
from index.model.onnx_folder import MANIFEST_FILE, TOKENIZER_FILE
from index.unigram_tokenizer import ensure_unigram_files

OnnxVariant = Literal["onnx-int8", "onnx"]
# The manifest's key of each variant's model file.
VARIANT_MODEL = {"onnx-int8": "int8", "onnx": "fp32"}
DEFAULT_MAX_LENGTH = 512
DEFAULT_PAD_ID = 1  # XLM-R's <pad>, for manifests that do not record one


def cpu_count() -> int:
    """Cores this process may use (affinity-aware): the threads of a batch session."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def load_tokenizer(path: Path, max_length: int = DEFAULT_MAX_LENGTH) -> Any:
    """The tokenizer of tokenizer.json that truncates at `max_length`, unpadded: on
    Python Unigram where its derived files sit beside it (`index.unigram_tokenizer`: the
    same ids, about 240 MB less resident memory), else `tokenizers`' own."""
    from index.unigram_tokenizer import UnigramTokenizer, unigram_files_present

    folder = Path(path).parent
    if unigram_files_present(folder):
        return UnigramTokenizer(folder, max_length)
    return hf_tokenizer(path, max_length)


def hf_tokenizer(path: Path, max_length: int = DEFAULT_MAX_LENGTH) -> Any:
    """A `tokenizers.Tokenizer` from tokenizer.json that truncates at `max_length`, unpadded."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(path))
    tokenizer.enable_truncation(max_length=max_length)
    tokenizer.no_padding()  # each batch is padded to its own longest text by `pad_batch`
    return tokenizer


def pad_batch(rows: list[list[int]], pad_id: int) -> tuple[np.ndarray, np.ndarray]:
    """int64 `input_ids` and `attention_mask` of token-id rows, right-padded to the longest."""
    width = max((len(row) for row in rows), default=0)
    ids = np.full((len(rows), width), pad_id, dtype=np.int64)
    mask = np.zeros((len(rows), width), dtype=np.int64)
    for i, row in enumerate(rows):
        ids[i, : len(row)] = row
        mask[i, : len(row)] = 1
    return ids, mask


def pool(hidden: np.ndarray, mask: np.ndarray, mode: str = "mean") -> np.ndarray:
    """Sentence vectors from token vectors as sentence-transformers pools them (mean or cls)."""
    if mode == "cls":
        return hidden[:, 0, :].astype(np.float32)
    if mode != "mean":
        raise ValueError(f"pooling {mode!r} is not supported (mean or cls)")
    weights = mask.astype(np.float32)
    summed = np.einsum("bld,bl->bd", hidden.astype(np.float32), weights)
    counts = np.maximum(weights.sum(axis=1, keepdims=True), 1e-9)
    return summed / counts


def normalize(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (a zero row stays zero)."""
    norms = np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    return (vectors / norms).astype(np.float32)


def make_session(model_file: Path, threads: int, *, arena: bool = True) -> Any:
    """A CPU onnxruntime session with `threads` intra-op threads and one inter-op thread.

    Without `arena`, each run's buffers go back to the system when it ends. The batch
    session goes without: its arena would keep its largest batch's activations for the
    life of the process (32 passages of 512 tokens: 400 MB for one layer's attention).
    """
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.enable_cpu_mem_arena = arena
    options.intra_op_num_threads = max(1, int(threads))
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.log_severity_level = 3  # errors only
    return ort.InferenceSession(str(model_file), options, providers=["CPUExecutionProvider"])


class _EncodeAdapter:
    """`.model.encode(texts, batch_size=…)` as sentence-transformers has it (the bench's use)."""

    def __init__(self, owner: OnnxEmbedder) -> None:
        self._owner = owner

    def encode(
        self, sentences: str | list[str], batch_size: int | None = None, **_ignored: Any
    ) -> np.ndarray:
        """Unit vectors of texts as given (no prompt added, nothing cached)."""
        single = isinstance(sentences, str)
        texts: list[str] = [sentences] if isinstance(sentences, str) else list(sentences)
        owner = self._owner
        vectors = owner.encode(texts, owner.batch_session(), batch_size or owner.batch_size)
        return vectors[0] if single else vectors


class OnnxEmbedder:
    """An exported sentence-transformers model on onnxruntime, with unit-norm float32 outputs.

    The surface of `index.embedder.Embedder`: `name` (`<family>/onnx-int8` or `<family>/onnx`),
    `family`, `dim`, `batch_size`, the two prompts, `clear_cache`, `embed_query`,
    `embed_queries`, `embed_passages`, and `model.encode` for the bench.

    Concurrent questions are not micro-batched. Each `embed_query` runs its question as one
    row on `session`, from the calling thread (the core's workers, one per core, never the
    event loop): onnxruntime's `run` is thread-safe and releases the GIL, and with one
    intra-op thread a row runs on its caller's thread, so concurrent rows run in parallel,
    one per core, with one copy of the weights. Batching was measured and not adopted
    (session 4, `scratch/onnx/REPORT.md`): int8 dynamic quantization scales activations
    per batch, so a row's vector depended on the other rows of its batch (cosine to the
    unbatched vector min 0.992, and answers would depend on who else asked at the same
    moment), while batches of about 7 questions saved only about 3 % of CPU per question.
    """

    def __init__(
        self,
        folder: Path,
        *,
        variant: OnnxVariant = "onnx-int8",
        query_prompt: str = "query: ",
        passage_prompt: str = "passage: ",
        threads: int = 1,
        batch_threads: int | None = None,
        batch_size: int = 32,
        cache_size: int = 4096,
    ) -> None:
        """Load `variant` from an ONNX folder (see `index.model.onnx_folder`).

        One question runs on a session of `threads` intra-op threads; batches (passages at
        ingest, curated phrasings) on a second session of `batch_threads` (default: every
        core), made on first use, as the torch Embedder uses every core for batches.
        """
        self.folder = Path(folder)
        self.manifest: dict[str, Any] = json.loads(
            (self.folder / MANIFEST_FILE).read_text(encoding="utf-8")
        )
        file_name = (self.manifest.get("models") or {}).get(VARIANT_MODEL[variant])
        if not file_name:
            raise FileNotFoundError(f"{self.folder} holds no {variant} model")
        self.model_file = self.folder / file_name
        self.variant = variant
        self.family = str(self.manifest["family"])
        self.name = f"{self.family}/{variant}"
        max_length = int(self.manifest.get("max_seq_length") or DEFAULT_MAX_LENGTH)
        ensure_unigram_files(self.folder, self.folder / TOKENIZER_FILE)
        self.tokenizer = load_tokenizer(self.folder / TOKENIZER_FILE, max_length)
        pad_id = self.manifest.get("pad_token_id")
        self._pad_id = DEFAULT_PAD_ID if pad_id is None else int(pad_id)
        self._pooling = str(self.manifest.get("pooling", "mean"))
        self._normalize = bool(self.manifest.get("normalize", True))
        self._threads = max(1, int(threads))
        self._batch_threads = max(1, int(batch_threads or cpu_count()))
        self.session = make_session(self.model_file, self._threads)
        self._batch_session: Any = None
        self._inputs = {i.name for i in self.session.get_inputs()}
        self._output = self.session.get_outputs()[0].name
        self.query_prompt = query_prompt
        self.passage_prompt = passage_prompt
        self.batch_size = batch_size
        self.model = _EncodeAdapter(self)
        self._cache = VectorCache(cache_size)
        self._lock = Lock()  # makes the batch session once
        self.dim = int(self.encode(["dimension"], self.session, 1).shape[1])

    def batch_session(self) -> Any:
        """The session batches run on: a second one with more threads, made on first use."""
        if self._batch_threads == self._threads:
            return self.session
        with self._lock:
            if self._batch_session is None:
                self._batch_session = make_session(self.model_file, self._batch_threads,
                                                   arena=False)
        return self._batch_session

    def _run(self, session: Any, rows: list[list[int]]) -> np.ndarray:
        ids, mask = pad_batch(rows, self._pad_id)
        feed = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:  # BERT-style exports; single texts are type 0
            feed["token_type_ids"] = np.zeros_like(ids)
        (hidden,) = session.run([self._output], feed)
        pooled = pool(hidden, mask, self._pooling)
        return normalize(pooled) if self._normalize else pooled.astype(np.float32)

    def encode(self, texts: list[str], session: Any, batch_size: int) -> np.ndarray:
        """Vectors of texts as given, in order; batched by token length to pad little."""
        rows = [e.ids for e in self.tokenizer.encode_batch(texts)] if texts else []
        order = sorted(range(len(rows)), key=lambda i: len(rows[i]), reverse=True)
        out: np.ndarray | None = None
        for start in range(0, len(order), max(1, batch_size)):
            chosen = order[start : start + batch_size]
            vectors = self._run(session, [rows[i] for i in chosen])
            if out is None:
                out = np.empty((len(rows), vectors.shape[1]), dtype=np.float32)
            out[chosen] = vectors
        if out is None:
            return np.zeros((0, getattr(self, "dim", 0)), dtype=np.float32)
        return out

    def _encode_cached(self, texts: list[str], session: Any) -> np.ndarray:
        """Encode prompted texts, taking those seen recently from the cache."""
        return self._cache.encode(
            texts, lambda fresh: self.encode(fresh, session, self.batch_size), self.dim)

    def clear_cache(self) -> None:
        """Forget recently embedded texts (a benchmark then measures real embedding)."""
        self._cache.clear()

    def embed_query(self, text: str) -> np.ndarray:
        """The unit vector of one question (a repeated question comes from the cache)."""
        prompted = self.query_prompt + " ".join(text.split())
        return self._encode_cached([prompted], self.session)[0]

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        """Unit vectors of several questions (curated phrasings), in one batch."""
        return self._encode_cached([self.query_prompt + t for t in texts], self.batch_session())

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        """Unit vectors of stored passages, batched on every core."""
        return self._encode_cached([self.passage_prompt + t for t in texts], self.batch_session())
