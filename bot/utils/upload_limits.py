"""What a person hears when an upload is held by the cooldown or the space's hourly quota."""

from __future__ import annotations

import math

from knowledge.views import IngestAllowance


def _wait_words(seconds: float) -> tuple[str, str]:
    """The wait in Korean and English words: seconds under two minutes, else minutes."""
    if seconds < 120:
        wait = max(1, math.ceil(seconds))
        return f"{wait}초", f"{wait} s"
    minutes = math.ceil(seconds / 60)
    return f"{minutes}분", f"{minutes} min"


def upload_refusal(allowance: IngestAllowance, limit_bytes: int) -> str:
    """Why an upload was not taken and when to try again, in both languages."""
    ko, en = _wait_words(allowance.retry_after_s)
    limit = f"{limit_bytes / 1e6:.1f} MB"
    if allowance.reason == "cooldown":
        return (f"⏳ 노트는 {ko} 뒤에 다시 올릴 수 있어요. "
                f"(One upload at a time: please try again in {en}.)")
    if allowance.reason == "too_big":
        return (f"📦 한 번에 올리기엔 너무 커요: 이 서버는 한 시간에 {limit}까지 올릴 수 있어요. "
                f"(Too much at once: this space may upload {limit} per hour.)")
    return (f"📦 이 서버가 한 시간에 올릴 수 있는 양({limit})을 다 썼어요. {ko} 뒤에 다시 "
            f"해 주세요. (This space has used its {limit} per hour of uploads: please try "
            f"again in {en}.)")
