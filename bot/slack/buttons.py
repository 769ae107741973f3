"""The buttons under an answer: 👍/👎, "More sources", "Save as curated" (ask id as value)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from slack_bolt.async_app import AsyncAck, AsyncBoltContext

from bot.answer_labels import labels_for, vote_thanks
from bot.slack.blocks import VOTE_UP, more_sources_blocks
from bot.slack.modals import promote_modal
from bot.slack.mrkdwn import plain
from bot.slack.people import MAINTAINERS_ONLY, is_maintainer, person_key
from bot.slack.replies import post_card, tell

if TYPE_CHECKING:
    from bot.slack.transport import Body, SlackTransport

GONE = "이 답변의 기록을 찾을 수 없어요. (This answer is no longer in the ask log.)"


def clicked(body: Body) -> tuple[str, list[int]]:
    """The clicked button's action id and the ask ids in its value."""
    action = body["actions"][0]
    ids = [int(part) for part in str(action.get("value") or "").split(",") if part.isdigit()]
    return action["action_id"], ids


def channel_of(body: Body) -> str | None:
    """The channel of the message the button is on."""
    return (body.get("channel") or {}).get("id") or body.get("container", {}).get("channel_id")


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
    await tell(t, context, vote_thanks(ask.language if ask else None, vote, up, down),
               channel=channel)
    if vote < 0 and ask is not None:
        await post_card(t, f"👎 on ask #{ask.id}: *{plain(ask.question)}*", ask.id)


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
    await t.client.views_open(trigger_id=body["trigger_id"],
                              view=promote_modal(channel, ids, ask.question, answer))
