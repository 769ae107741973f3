"""Plain-text rendering of answers for the terminal and the command line."""

from __future__ import annotations

from knowledge.text.cleaning import strip_controls, unmask_links
from knowledge.views import Answer


def terminal_text(text: str | None, *, one_line: bool = False) -> str:
    """Text from notes or people as a terminal may print it: no control characters (escape
    sequences would act on the reader's terminal), links written out."""
    return unmask_links(strip_controls(text or "", keep_newlines=not one_line))


def render_answer(answer: Answer) -> str:
    """An answer as a person reads it in a terminal: text, then where it comes from."""
    lines = [terminal_text(answer.text)]
    if answer.kind == "curated":
        lines.append(f"— curated answer by {terminal_text(answer.curated_author, one_line=True)}")
    if answer.shown_days():
        lines.append("")
        lines.append("출처 / Sources:")
        for citation in answer.shown_days():
            label = terminal_text(citation.label, one_line=True)
            lines.append(f"  · {label}: “{terminal_text(citation.quote, one_line=True)}”")
    if answer.kind == "abstain" and answer.nearest_topics:
        lines.append("")
        topics = (terminal_text(topic, one_line=True) for topic in answer.nearest_topics)
        lines.append("가까운 주제 / Nearest topics: " + "; ".join(topics))
    return "\n".join(lines)
