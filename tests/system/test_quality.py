"""Answer quality with the real default model (not timing): the development questions, and the
leave-one-corpus-out protocol of `make eval` over all five development corpora."""

from __future__ import annotations

import pytest

from knowledge.evaluation.evaluate import run_eval
from tests.conftest import CORPUS, REPO, SHARED

DEV = SHARED / "eval" / "dev.jsonl"
VECTORS = REPO / "data" / "eval-vectors" / "vectors.sqlite"

pytestmark = pytest.mark.skipif(not DEV.exists(), reason="shared/eval is not beside the repo")


@pytest.fixture(scope="module")
def dev_metrics(tmp_path_factory, embedder):  # type: ignore[no-untyped-def]
    """`sunbae eval dev.jsonl --corpus juniork725`, computed once for this module (vectors
    kept in data/eval-vectors, as `make eval` keeps them)."""
    from knowledge.evaluation.vector_cache import CachedEmbedder
    from knowledge.settings import Settings
    from tests.conftest import model_cache

    settings = Settings(_env_file=None, data_dir=tmp_path_factory.mktemp("eval"),
                        model_cache=model_cache())
    # int8 vectors depend on their batch: texts the session's embedder already embedded in other
    # tests (its LRU) would differ from a fresh run's; start from an empty LRU every time.
    embedder.clear_cache()
    cached = CachedEmbedder(embedder, VECTORS)
    try:
        metrics, _ = run_eval(DEV, [CORPUS / "juniork725"], settings=settings, embedder=cached)
    finally:
        cached.close()
    return metrics


def test_dev_hit_at_1(dev_metrics) -> None:  # type: ignore[no-untyped-def]
    """The answering day is cited first for at least 76% of answerable questions.

    Was 85% (0.857 measured) with the eleven-signal model fitted in-sample; with the shipped
    verification model (fitted on all five corpora) and curated answers that cite only the
    shipped sample's days as their own, 0.810 (34 of 42) on the machines of 2026-12-03 and
    0.786 (33) on an AVX-512 VNNI one (see LOCO_FLOORS): a regression guard, one question
    below the lower, not a result (the out-of-corpus figures are the LOCO ones below)."""
    assert dev_metrics["hit@1"] >= 0.76, dev_metrics


def test_dev_hit_at_5(dev_metrics) -> None:  # type: ignore[no-untyped-def]
    """The answering day is among the first five citations for at least 88%.

    Was 95% (0.952) with the in-sample eleven-signal model; 0.929 (39 of 42) on the machines
    of 2026-12-03, 0.905 (38) on an AVX-512 VNNI one; one question below the lower."""
    assert dev_metrics["hit@5"] >= 0.88, dev_metrics


def test_dev_abstains_on_unanswerable(dev_metrics) -> None:  # type: ignore[no-untyped-def]
    """At least 75% of the questions the journals do not answer get 'not yet' (or curated)."""
    assert dev_metrics["abstain_recall"] >= 0.75, dev_metrics


def test_dev_rarely_abstains_on_answerable(dev_metrics) -> None:  # type: ignore[no-untyped-def]
    """At most 10% of answerable questions are wrongly declined."""
    assert dev_metrics["false_abstain"] <= 0.10, dev_metrics


def test_dev_answers_quote_the_evidence(dev_metrics) -> None:  # type: ignore[no-untyped-def]
    """At least 60% of answers contain the reference evidence sentence."""
    assert dev_metrics["evidence_recall"] >= 0.6, dev_metrics


# -- leave-one-corpus-out (make eval) ------------------------------------------------------------
# What the protocol reached on the int8 embedder when this was written, less one question of
# slack per figure: a regression guard, not the goal. The floors are higher (per corpus
# hit@1 >= 0.80, hit@5 >= 0.92, abstain recall >= 0.70, false abstain <= 0.08, evidence recall
# >= 0.65, curated_wrong = 0) and are not all met yet (README, "Answerability").
# Measured over all five corpora (merged main, int8 embedder, 2026-12-03), and again on
# 2026-12-04 on an AMD EPYC with AVX-512 VNNI: the same code (b62c83d, and this main), the
# same model files byte for byte, gave juniork725 and bluecandle one or two questions less
# and hongsusoo more. ONNX Runtime picks its int8 matrix kernels by CPU, so the vectors, and
# these figures, depend a little on the machine (the earlier machines' CPUs were not
# recorded). Each floor is one question below the lower of the two.
LOCO_FLOORS: dict[str, dict[str, float]] = {
    # reached: 0.810 / 0.929 / 1.000 / 0.048 / 0.762 / 0; VNNI 0.786 / 0.905 / 1.000 / 0.071
    # / 0.786 / 0
    "juniork725": {"hit@1": 0.761, "hit@5": 0.880, "abstain_recall": 0.874,
                   "false_abstain": 0.096, "evidence_recall": 0.737, "curated_wrong": 0},
    # reached: 0.656 / 0.844 / 0.625 / 0.062 / 0.625 / 0; VNNI 0.688 / 0.875 / 0.625 / 0.062
    # / 0.656 / 0
    "hongsusoo": {"hit@1": 0.624, "hit@5": 0.812, "abstain_recall": 0.499,
                  "false_abstain": 0.094, "evidence_recall": 0.593, "curated_wrong": 0},
    # reached: 0.844 / 0.938 / 0.750 / 0.031 / 0.625 / 0; VNNI 0.781 / 0.906 / 0.750 / 0.031
    # / 0.594 / 0
    "bluecandle": {"hit@1": 0.749, "hit@5": 0.874, "abstain_recall": 0.624,
                   "false_abstain": 0.064, "evidence_recall": 0.562, "curated_wrong": 0},
    # reached: 0.882 / 0.941 / 0.833 / 0.029 / 0.618 / 0
    "peter-shlee": {"hit@1": 0.852, "hit@5": 0.911, "abstain_recall": 0.666,
                    "false_abstain": 0.06, "evidence_recall": 0.587, "curated_wrong": 0},
    # reached: 0.920 / 0.920 / 0.800 / 0.080 / 0.760 / 0
    "taehakim": {"hit@1": 0.879, "hit@5": 0.879, "abstain_recall": 0.599,
                 "false_abstain": 0.121, "evidence_recall": 0.719, "curated_wrong": 0},
}


@pytest.fixture(scope="module")
def loco(tmp_path_factory, embedder):  # type: ignore[no-untyped-def]
    """`make eval`: every corpus ingested once, each scored by a model fitted on the others.
    Vectors are kept in data/eval-vectors (as `make eval` keeps them): a rerun embeds nothing."""
    from knowledge.evaluation.loco import collect_all, default_sets, leave_one_out
    from knowledge.evaluation.vector_cache import CachedEmbedder
    from knowledge.settings import Settings
    from tests.conftest import model_cache

    settings = Settings(_env_file=None, data_dir=tmp_path_factory.mktemp("loco"),
                        model_cache=model_cache())
    embedder.clear_cache()  # as above
    cached = CachedEmbedder(embedder, VECTORS)
    try:
        sets = [s for s in default_sets() if s.name in LOCO_FLOORS]
        collected = collect_all(sets, settings, cached)
    finally:
        cached.close()
    return leave_one_out(collected, settings.answer_threshold)


@pytest.mark.parametrize("corpus", sorted(LOCO_FLOORS))
def test_out_of_corpus_figures_hold(loco, corpus: str) -> None:  # type: ignore[no-untyped-def]
    """Each held-out corpus keeps the figures reached, within one question."""
    row, floor = loco.rows[corpus], LOCO_FLOORS[corpus]
    assert row["hit@1"] >= floor["hit@1"], row
    assert row["hit@5"] >= floor["hit@5"], row
    assert row["abstain_recall"] >= floor["abstain_recall"], row
    assert row["false_abstain"] <= floor["false_abstain"], row
    assert row["evidence_recall"] >= floor["evidence_recall"], row
    assert row["curated_wrong"] <= floor["curated_wrong"], row


def test_no_fold_flips_a_signal(loco) -> None:  # type: ignore[no-untyped-def]
    """Every fold trusts the signals the same way (the 11-signal model flipped signs)."""
    for fold in loco.fits.values():
        weights = fold.model.weights
        assert weights["foreign"] < 0 and weights["number_missing"] < 0, weights
        assert weights["margin"] > 0 and weights["sent_top"] > 0, weights
