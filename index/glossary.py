"""A Korean-English glossary of ML and bootcamp terms, to widen a question's search words.

Campers write Korean prose with English technical terms and ask in either language: a question
about `정규화 세기` should meet notes that say `regularization`, and `average star rating`
notes that say `평균 별점`. When every word of one side of an entry is in a question, the
other side's words join the lexical query.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

# (Korean, English) pairs; several English words may share one Korean term and vice versa.
PAIRS: tuple[tuple[str, str], ...] = (
    ("정규화", "regularization"), ("정규화", "normalization"), ("가중치", "weight"),
    ("편향", "bias"), ("손실", "loss"), ("손실 함수", "loss function"), ("학습률", "learning rate"),
    ("배치", "batch"), ("에폭", "epoch"), ("과적합", "overfitting"), ("일반화", "generalization"),
    ("최적화", "optimization"), ("옵티마이저", "optimizer"), ("경사 하강법", "gradient descent"),
    ("기울기", "gradient"), ("기울기 소실", "vanishing gradient"), ("역전파", "backpropagation"),
    ("활성화 함수", "activation function"), ("초기화", "initialization"), ("드롭아웃", "dropout"),
    ("데이터셋", "dataset"), ("데이터 로더", "dataloader"), ("증강", "augmentation"),
    ("전처리", "preprocessing"), ("특성", "feature"), ("피처", "feature"), ("라벨", "label"),
    ("레이블", "label"), ("분류", "classification"), ("회귀", "regression"),
    ("군집", "clustering"), ("클러스터링", "clustering"), ("임베딩", "embedding"),
    ("어텐션", "attention"), ("트랜스포머", "transformer"), ("인코더", "encoder"),
    ("디코더", "decoder"), ("텐서", "tensor"), ("행렬", "matrix"), ("벡터", "vector"),
    ("행렬 분해", "matrix factorization"), ("내적", "inner product"), ("내적", "dot product"),
    ("확률", "probability"), ("분포", "distribution"), ("평균", "average"), ("평균", "mean"),
    ("분산", "variance"), ("표준 편차", "standard deviation"), ("정확도", "accuracy"),
    ("재현율", "recall"), ("정밀도", "precision"), ("성능", "performance"), ("점수", "score"),
    ("평가", "evaluation"), ("지표", "metric"), ("검증", "validation"), ("추론", "inference"),
    ("학습", "training"), ("학습", "train"), ("모델", "model"), ("앙상블", "ensemble"),
    ("앙상블", "ensembling"), ("하이퍼파라미터", "hyperparameter"), ("튜닝", "tuning"),
    ("추천", "recommendation"), ("추천", "recommender"), ("추천 시스템", "recommender system"),
    ("협업 필터링", "collaborative filtering"), ("사용자", "user"), ("유저", "user"),
    ("아이템", "item"), ("상호작용", "interaction"), ("개인화", "personalization"),
    ("별점", "rating"), ("평점", "rating"), ("설문", "survey"), ("배포", "deploy"),
    ("배포", "deployment"), ("서비스", "service"), ("서버", "server"), ("데이터베이스", "database"),
    ("대회", "competition"), ("리더보드", "leaderboard"), ("제출", "submission"),
    ("팀", "team"), ("팀원", "teammate"), ("조원", "teammate"), ("멘토", "mentor"),
    ("멘토링", "mentoring"), ("강의", "lecture"), ("과제", "assignment"), ("특강", "lecture"),
    ("피어세션", "peer session"), ("회고", "retrospective"), ("이력서", "resume"),
    ("면접", "interview"), ("취업", "job"), ("친구", "friend"), ("게임", "game"),
    ("책", "book"), ("영화", "movie"), ("가상 환경", "virtual environment"),
    ("가상환경", "virtualenv"), ("환경 변수", "environment variable"), ("브랜치", "branch"),
    ("저장소", "repository"), ("커밋", "commit"), ("병합", "merge"), ("코드 리뷰", "code review"),
    ("파이프라인", "pipeline"), ("시간 복잡도", "time complexity"), ("메모리", "memory"),
    ("속도", "speed"), ("불균형", "imbalance"), ("오버샘플링", "oversampling"),
    ("샘플링", "sampling"), ("이미지", "image"), ("문장", "sentence"), ("단어", "word"),
    ("토큰", "token"), ("언어 모델", "language model"), ("합성곱", "convolution"),
    ("풀링", "pooling"), ("정사각형", "square"), ("크기", "size"), ("비율", "ratio"),
    ("시각화", "visualization"), ("실험", "experiment"), ("재현성", "reproducibility"),
    ("시드", "seed"), ("결과", "result"), ("만족도", "satisfaction"), ("피드백", "feedback"),
    ("논문", "paper"), ("구현", "implementation"), ("구조", "architecture"),
)


def _compact(text: str) -> str:
    """A term or question without spaces, lower-cased: how surface forms are compared."""
    return "".join(text.split()).lower()


class Glossary:
    """Both sides of every pair as search tokens, for fast expansion of a question.

    Some terms lose part of themselves to the tokenizer (`학습률` becomes `학습`, `불균형`
    becomes `균형`): matched on tokens, every question with `학습` would gain `learning rate`.
    Such a side is matched on its written form in the question's text instead.
    """

    def __init__(self, tokenize: Callable[[str], list[str]]) -> None:
        entries, surfaces = _built(tokenize)
        self.entries: list[tuple[frozenset[str], tuple[str, ...]]] = list(entries)
        # Per entry: the written term the question must contain, when its tokens do not
        # spell it whole; None when the tokens are the term.
        self.surfaces: list[str | None] = list(surfaces)

    def expand(self, tokens: list[str], text: str | None = None) -> list[str]:
        """The question's tokens plus the other-language words of every entry it holds.

        `text` is the question as written; without it, entries matched on their written
        form never apply.
        """
        present = set(tokens)
        written = _compact(text) if text is not None else None
        extra: list[str] = []
        for (side, other), surface in zip(self.entries, self.surfaces, strict=True):
            if not side <= present:
                continue
            if surface is not None and (written is None or surface not in written):
                continue
            extra.extend(t for t in other if t not in present and t not in extra)
        return tokens + extra


Entries = tuple[tuple[tuple[frozenset[str], tuple[str, ...]], ...], tuple[str | None, ...]]


@lru_cache(maxsize=8)
def _built(tokenize: Callable[[str], list[str]]) -> Entries:
    """The entries and surfaces of every pair, tokenized once per tokenizer: an open builds
    a glossary for the index and for the curated matcher, a rebuild another (a bound
    `tokenizer.tokens` is the same key each time it is taken)."""
    entries: list[tuple[frozenset[str], tuple[str, ...]]] = []
    surfaces: list[str | None] = []
    for korean, english in PAIRS:
        ko, en = tuple(tokenize(korean)), tuple(tokenize(english))
        if ko and en:
            for term, side, other in ((korean, ko, en), (english, en, ko)):
                entries.append((frozenset(side), other))
                whole = "".join(side).lower() == _compact(term)
                surfaces.append(None if whole else _compact(term))
    return tuple(entries), tuple(surfaces)
