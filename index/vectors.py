"""The FAISS index of passage vectors, keyed by passage id, persisted with a manifest."""

from __future__ import annotations

import hashlib
import json
import logging
import os
from dataclasses import asdict, dataclass
from pathlib import Path

import faiss
import numpy as np

log = logging.getLogger(__name__)

INDEX_FILE = "passages.faiss"
MANIFEST_FILE = "manifest.json"


def ids_checksum(ids: np.ndarray) -> str:
    """A digest of a set of ids, independent of their order."""
    return hashlib.sha256(np.sort(np.asarray(ids, dtype=np.int64)).tobytes()).hexdigest()


@dataclass(frozen=True)
class Manifest:
    """What an index file holds, checked against the database before it is trusted."""

    model: str
    dim: int
    count: int
    ids_checksum: str
    file_sha256: str


class VectorIndex:
    """Exact inner-product search over unit vectors with explicit ids (add and remove by id)."""

    def __init__(self, dim: int) -> None:
        self.dim = dim
        self.index = faiss.IndexIDMap2(faiss.IndexFlatIP(dim))

    def __len__(self) -> int:
        return int(self.index.ntotal)

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        """Add vectors under their ids."""
        if len(ids):
            vectors = np.ascontiguousarray(vectors, dtype=np.float32).reshape(len(ids), self.dim)
            self.index.add_with_ids(vectors, np.asarray(ids, dtype=np.int64))

    def remove(self, ids: np.ndarray) -> None:
        """Remove the given ids (unknown ids are ignored)."""
        if len(ids):
            self.index.remove_ids(np.asarray(ids, dtype=np.int64))

    def ids(self) -> np.ndarray:
        """Every id held, in insertion order."""
        return faiss.vector_to_array(self.index.id_map).astype(np.int64)

    def search(self, vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        """The k nearest ids with their cosine similarity, best first."""
        if len(self) == 0 or k <= 0:
            return []
        query = np.ascontiguousarray(vector, dtype=np.float32).reshape(1, self.dim)
        scores, ids = self.index.search(query, min(k, len(self)))
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]

    def save(self, folder: Path, model: str) -> Manifest:
        """Write the index and its manifest atomically (a crash leaves the old pair or none)."""
        folder.mkdir(parents=True, exist_ok=True)
        data = faiss.serialize_index(self.index).tobytes()
        manifest = Manifest(
            model=model,
            dim=self.dim,
            count=len(self),
            ids_checksum=ids_checksum(self.ids()),
            file_sha256=hashlib.sha256(data).hexdigest(),
        )
        _atomic_write(folder / INDEX_FILE, data)
        if os.environ.get("SUNBAE_FAILPOINT") == "index:between-files":  # crash-safety tests
            os.kill(os.getpid(), 9)
        _atomic_write(folder / MANIFEST_FILE, json.dumps(asdict(manifest), indent=2).encode())
        return manifest

    @classmethod
    def load(
        cls, folder: Path, *, model: str, dim: int, expected_ids: np.ndarray
    ) -> VectorIndex | None:
        """The saved index if it is intact and matches the database, else None (and why, logged)."""
        data, problem = read_saved(folder, model=model, dim=dim, expected_ids=expected_ids)
        if problem:
            log.warning("vector index in %s: %s; rebuilding from the database", folder, problem)
            return None
        loaded = cls(dim)
        loaded.index = faiss.deserialize_index(np.frombuffer(data, dtype=np.uint8))
        return loaded


def read_saved(
    folder: Path, *, model: str, dim: int, expected_ids: np.ndarray
) -> tuple[bytes, str | None]:
    """The saved index bytes, and why they cannot be trusted (None when they can)."""
    manifest_path, index_path = folder / MANIFEST_FILE, folder / INDEX_FILE
    if not manifest_path.exists() or not index_path.exists():
        return b"", "index files missing"
    try:
        manifest = Manifest(**json.loads(manifest_path.read_text()))
        data = index_path.read_bytes()
    except (OSError, ValueError, TypeError) as exc:
        return b"", f"manifest unreadable ({exc})"
    return data, _disagreement(manifest, data, model=model, dim=dim, expected_ids=expected_ids)


def _disagreement(
    manifest: Manifest, data: bytes, *, model: str, dim: int, expected_ids: np.ndarray
) -> str | None:
    """Why a saved index cannot be trusted, or None when it can."""
    if manifest.model != model:
        return f"built with model {manifest.model}, now {model}"
    if manifest.dim != dim:
        return f"dimension {manifest.dim}, model gives {dim}"
    if hashlib.sha256(data).hexdigest() != manifest.file_sha256:
        return "index file corrupt or truncated"
    if manifest.count != len(expected_ids) or manifest.ids_checksum != ids_checksum(expected_ids):
        return f"holds {manifest.count} ids, database has {len(expected_ids)} (or other ids)"
    return None


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    with open(tmp, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def set_search_threads(threads: int) -> None:
    """FAISS threads: one is fastest for a single question (OpenMP start-up costs more)."""
    faiss.omp_set_num_threads(threads)
