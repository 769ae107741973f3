"""The modals: a note to ingest, a curated answer to write or edit, an answer to save."""

from __future__ import annotations

import json
from typing import Any

from bot.slack.blocks import Block
from bot.slack.mrkdwn import cut
from knowledge.notes.reading import NOTE_SUFFIXES
from knowledge.views import CuratedView

INGEST = "sunbae_ingest"
CURATED = "sunbae_curated"
PROMOTE = "sunbae_promote"
INPUT_LIMIT = 3000  # a plain_text_input's max_length


def text_input(block_id: str, label: str, *, initial: str = "", multiline: bool = False,
               optional: bool = False, hint: str = "") -> Block:
    """An input block holding one text field (its action id is its block id)."""
    element: Block = {"type": "plain_text_input", "action_id": block_id,
                      "multiline": multiline, "max_length": INPUT_LIMIT}
    if initial:
        element["initial_value"] = cut(initial, INPUT_LIMIT)
    block: Block = {"type": "input", "block_id": block_id, "optional": optional,
                    "label": {"type": "plain_text", "text": label}, "element": element}
    if hint:
        block["hint"] = {"type": "plain_text", "text": hint}
    return block


def modal(callback_id: str, title: str, blocks: list[Block], metadata: dict[str, Any]) -> Block:
    """A modal view; what the submission needs rides in its private metadata."""
    return {"type": "modal", "callback_id": callback_id,
            "title": {"type": "plain_text", "text": title},
            "submit": {"type": "plain_text", "text": "Save · 저장"},
            "close": {"type": "plain_text", "text": "Cancel"},
            "private_metadata": json.dumps(metadata), "blocks": blocks}


def ingest_modal(channel: str | None) -> Block:
    """Note files (up to three), or a title and pasted text."""
    files: Block = {
        "type": "input", "block_id": "files", "optional": True,
        "label": {"type": "plain_text", "text": "Note files · 노트 파일 (.md, .txt, UTF-8)"},
        "element": {"type": "file_input", "action_id": "files", "max_files": 3,
                    "filetypes": [suffix.lstrip(".") for suffix in NOTE_SUFFIXES]},
    }
    return modal(INGEST, "Add notes · 노트 추가", [
        files,
        text_input("title", "Title of pasted text · 제목", optional=True),
        text_input("text", "Pasted note · 붙여넣은 노트", multiline=True, optional=True),
    ], {"channel": channel})


def curated_modal(channel: str | None, view: CuratedView | None = None) -> Block:
    """A curated answer to write (view None) or to edit."""
    blocks = [
        text_input("question", "Question · 질문", initial=view.question if view else ""),
        text_input("answer", "Answer · 답변", multiline=True,
                   initial=view.answer if view else ""),
        text_input("paraphrases", "Other wordings · 다른 표현", multiline=True, optional=True,
                   initial="\n".join(view.paraphrases) if view else "", hint="One per line."),
        text_input("cites", "Cited days · 인용", multiline=True, optional=True,
                   initial="\n".join(view.cites) if view else "",
                   hint="Citation labels, one per line (e.g. Week 2 · Day 8 (11/15))."),
    ]
    title = "Edit curated · 수정" if view else "New curated · 새 답변"
    return modal(CURATED, title, blocks, {"channel": channel, "slug": view.slug if view else None})


def promote_modal(channel: str | None, ask_ids: list[int], question: str, answer: str, *,
                  team: str | None = None, cites: list[str] | None = None) -> Block:
    """An ask's question, answer and cited days, prefilled, to save as a curated answer (in
    `team`'s space: the submission is refused from another workspace)."""
    return modal(PROMOTE, "Save as curated", [
        text_input("question", "Question · 질문", initial=question),
        text_input("answer", "Answer · 답변", multiline=True, initial=answer),
        text_input("cites", "Cited days · 출처", multiline=True, optional=True,
                   initial="\n".join(cites or []),
                   hint="One a line, e.g. week2.md · Day 8 (empty: cite nothing)."),
    ], {"channel": channel, "ask_ids": ask_ids, "team": team})


def values(body: dict[str, Any]) -> dict[str, Any]:
    """A submitted modal's fields by block id: text as str, files as a list of file objects."""
    found: dict[str, Any] = {}
    for block_id, actions in body["view"]["state"]["values"].items():
        for state in actions.values():
            found[block_id] = state.get("files") if state.get("type") == "file_input" \
                else (state.get("value") or "")
    return found


def metadata(body: dict[str, Any]) -> dict[str, Any]:
    """A submitted modal's private metadata."""
    loaded = json.loads(body["view"].get("private_metadata") or "{}")
    return loaded if isinstance(loaded, dict) else {}


def lines(text: str) -> list[str]:
    """The non-empty lines of a field."""
    return [line.strip() for line in text.splitlines() if line.strip()]
