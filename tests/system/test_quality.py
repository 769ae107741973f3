"""Answer quality on the development questions, with the real default model (not timing)."""

from __future__ import annotations

import pytest

from knowledge.evaluation.evaluate import run_eval
from tests.conftest import CORPUS, SHARED

DEV = SHARED / "eval" / "dev.jsonl"

pytestmark = pytest.mark.skipif(not DEV.exists(), reason="shared/eval is not beside the repo")


@pytest.fixture(scope="module")
def dev_metrics(tmp_path_factory, embedder):  # type: ignore[no-untyped-def]
    """`sunbae eval dev.jsonl --corpus juniork725`, computed once for this module."""
    from knowledge.settings import Settings
    from tests.conftest import model_cache

    settings = Settings(_env_file=None, data_dir=tmp_path_factory.mktemp("eval"),
                        model_cache=model_cache())
    metrics, _ = run_eval(DEV, [CORPUS / "juniork725"], settings=settings, embedder=embedder)
    return metrics


def test_dev_hit_at_1(dev_metrics) -> None:  # type: ignore[no-untyped-def]
    """The answering day is cited first for at least 85% of answerable questions."""
    assert dev_metrics["hit@1"] >= 0.85, dev_metrics


def test_dev_hit_at_5(dev_metrics) -> None:  # type: ignore[no-untyped-def]
    """The answering day is among the first five citations for at least 95%."""
    assert dev_metrics["hit@5"] >= 0.95, dev_metrics


def test_dev_abstains_on_unanswerable(dev_metrics) -> None:  # type: ignore[no-untyped-def]
    """At least 75% of the questions the journals do not answer get 'not yet' (or curated)."""
    assert dev_metrics["abstain_recall"] >= 0.75, dev_metrics


def test_dev_rarely_abstains_on_answerable(dev_metrics) -> None:  # type: ignore[no-untyped-def]
    """At most 10% of answerable questions are wrongly declined."""
    assert dev_metrics["false_abstain"] <= 0.10, dev_metrics


def test_dev_answers_quote_the_evidence(dev_metrics) -> None:  # type: ignore[no-untyped-def]
    """At least 60% of answers contain the reference evidence sentence."""
    assert dev_metrics["evidence_recall"] >= 0.6, dev_metrics
