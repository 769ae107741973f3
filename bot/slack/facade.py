"""The one place the Slack transport calls the core: each call names its workspace's space.

Every call takes the Slack team id and turns it into the space (`slack:<team id>`) with
`space_of` and passes it as `space=`, here and nowhere else.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from knowledge.conversation import Conversation
from knowledge.core import Sunbae
from knowledge.store.ask_stats import AskStats
from knowledge.views import (
    Answer,
    AskRecord,
    CuratedView,
    IngestAllowance,
    IngestReport,
    NoteFile,
    UnansweredGroup,
)


def space_of(team_id: str | None) -> str:
    """The space of a Slack workspace: `slack:<team id>`."""
    return f"slack:{team_id or '-'}"


class SlackCore:
    """The facade as the Slack handlers see it: async, and scoped to one workspace per call."""

    def __init__(self, core: Sunbae) -> None:
        self.core = core

    async def ask(self, team: str | None, question: str, *, user: str | None = None,
                  channel: str | None = None, max_citations: int | None = None,
                  record: bool = True, context: Conversation | None = None) -> Answer:
        """Answer a question asked in `team` (on the core's worker threads)."""
        return await self.core.ask_async(question, space=space_of(team), user=user,
                                         channel=channel, max_citations=max_citations,
                                         record=record, context=context)

    async def conversation(self, team: str | None, place: str) -> Conversation | None:
        """The context of a follow-up in a thread of `team` logged under `place`."""
        return await asyncio.to_thread(
            lambda: self.core.conversation(channel=place, space=space_of(team)))

    async def get_ask(self, team: str | None, ask_id: int) -> AskRecord | None:
        """One logged ask of `team` (None when there is none)."""
        return await asyncio.to_thread(lambda: self.core.get_ask(ask_id, space=space_of(team)))

    async def vote(self, team: str | None, ask_id: int, user: str, vote: int) -> tuple[int, int]:
        """Store a vote (KeyError when the ask is gone); the ask's (👍, 👎) after it."""
        space = space_of(team)
        await asyncio.to_thread(lambda: self.core.vote(ask_id, user, vote, space=space))
        return await asyncio.to_thread(lambda: self.core.votes(ask_id, space=space))

    async def unanswered(self, team: str | None, *, limit: int = 20) -> list[UnansweredGroup]:
        """The questions of `team` Sunbae could not answer, grouped."""
        return await asyncio.to_thread(lambda: self.core.unanswered(limit=limit,
                                                                   space=space_of(team)))

    async def ask_stats(self, team: str | None, *, days: int = 7) -> AskStats:
        """How questions of `team` went over the last `days` days."""
        return await asyncio.to_thread(lambda: self.core.ask_stats(days=days,
                                                                  space=space_of(team)))

    async def resolve(self, team: str | None, ask_ids: Sequence[int]) -> None:
        """Take questions off the unanswered list."""
        await asyncio.to_thread(lambda: self.core.resolve(ask_ids, space=space_of(team)))

    async def promote(self, team: str | None, ask_id: int, *, author: str, answer: str,
                      question: str) -> CuratedView:
        """Save an ask's answer (or a maintainer's) as curated."""
        return await asyncio.to_thread(lambda: self.core.promote(
            ask_id, author=author, answer=answer, question=question, space=space_of(team)))

    async def alike_unanswered(self, team: str | None, ask_id: int) -> list[int]:
        """The open asks of `team` grouped with `ask_id`, itself first."""
        return await asyncio.to_thread(
            lambda: self.core.alike_unanswered(ask_id, space=space_of(team)))

    async def explain_vote(self, team: str | None, ask_id: int, user: str, reason: str,
                           text: str | None = None) -> None:
        """Keep why `user` voted 👎 (KeyError when they have no 👎 on that ask)."""
        await asyncio.to_thread(lambda: self.core.explain_vote(ask_id, user, reason, text,
                                                               space=space_of(team)))

    async def maintainers_channel(self, team: str | None) -> str | None:
        """The channel stored for `team`'s maintainers' cards (None: none stored)."""
        return await asyncio.to_thread(
            lambda: self.core.maintainers_channel(space=space_of(team)))

    async def set_maintainers_channel(self, team: str | None, channel: str | None) -> None:
        """Store (None: clear) `team`'s maintainers' channel."""
        await asyncio.to_thread(
            lambda: self.core.set_maintainers_channel(channel, space=space_of(team)))

    async def sees_shared(self, team: str | None) -> bool:
        """Whether `team`'s workspace sees the curated answers shipped with Sunbae."""
        return await asyncio.to_thread(lambda: self.core.sees_shared(space=space_of(team)))

    async def set_sees_shared(self, team: str | None, choice: bool | None) -> None:
        """Store whether `team` sees them (None: back to SUNBAE_SEE_SHARED)."""
        await asyncio.to_thread(lambda: self.core.set_sees_shared(choice, space=space_of(team)))

    async def channel_modes(self, team: str | None) -> dict[str, str]:
        """The channels of `team` with a stored mode (auto, mention, off)."""
        return await asyncio.to_thread(lambda: self.core.channel_modes(space=space_of(team)))

    async def set_channel_mode(self, team: str | None, channel: str, mode: str | None) -> None:
        """Store a channel's mode (None: back to the defaults)."""
        await asyncio.to_thread(
            lambda: self.core.set_channel_mode(channel, mode, space=space_of(team)))

    async def ask_cites(self, team: str | None, ask_id: int) -> list[str]:
        """The days an ask of `team` cited, as `<file>.md · Day K` cites."""
        return await asyncio.to_thread(lambda: self.core.ask_cites(ask_id, space=space_of(team)))

    async def promote_citing(self, team: str | None, ask_id: int, *, author: str,
                             cites: list[str], answer: str, question: str) -> CuratedView:
        """`promote`, citing the days as a maintainer edited them (CurationError naming a
        cite no note of `team` holds)."""
        return await asyncio.to_thread(lambda: self.core.promote_citing(
            ask_id, author=author, cites=cites, answer=answer, question=question,
            space=space_of(team)))

    async def list_curated(self, team: str | None) -> list[CuratedView]:
        """The active curated answers."""
        return await asyncio.to_thread(lambda: self.core.list_curated(space=space_of(team)))

    async def get_curated(self, team: str | None, slug: str) -> CuratedView:
        """One curated answer (CurationError when there is none)."""
        return await asyncio.to_thread(lambda: self.core.get_curated(slug, space=space_of(team)))

    async def add_curated(self, team: str | None, *, question: str, answer: str, author: str,
                          paraphrases: list[str], cites: list[str]) -> CuratedView:
        """Create a curated answer."""
        return await asyncio.to_thread(lambda: self.core.add_curated(
            question=question, answer=answer, author=author, paraphrases=paraphrases,
            cites=cites, space=space_of(team)))

    async def edit_curated(self, team: str | None, slug: str, *, author: str, question: str,
                           answer: str, paraphrases: list[str], cites: list[str]) -> CuratedView:
        """Change a curated answer (its old version stays in the history)."""
        return await asyncio.to_thread(lambda: self.core.edit_curated(
            slug, author=author, question=question, answer=answer, paraphrases=paraphrases,
            cites=cites, space=space_of(team)))

    async def retire_curated(self, team: str | None, slug: str, *, author: str) -> CuratedView:
        """Stop using a curated answer."""
        return await asyncio.to_thread(lambda: self.core.retire_curated(
            slug, author=author, space=space_of(team)))

    async def note_owners(self, team: str | None, keys: Sequence[str]) -> dict[str, str | None]:
        """Who ingested each stored note of `keys` (missing keys are left out)."""
        space = space_of(team)

        def owners() -> dict[str, str | None]:
            return {key: self.core.source_author(key, space=space) for key in keys
                    if self.core.source_exists(key, space=space)}
        return await asyncio.to_thread(owners)

    async def ingest_notes(self, team: str | None, notes: Sequence[NoteFile]) -> IngestReport:
        """Store notes of `team` in one ingest."""
        return await asyncio.to_thread(
            lambda: self.core.ingest_notes(notes, space=space_of(team)))

    async def reserve_upload(self, team: str | None, nbytes: int, *, user: str,
                             with_cooldown: bool = True) -> IngestAllowance:
        """Count an upload against `user`'s cooldown and the workspace's hourly quota."""
        return await asyncio.to_thread(lambda: self.core.reserve_upload(
            nbytes, user=user, space=space_of(team), with_cooldown=with_cooldown))

    async def release_upload(self, team: str | None, allowance: IngestAllowance) -> None:
        """Give back a reservation whose upload stored nothing."""
        await asyncio.to_thread(lambda: self.core.release_upload(allowance,
                                                                 space=space_of(team)))
