"""The buttons under an answer: 👍/👎, "More sources", "Save as curated" (ask id as value)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from slack_bolt.async_app import AsyncAck, AsyncBoltContext

from bot.answer_labels import labels_for, vote_thanks
from bot.slack.blocks import VOTE_UP, more_sources_blocks
from bot.slack.modals import promote_modal
from bot.slack.payloads import channel_of, clicked, message_ts
from bot.slack.people import MAINTAINERS_ONLY, is_maintainer, person_key
from bot.slack.reasons import reason_blocks
from bot.slack.replies import tell

if TYPE_CHECKING:
    from bot.slack.transport import Body, SlackTransport

GONE = "이 답변의 기록을 찾을 수 없어요. (This answer is no longer in the ask log.)"


async def on_vote(t: SlackTransport, ack: AsyncAck, body: Body,
                  context: AsyncBoltContext) -> None:
    """Store the vote (a second click changes it) and tell only the voter the counts."""
    await ack()
    action_id, ids = clicked(body)
    if not ids:
        return
    vote = 1 if action_id == VOTE_UP else -1
    team, user = context.team_id, context.user_id or "-"
    channel = channel_of(body)
    try:
        up, down = await t.core.vote(team, ids[0], person_key(team, user), vote)
    except KeyError:
        await tell(t, context, GONE, channel=channel)
        return
    ask = await t.core.get_ask(team, ids[0])  # its question's language says the thanks
    language = ask.language if ask else None
    text = vote_thanks(language, vote, up, down)
    if vote > 0:
        await tell(t, context, text, channel=channel)
        return
    await tell(t, context, text, channel=channel,
               blocks=reason_blocks(text, ids[0], language))
    await t.cards.down_voted(team, ids[0], channel=channel, ts=message_ts(body))


async def on_more_sources(t: SlackTransport, ack: AsyncAck, body: Body,
                          context: AsyncBoltContext) -> None:
    """Ask again with more citations (not logged as a new ask), shown to the clicker only."""
    await ack()
    _, ids = clicked(body)
    team, channel = context.team_id, channel_of(body)
    ask = await t.core.get_ask(team, ids[0]) if ids else None
    if ask is None:
        await tell(t, context, GONE, channel=channel)
        return
    answer = await t.core.ask(team, ask.question, max_citations=t.settings.more_sources,
                              record=False)
    await tell(t, context, labels_for(answer.language).more_sources, channel=channel,
               blocks=more_sources_blocks(answer))


async def on_save_curated(t: SlackTransport, ack: AsyncAck, body: Body,
                          context: AsyncBoltContext) -> None:
    """Maintainers only: the question and answer in a modal, to edit and save as curated."""
    await ack()
    _, ids = clicked(body)
    team, user, channel = context.team_id, context.user_id or "-", channel_of(body)
    if not await is_maintainer(t.client, t.settings, user):
        await tell(t, context, MAINTAINERS_ONLY, channel=channel)
        return
    ask = await t.core.get_ask(team, ids[0]) if ids else None
    if ask is None:
        await tell(t, context, GONE, channel=channel)
        return
    answer = "" if ask.outcome == "abstain" else ask.answer
    if ask.outcome == "abstain" and len(ids) == 1:
        # Answering an abstention answers the alike questions asked with it too.
        ids = await t.core.alike_unanswered(team, ids[0])
    cites = await t.core.ask_cites(team, ids[0])
    await t.client.views_open(trigger_id=body["trigger_id"], view=promote_modal(
        channel, ids, ask.question, answer, team=team, cites=cites))
