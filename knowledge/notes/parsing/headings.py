"""Any other Markdown: one section per top-level heading, or the whole file as one."""

from __future__ import annotations

from knowledge.notes.parsing.markdown import Document, segments
from knowledge.notes.parsing.section import ParsedSection, clip, join_label


def _split_level(doc: Document) -> int:
    # Split at H1/H2; a note that only uses ### or deeper splits at its shallowest level.
    levels = [h.level for h in doc.headings]
    return max(2, min(levels)) if levels else 0


def parse(doc: Document, name: str, doc_title: str | None = None) -> list[ParsedSection]:
    """Sections labelled `name · H1 › H2`; text before the first heading is labelled `name`."""
    level = _split_level(doc)
    splits = [h for h in doc.headings if h.level <= level]
    sections: list[ParsedSection] = []
    trail: list[tuple[int, str]] = []
    if doc_title and not any(h.level == 1 for h in splits):
        # Posts often keep their title in front matter and start at `##`: let it lead.
        trail = [(0, clip(doc_title))]
    lead_title = doc_title or ""
    for heading, start, end in segments(splits, len(doc.lines)):
        if heading is None:
            label, title = join_label(name, lead_title), clip(lead_title)
        else:
            # Keep the enclosing headings: "README.md · Boostcamp AI Tech › U Stage".
            trail = [(lvl, t) for lvl, t in trail if lvl < heading.level]
            if heading.title:
                trail.append((heading.level, clip(heading.title)))
            label = join_label(name, " › ".join(t for _, t in trail))
            title = clip(heading.title)
        text = doc.body(start, end)
        sections.append(ParsedSection(ordinal=0, label=label, title=title, text=text))
    return sections
