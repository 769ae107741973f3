"""The facade's maintainers' area: stats over the ask log, why a 👎, the maintainers' channel,
whether the space sees the shared curated answers, and the group of alike unanswered questions
an ask belongs to."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from index.embedder import TextEmbedder
from knowledge import cited_days
from knowledge.curation.answers import CuratedView, Curation
from knowledge.errors import CurationError
from knowledge.settings import Settings
from knowledge.store import ask_stats, maintainer_channels, space_settings
from knowledge.store.ask_stats import AskStats
from knowledge.store.asklog import AskLog, UnansweredGroup
from knowledge.store.database import Store

TOP_UNANSWERED = 5


class MaintainersFacade:
    """Mixed into `Sunbae`: the methods maintainers' tools call (the core's parts are its)."""

    settings: Settings
    _asks: AskLog
    _store: Store
    # Each space's stored choice of seeing the shared space (None: the default), as read;
    # cleared when the store revision moves (another process changed it).
    _shared_choices: dict[str, bool | None]
    _embedder: TextEmbedder
    _curation: Curation

    def _space(self, space: str | None) -> str:  # provided by Sunbae
        raise NotImplementedError

    def _writable(self, space: str | None) -> str:  # provided by Sunbae
        raise NotImplementedError

    def _visible(self, space: str) -> tuple[str, ...]:  # provided by Sunbae
        raise NotImplementedError

    def ask_stats(self, *, days: int = 7, space: str | None = None,
                  now: datetime | None = None) -> AskStats:
        """Asks of `space` in the last `days` days: by outcome, votes (👎 by reason), the most
        asked unanswered groups, and p50/p95 latency."""
        space = self._space(space)
        since = (now or datetime.now(UTC)) - timedelta(days=max(days, 0))
        by_kind, latencies = ask_stats.ask_counts(self._store, space, since)
        up, down, reasons, others = ask_stats.vote_counts(self._store, space, since)
        top = self._asks.unanswered(space=space, limit=TOP_UNANSWERED, since=since,
                                    embed=self._embedder.embed_queries)
        return AskStats(days=days, asks=sum(by_kind.values()), by_kind=by_kind, votes_up=up,
                        votes_down=down, down_reasons=reasons, other_reasons=others,
                        top_unanswered=top, p50_ms=ask_stats.percentile(latencies, 0.50),
                        p95_ms=ask_stats.percentile(latencies, 0.95))

    def explain_vote(self, ask_id: int, user: str, reason: str, text: str | None = None, *,
                     space: str | None = None) -> None:
        """Keep why `user` voted 👎 (wrong_day, outdated, did_not_answer, other with `text`);
        KeyError when they have no 👎 on that ask of `space`."""
        self._asks.explain(ask_id, user, reason, text, space=self._space(space))

    def alike_unanswered(self, ask_id: int, *, space: str | None = None) -> list[int]:
        """The open asks of `space` grouped with `ask_id` (itself first; [ask_id] alone when it
        is not on the unanswered list), so answering one answers them all."""
        space = self._space(space)
        groups: list[UnansweredGroup] = self._asks.unanswered(
            space=space, limit=10_000, embed=self._embedder.embed_queries)
        group = next((g for g in groups if ask_id in g.ask_ids), None)
        if group is None:
            return [ask_id]
        return [ask_id, *(i for i in group.ask_ids if i != ask_id)]

    def maintainers_channel(self, *, space: str | None = None) -> str | None:
        """The chat channel where `space`'s abstentions and 👎 are posted (None: none set)."""
        return maintainer_channels.maintainers_channel(self._store, self._space(space))

    def set_maintainers_channel(self, channel: str | None, *, space: str | None = None) -> None:
        """Set (None: clear) the maintainers' channel of `space`."""
        maintainer_channels.set_maintainers_channel(self._store, self._space(space), channel)

    def sees_shared(self, *, space: str | None = None) -> bool:
        """Whether `space` sees the shared space (the shipped curated answers and sample):
        its own stored choice, else SUNBAE_SEE_SHARED."""
        space = self._space(space)
        if space not in self._shared_choices:
            self._shared_choices[space] = space_settings.sees_shared(self._store, space)
        choice = self._shared_choices[space]
        return self.settings.see_shared if choice is None else choice

    def set_sees_shared(self, choice: bool | None, *, space: str | None = None) -> None:
        """Store whether `space` sees the shared space (None: back to SUNBAE_SEE_SHARED)."""
        space = self._writable(space)
        space_settings.set_sees_shared(self._store, space, choice)
        self._shared_choices.pop(space, None)

    def ask_cites(self, ask_id: int, *, space: str | None = None) -> list[str]:
        """The days an ask of `space` cited, as `<file>.md · Day K` cites (what promoting it
        keeps unless a maintainer edits them)."""
        return cited_days.ask_cites(self._store, ask_id, self._space(space))

    def promote_citing(self, ask_id: int, *, author: str, cites: list[str],
                       answer: str | None = None, question: str | None = None,
                       space: str | None = None) -> CuratedView:
        """`promote`, citing `cites` as a maintainer edited them; CurationError naming every
        cite that is malformed or names a day no note `space` sees holds."""
        missing = cited_days.missing_days(self._store, cites, self._visible(self._space(space)))
        if missing:
            raise CurationError("no such day in the notes: " + "; ".join(missing)
                                + " (write '<file>.md · Day K', one a line)")
        return self._curation.promote(ask_id, author=author, answer=answer, question=question,
                                      space=self._writable(space), cites=cites)
