"""Check the Python Unigram tokenizer against tokenizer.json on every text of the shared corpora.

`python -m index.model.piece_check ONNX_FOLDER CORPUS_DIR... --questions FILE...`: every note
file whole, each of its paragraphs and lines (as passages, with the passage prompt), every
question of the question files (with the query prompt, and its answer as a passage). Prints
the count and the first differences; exits 1 on any.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path

NOTE_SUFFIXES = {".md", ".txt", ".markdown"}


def note_texts(corpus: Path) -> Iterator[str]:
    """Each note file of a corpus whole, then its paragraphs and lines, as passages."""
    for path in sorted(corpus.rglob("*")):
        if path.suffix.lower() not in NOTE_SUFFIXES or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        yield "passage: " + text
        for paragraph in text.split("\n\n"):
            yield "passage: " + paragraph
            yield from ("passage: " + line for line in paragraph.splitlines() if line.strip())


def question_texts(path: Path) -> Iterator[str]:
    """Each question (query prompt) and answer (passage prompt) of a JSONL question file."""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            yield "query: " + str(row.get("q", ""))
            if row.get("answer"):
                yield "passage: " + str(row["answer"])


def compare(folder: Path, texts: list[str], show: int = 5) -> int:
    """How many texts get other ids from the two tokenizers (the first few are printed)."""
    from index.onnx_embedder import hf_tokenizer
    from index.unigram_tokenizer import UnigramTokenizer

    reference = hf_tokenizer(folder / "tokenizer.json")
    pieces = UnigramTokenizer(folder, 512)
    differ = 0
    for start in range(0, len(texts), 256):
        batch = texts[start : start + 256]
        expected = [e.ids for e in reference.encode_batch(batch)]
        for text, want in zip(batch, expected, strict=True):
            got = pieces.ids(text)
            if got != want:
                differ += 1
                if differ <= show:
                    print(f"differ: {text[:80]!r}\n  tokenizers {want[:40]}\n"
                          f"  unigram    {got[:40]}")
    return differ


def main(argv: list[str] | None = None) -> int:
    """Run the check; 0 when every text gets the same ids."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("corpora", type=Path, nargs="*")
    parser.add_argument("--questions", type=Path, nargs="*", default=[])
    args = parser.parse_args(argv)
    texts = [t for corpus in args.corpora for t in note_texts(corpus)]
    texts += [t for path in args.questions for t in question_texts(path)]
    differ = compare(args.folder, texts)
    print(f"{len(texts)} texts, {differ} with other ids")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
