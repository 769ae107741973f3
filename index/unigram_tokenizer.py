"""The model's Unigram tokenizer in plain Python: the ids of tokenizer.json in 1/6 the memory.

`tokenizers.Tokenizer.from_file(tokenizer.json)` keeps XLM-R's 250,002-piece vocabulary in a
trie of hash maps: about 290 MB resident for the life of the process. Here the pieces sit in
one dict and their scores in one list (about 45 MB), and the Viterbi search is
`tokenizers`' own (`Unigram::encode_optimized`) written again: the same ids, ties resolved
the same way (SentencePiece's search breaks ties between equal-score splits otherwise). Words
are short (a piece is at most 16 characters), so the search costs about what the Rust one does
per question. The text is still split on special tokens, normalized and pre-tokenized by the
`tokenizers` normalizer and pre-tokenizer of tokenizer.json, kept alone in `unigram.json`.
`python -m index.model.piece_check` compares the ids on every shared corpus and question file.
"""

from __future__ import annotations

import json
import logging
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SPEC_FILE = "unigram.json"
PIECES_FILE = "unigram_pieces.txt"
SCORES_FILE = "unigram_scores.npy"
UNIGRAM_FORMAT = 1  # bump when what the files hold changes: older ones are derived again
log = logging.getLogger(__name__)

UNK_PENALTY = 10.0  # tokenizers' K_UNK_PENALTY: an unknown character scores min_score - 10


@dataclass(frozen=True)
class Encoding:
    """Token ids of one text, as `tokenizers.Encoding.ids` has them."""

    ids: list[int]


def unigram_files_present(folder: Path) -> bool:
    """Whether `folder` holds the derived files, of this format."""
    try:
        spec = json.loads((Path(folder) / SPEC_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return spec.get("format") == UNIGRAM_FORMAT and all(
        (Path(folder) / name).is_file() for name in (PIECES_FILE, SCORES_FILE))


def unsupported(spec: dict[str, Any]) -> str | None:
    """Why a tokenizer.json cannot be run here, or None when it can."""
    model = spec.get("model") or {}
    if model.get("type") != "Unigram" or model.get("byte_fallback"):
        return "its model is not a plain Unigram"
    if model.get("unk_id") is None:
        return "its model has no unknown piece"
    if any("\n" in piece for piece, _ in model.get("vocab") or []):
        return "a piece holds a line break"
    post = spec.get("post_processor") or {}
    shape = [next(iter(part), None) for part in post.get("single") or []]
    if post.get("type") != "TemplateProcessing" or shape != ["SpecialToken", "Sequence",
                                                               "SpecialToken"]:
        return "its post-processor is not <s> $A </s>"
    for token in spec.get("added_tokens") or []:
        if token.get("normalized") or token.get("single_word") or token.get("rstrip"):
            return f"special token {token.get('content')!r} is matched in a way not done here"
    return None


def derive_unigram_files(tokenizer_json: Path, folder: Path) -> None:
    """Write the pieces, their scores and `unigram.json` from a Unigram tokenizer.json.

    Each file is written to a temporary name and renamed; `unigram.json` goes last, so its
    presence means the others are there.
    """
    import numpy as np

    spec = json.loads(Path(tokenizer_json).read_text(encoding="utf-8"))
    reason = unsupported(spec)
    if reason:
        raise ValueError(f"{tokenizer_json}: {reason}")
    model, folder = spec["model"], Path(folder)
    pieces = [piece for piece, _ in model["vocab"]]
    scores = np.array([score for _, score in model["vocab"]], dtype=np.float64)
    post = spec["post_processor"]
    first, _, last = post["single"]
    bos = post["special_tokens"][first["SpecialToken"]["id"]]["ids"][0]
    eos = post["special_tokens"][last["SpecialToken"]["id"]]["ids"][0]
    unigram = {
        "format": UNIGRAM_FORMAT,
        "normalizer": spec.get("normalizer"),
        "pre_tokenizer": spec.get("pre_tokenizer"),
        "specials": [{"content": t["content"], "id": int(t["id"]),
                      "lstrip": bool(t.get("lstrip"))} for t in spec.get("added_tokens") or []],
        "bos_id": int(bos), "eos_id": int(eos), "unk_id": int(model["unk_id"]),
        "fuse_unk": True,  # tokenizers' Unigram always fuses a run of unknown characters
    }
    _write_atomically(folder / PIECES_FILE, "\n".join(pieces).encode("utf-8"))
    with tempfile.NamedTemporaryFile(dir=folder, suffix=".npy", delete=False) as handle:
        np.save(handle, scores)
    os.chmod(handle.name, 0o644)
    os.replace(handle.name, folder / SCORES_FILE)
    _write_atomically(folder / SPEC_FILE, json.dumps(unigram, ensure_ascii=False).encode("utf-8"))


def ensure_unigram_files(folder: Path, tokenizer_json: Path) -> bool:
    """Whether `folder` holds the derived files, deriving them first when it does not (once:
    an ONNX folder exported before they existed); False when the tokenizer is not a plain
    Unigram or the folder is read-only (`tokenizers` then runs it)."""
    if unigram_files_present(folder):
        return True
    try:
        derive_unigram_files(tokenizer_json, folder)
    except (OSError, ValueError) as exc:
        log.info("tokenizer of %s stays on tokenizers: %s", folder, exc)
        return False
    log.info("derived the Unigram tokenizer files in %s (once)", folder)
    return True


def _write_atomically(path: Path, data: bytes) -> None:
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _normalizing_shell(spec: dict[str, Any]) -> Any:
    """A `tokenizers.Tokenizer` with no vocabulary, to carry the normalizer and pre-tokenizer."""
    from tokenizers import Tokenizer

    return Tokenizer.from_str(json.dumps({
        "version": "1.0", "truncation": None, "padding": None, "added_tokens": [],
        "normalizer": spec["normalizer"], "pre_tokenizer": spec["pre_tokenizer"],
        "post_processor": None, "decoder": None,
        "model": {"type": "WordLevel", "vocab": {"<unk>": 0}, "unk_token": "<unk>"},
    }))


class UnigramTokenizer:
    """Token ids of texts as tokenizer.json gives them (`<s>` … `</s>`, truncated);
    `encode_batch(texts)` returns objects with `.ids`, as `tokenizers` does."""

    def __init__(self, folder: Path, max_length: int) -> None:
        import numpy as np

        folder = Path(folder)
        spec = json.loads((folder / SPEC_FILE).read_text(encoding="utf-8"))
        shell = _normalizing_shell(spec)
        self._normalizer = shell.normalizer
        self._pre_tokenizer = shell.pre_tokenizer
        pieces = (folder / PIECES_FILE).read_text(encoding="utf-8").split("\n")
        self._ids: dict[str, int] = {piece: i for i, piece in enumerate(pieces)}
        scores = np.load(folder / SCORES_FILE)
        self._scores: list[float] = scores.tolist()
        self._unk_id = int(spec["unk_id"])
        self._unk_score = float(scores.min()) - UNK_PENALTY
        self._longest = max(map(len, pieces))
        self._bos, self._eos = int(spec["bos_id"]), int(spec["eos_id"])
        self._max_length = max(2, int(max_length))
        specials = sorted(spec["specials"], key=lambda t: -len(t["content"]))
        self._special_ids = {t["content"]: int(t["id"]) for t in specials}
        self._special_re = re.compile("|".join(
            (r"\s*" if t["lstrip"] else "") + f"({re.escape(t['content'])})" for t in specials
        )) if specials else None

    def _segments(self, text: str) -> list[str | int]:
        """The text cut around special tokens written in it: strings, and ids for those."""
        if self._special_re is None:
            return [text]
        out: list[str | int] = []
        cursor = 0
        for match in self._special_re.finditer(text):
            out.append(text[cursor : match.start()])
            found = next(group for group in match.groups() if group is not None)
            out.append(self._special_ids[found])
            cursor = match.end()
        out.append(text[cursor:])
        return out

    def _words(self, segment: str) -> list[str]:
        normalized = self._normalizer.normalize_str(segment) if self._normalizer else segment
        if not normalized:
            return []
        if self._pre_tokenizer is None:
            return [normalized]
        return [word for word, _ in self._pre_tokenizer.pre_tokenize_str(normalized)]

    def word_ids(self, word: str) -> list[int]:
        """The best split of one word, as `tokenizers`' Unigram `encode_optimized` finds it:
        starts in order, a candidate replaces a node's path only when strictly better, an
        unknown character scores `min_score - 10`, and a run of unknowns becomes one piece."""
        ids, scores, size = self._ids, self._scores, len(word)
        best = [0.0] * (size + 1)
        start_of: list[int | None] = [None] * (size + 1)
        piece_of = [0] * (size + 1)
        start_of[0] = 0
        for start in range(size):
            if start_of[start] is None:
                continue  # tokenizers reaches every start; an unreachable one cannot occur
            here = best[start]
            single = False
            for end in range(start + 1, min(size, start + self._longest) + 1):
                piece = ids.get(word[start:end])
                if piece is None:
                    continue
                candidate = scores[piece] + here
                if start_of[end] is None or candidate > best[end]:
                    best[end], start_of[end], piece_of[end] = candidate, start, piece
                single = single or end == start + 1
            if not single:
                candidate = self._unk_score + here
                if start_of[start + 1] is None or candidate > best[start + 1]:
                    best[start + 1], start_of[start + 1] = candidate, start
                    piece_of[start + 1] = self._unk_id
        return self._backtrack(word, start_of, piece_of)

    def _backtrack(self, word: str, start_of: list[int | None], piece_of: list[int]) -> list[int]:
        out: list[int] = []
        unknown_end: int | None = None  # where the run of unknowns being walked ends
        end = len(word)
        while end > 0:
            start = start_of[end]
            assert start is not None
            if piece_of[end] == self._unk_id:
                unknown_end = end if unknown_end is None else unknown_end
            else:
                if unknown_end is not None:
                    out.append(self._ids.get(word[end:unknown_end], self._unk_id))
                    unknown_end = None
                out.append(piece_of[end])
            end = start
        if unknown_end is not None:
            out.append(self._ids.get(word[:unknown_end], self._unk_id))
        out.reverse()
        return out

    def ids(self, text: str) -> list[int]:
        """`<s>`, the text's ids, `</s>`; cut to `max_length` as tokenizers truncates."""
        out = [self._bos]
        for segment in self._segments(text):
            if isinstance(segment, int):
                out.append(segment)
                continue
            for word in self._words(segment):
                out.extend(self.word_ids(word))
        return [*out[: self._max_length - 1], self._eos]

    def encode_batch(self, texts: list[str]) -> list[Encoding]:
        """The ids of each text, in order."""
        return [Encoding(self.ids(text)) for text in texts]
