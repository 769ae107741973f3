"""Pick a document's layout, run its parser and fill in what the path and front matter say."""

from __future__ import annotations

import dataclasses
import logging

from knowledge.notes.parsing import day_notes, details_diary, headings, weekly_journal
from knowledge.notes.parsing.dates import date_from_path, file_name, short_path, week_from_path
from knowledge.notes.parsing.front_matter import FrontMatter, split_front_matter
from knowledge.notes.parsing.markdown import Document
from knowledge.notes.parsing.section import ParsedSection, join_label

log = logging.getLogger(__name__)


def _layout_sections(doc: Document, meta: FrontMatter) -> list[ParsedSection]:
    # Most specific layout first: dated days, then details diaries, then per-day notes.
    if weekly_journal.matches(doc):
        return weekly_journal.parse(doc)
    if details_diary.matches(doc):
        return details_diary.parse(doc, file_name(doc.path))
    if day_notes.matches(doc):
        return day_notes.parse(doc, short_path(doc.path))
    return headings.parse(doc, file_name(doc.path), meta.title)


def _whole_file(text: str, path: str, meta: FrontMatter) -> ParsedSection:
    """The last resort: the whole text as one section labelled by the file name."""
    return ParsedSection(
        ordinal=0,
        label=join_label(file_name(path), meta.title),
        title=meta.title or "",
        text=text.strip(),
    )


def _complete(section: ParsedSection, meta: FrontMatter, path: str) -> ParsedSection:
    """Fill the fields a layout left empty from the front matter, then from the path."""
    return dataclasses.replace(
        section,
        date=section.date or meta.date or date_from_path(path),
        url=section.url or meta.url,
        keywords=section.keywords or meta.keywords,
        week=section.week if section.week is not None else week_from_path(path),
    )


def parse_sections(text: str, path: str) -> list[ParsedSection]:
    """The sections of one document; may raise on a parser bug (see parse_document)."""
    if not text.strip():
        return []
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.startswith("\ufeff"):
        # A byte-order mark would hide a first-line `# Title` or `---` front matter.
        text = text[1:]
    meta, body = split_front_matter(text)
    doc = Document.from_text(body, path)
    drafts = _layout_sections(doc, meta)
    sections = [s for s in drafts if s.text.strip()]
    if not sections:
        # Headings with nothing under them, a bare front matter block, only a TOC...:
        # whatever there is still deserves to be findable, under the layout's first label.
        whole = body if body.strip() else text
        sections = [
            dataclasses.replace(drafts[0], text=whole.strip())
            if drafts
            else _whole_file(whole, path, meta)
        ]
    return [
        dataclasses.replace(_complete(section, meta, path), ordinal=ordinal)
        for ordinal, section in enumerate(sections)
    ]


def parse_document(text: str, path: str) -> list[ParsedSection]:
    """The sections of one Markdown document, in order; [] for blank text. Never raises."""
    try:
        return parse_sections(text, path)
    except Exception:  # one odd file must not stop an ingest run
        log.exception("could not parse %s by its layout; keeping it whole", path)
        if not text.strip():
            return []
        return [_whole_file(text, path, FrontMatter())]
