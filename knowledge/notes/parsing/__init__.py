"""Markdown journal parsing: `parse_document` turns one file into citable sections."""

from knowledge.notes.parsing.dispatch import parse_document
from knowledge.notes.parsing.section import ParsedSection

__all__ = ["ParsedSection", "parse_document"]
