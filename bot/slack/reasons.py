"""Why a 👎 on Slack: one tap on a reason (wrong day, outdated, did not answer), or "other" with
a line in a modal; kept with the vote through the facade, as on Discord."""

from __future__ import annotations

from typing import TYPE_CHECKING

from slack_bolt.async_app import AsyncAck, AsyncBoltContext

from bot.answer_labels import labels_for
from bot.slack.blocks import Block, button, mrkdwn
from bot.slack.modals import metadata, modal, text_input, values
from bot.slack.payloads import channel_of, clicked
from bot.slack.people import person_key
from bot.slack.replies import tell

if TYPE_CHECKING:
    from bot.slack.transport import Body, SlackTransport

WHY = "sunbae_why_"  # action ids: sunbae_why_<reason>
REASON_MODAL = "sunbae_reason"  # the "other" modal's callback id
REASONS = {"wrong_day": "📅 날짜가 틀림 · Wrong day", "outdated": "🕰️ 오래됨 · Outdated",
           "did_not_answer": "❓ 답이 아님 · Did not answer", "other": "✏️ 기타 · Other"}
ASK_WHY = "무엇이 아쉬웠나요? (선택) · What was wrong? (optional, one tap)"
NOTED = "이유를 남겼어요, 고마워요! (Reason noted, thank you.)"
NO_DOWN_VOTE = "👎 를 먼저 눌러 주세요. (Vote 👎 first; nothing was saved.)"
TEXT_MAX = 300


def reason_action_ids() -> list[str]:
    """The action id of each reason button."""
    return [f"{WHY}{reason}" for reason in REASONS]


def reason_blocks(thanks: str, ask_id: int, language: str | None = None) -> list[Block]:
    """The thanks for a 👎, the question why, and a button a reason (the ask id as value),
    in the question's language when it is known (else both)."""
    ask_why, reasons = ASK_WHY, REASONS
    if language is not None:
        labels = labels_for(language)
        ask_why, reasons = labels.ask_why, labels.reasons
    return [{"type": "section", "text": mrkdwn(f"{thanks}\n{ask_why}")},
            {"type": "actions", "block_id": f"sunbae_why_{ask_id}",
             "elements": [button(reasons[reason], f"{WHY}{reason}", ask_id)
                          for reason in REASONS]}]


def reason_modal(ask_id: int, team: str | None, channel: str | None) -> Block:
    """"Other": one short line saying what was wrong."""
    field = text_input("reason", "Reason · 이유", optional=True,
                       hint="e.g. it cites week 1, the answer is in week 2")
    field["element"]["max_length"] = TEXT_MAX
    view = modal(REASON_MODAL, "What was wrong?", [field],
                 {"ask_id": ask_id, "team": team, "channel": channel})
    view["submit"] = {"type": "plain_text", "text": "Send · 보내기"}
    return view


async def save_reason(t: SlackTransport, context: AsyncBoltContext, ask_id: int, reason: str,
                      text: str | None, *, channel: str | None) -> None:
    """Keep the reason with the person's 👎 and tell only them."""
    team = context.team_id
    try:
        await t.core.explain_vote(team, ask_id, person_key(team, context.user_id or "-"),
                                  reason, text)
    except KeyError:  # no 👎 of theirs on that ask (changed to 👍 since, or another workspace)
        await tell(t, context, NO_DOWN_VOTE, channel=channel)
        return
    await tell(t, context, NOTED, channel=channel)


async def on_reason(t: SlackTransport, ack: AsyncAck, body: Body,
                    context: AsyncBoltContext) -> None:
    """A reason tapped: saved at once, or "other" asks for a line first."""
    await ack()
    action_id, ids = clicked(body)
    reason = action_id.removeprefix(WHY)
    if not ids or reason not in REASONS:
        return
    channel = channel_of(body)
    if reason == "other":
        await t.client.views_open(trigger_id=body["trigger_id"],
                                  view=reason_modal(ids[0], context.team_id, channel))
        return
    await save_reason(t, context, ids[0], reason, None, channel=channel)


async def on_reason_submit(t: SlackTransport, ack: AsyncAck, body: Body,
                           context: AsyncBoltContext) -> None:
    """Store "other" with what was written (in the workspace the 👎 was given in)."""
    await ack()
    meta = metadata(body)
    if meta.get("team") != context.team_id or not str(meta.get("ask_id", "")).isdigit():
        return  # a form from another workspace, or tampered with: nothing to keep
    text = str(values(body).get("reason") or "")[:TEXT_MAX]
    await save_reason(t, context, int(meta["ask_id"]), "other", text,
                      channel=meta.get("channel"))
