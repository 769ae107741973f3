"""What a curated answer is about: its key terms, so only questions on its subject match it.

e5-small puts most on-topic pairs between 0.80 and 0.92, so a question about a neighbouring
subject (another sampler, another norm) can be as near a curated phrasing as a true paraphrase.
A curated answer therefore also needs the question to name its subject: one of its key terms,
or a glossary word for one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

# Words too general to mark a subject on their own (most ML questions hold them).
GENERIC = frozenset(
    """뭐 무엇 어떻 하 되 있 없 이 그 차이 의미 방법 이유 사용 사용법 결과 모델 레이어 텐서
    tensor layer model pytorch torch 학습 에러 error 값 기본 기본값 default 크기 size 왜 법 역할
    원리 how what why when does do use in the of vs 때 쓰 하나 바꾸 정리 경우 다르 다른
    difference after 후 다음 넘기 만들 추가 문제 코드 code 함수 function 어디 생기 모양 shape
    개 몇 데이터 data""".split()
)


def tag_words(tags: Iterable[str]) -> set[str]:
    """The words of an answer's tags (`git-fetch` → `git`, `fetch`), lowercased."""
    return {word.lower() for tag in tags for word in tag.replace("-", " ").split()}


def key_terms(
    phrasings: Sequence[frozenset[str]],
    tags: Iterable[str],
    others: Iterable[tuple[Sequence[frozenset[str]], Iterable[str]]] = (),
) -> frozenset[str]:
    """The words that say what one curated answer is about.

    `phrasings` are the tokens of its main question (first) and its paraphrases. A key term is
    a content word (not GENERIC, longer than one character) of the main question, or one in at
    least two phrasings, or a tag word; minus every word another curated answer (`others`:
    their phrasings and tags) also uses, since such a word does not tell the two apart
    (`batch`, `autograd`, `dataloader` are shared).
    """
    def content(tokens: Iterable[str]) -> set[str]:
        return {t for t in tokens if t not in GENERIC and len(t) > 1}

    counts: Counter[str] = Counter()
    for tokens in phrasings:
        counts.update(content(tokens))
    terms = {t for t, n in counts.items() if n >= 2}
    if phrasings:
        terms |= content(phrasings[0])
    terms |= content(tag_words(tags))
    shared: set[str] = set()
    for other_phrasings, other_tags in others:
        for tokens in other_phrasings:
            shared |= tokens
        shared |= tag_words(other_tags)
    return frozenset(terms - shared)
