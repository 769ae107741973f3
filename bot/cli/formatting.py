"""Plain-text rendering of answers for the terminal and the command line."""

from __future__ import annotations

from knowledge.views import Answer


def render_answer(answer: Answer) -> str:
    """An answer as a person reads it in a terminal: text, then where it comes from."""
    lines = [answer.text]
    if answer.kind == "curated":
        lines.append(f"— curated answer by {answer.curated_author}")
    if answer.citations:
        lines.append("")
        lines.append("출처 / Sources:")
        for citation in answer.citations:
            lines.append(f"  · {citation.label}: “{citation.quote}”")
    if answer.kind == "abstain" and answer.nearest_topics:
        lines.append("")
        lines.append("가까운 주제 / Nearest topics: " + "; ".join(answer.nearest_topics))
    return "\n".join(lines)
