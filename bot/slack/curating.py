"""Curating on Slack, for maintainers: /curate add|edit|retire|list, /unanswered, the modals."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_bolt.async_app import AsyncAck, AsyncBoltContext

from bot.cli.stats import stats_text
from bot.slack.blocks import SAVE_CURATED, Block, button, mrkdwn
from bot.slack.channels import maintainers_channel
from bot.slack.modals import curated_modal, lines, metadata, values
from bot.slack.mrkdwn import BLOCKS_PER_MESSAGE, cut, plain
from bot.slack.people import MAINTAINERS_ONLY, is_maintainer
from bot.slack.replies import tell
from knowledge.errors import CurationError
from knowledge.spaces import SEE_SHARED_CHOICES

if TYPE_CHECKING:
    from bot.slack.transport import Body, SlackTransport

USAGE = ("`/curate add` · `/curate edit <slug>` · `/curate retire <slug>` · `/curate list` · "
         "`/curate maintainers-channel #channel` · `/curate shared on|off|default`")
SEES_SHARED = ("👀 이 워크스페이스는 선배와 함께 온 큐레이션 답변을 봐요. "
               "(This workspace sees the curated answers shipped with Sunbae.)")
SEES_NO_SHARED = ("🙈 이 워크스페이스는 선배와 함께 온 큐레이션 답변을 보지 않아요. "
                  "(This workspace does not see the curated answers shipped with Sunbae.)")


def author_of(body: Body, context: AsyncBoltContext) -> str:
    """How a maintainer is named as a curated answer's author: their Slack name, as the
    payload gives it (no users:read scope needed), else their member id."""
    given = body.get("user")
    user: dict[str, Any] = given if isinstance(given, dict) else {}
    name = body.get("user_name") or user.get("username") or user.get("name")
    return str(name or f"slack:{context.user_id or '-'}")


async def refused(t: SlackTransport, ack: AsyncAck, context: AsyncBoltContext) -> bool:
    """Acknowledge; True (after telling them) when the person is not a maintainer."""
    await ack()
    if await is_maintainer(t.client, t.settings, context.user_id or ""):
        return False
    await tell(t, context, MAINTAINERS_ONLY)
    return True


async def on_curate_command(t: SlackTransport, ack: AsyncAck, body: Body,
                            context: AsyncBoltContext) -> None:
    """/curate: a modal to add or edit, retire at once, or the list."""
    if await refused(t, ack, context):
        return
    verb, _, slug = " ".join((body.get("text") or "").split()).partition(" ")
    team, channel = context.team_id, body.get("channel_id")
    try:
        if verb == "add":
            await t.client.views_open(trigger_id=body["trigger_id"], view=curated_modal(channel))
        elif verb == "edit" and slug:
            view = await t.core.get_curated(team, slug)
            await t.client.views_open(trigger_id=body["trigger_id"],
                                      view=curated_modal(channel, view))
        elif verb == "retire" and slug:
            view = await t.core.retire_curated(team, slug, author=author_of(body, context))
            await tell(t, context, f"🗄️ `{plain(view.slug)}` 을 더 쓰지 않아요. (Retired.)")
        elif verb == "maintainers-channel":
            await maintainers_channel(t, context, body, slug)
        elif verb == "shared" and slug.casefold() in ("", *SEE_SHARED_CHOICES):
            if slug:
                await t.core.set_sees_shared(team, SEE_SHARED_CHOICES[slug.casefold()])
            await tell(t, context, SEES_SHARED if await t.core.sees_shared(team)
                       else SEES_NO_SHARED)
        elif verb == "list":
            views = await t.core.list_curated(team)
            shown = [f"• `{plain(v.slug)}`: {cut(plain(v.question), 120)}" for v in views]
            await tell(t, context, "\n".join(shown) or "큐레이션된 답변이 없어요. (None yet.)")
        else:
            await tell(t, context, USAGE)
    except CurationError as exc:
        await tell(t, context, f"⚠️ {plain(str(exc))}")


async def on_curated_submit(t: SlackTransport, ack: AsyncAck, body: Body,
                            context: AsyncBoltContext) -> None:
    """Save the modal's curated answer: a new one, or a new version of the one edited."""
    await ack()
    if not await is_maintainer(t.client, t.settings, context.user_id or ""):
        await tell(t, context, MAINTAINERS_ONLY)  # the modal outlived the right to use it
        return
    fields, meta = values(body), metadata(body)
    team, channel = context.team_id, meta.get("channel")
    parts = {"question": fields.get("question", ""), "answer": fields.get("answer", ""),
             "paraphrases": lines(fields.get("paraphrases", "")),
             "cites": lines(fields.get("cites", ""))}
    try:
        if meta.get("slug"):
            view = await t.core.edit_curated(team, meta["slug"], author=author_of(body, context),
                                             **parts)
        else:
            view = await t.core.add_curated(team, author=author_of(body, context), **parts)
    except CurationError as exc:
        await tell(t, context, f"⚠️ {plain(str(exc))}", channel=channel)
        return
    await tell(t, context, f"✅ `{plain(view.slug)}` 저장했어요. (Saved.)", channel=channel)


async def on_promote_submit(t: SlackTransport, ack: AsyncAck, body: Body,
                            context: AsyncBoltContext) -> None:
    """Promote the first ask with the edited texts; alike asks are resolved with it."""
    await ack()
    if not await is_maintainer(t.client, t.settings, context.user_id or ""):
        await tell(t, context, MAINTAINERS_ONLY)
        return
    fields, meta = values(body), metadata(body)
    team, channel, ask_ids = context.team_id, meta.get("channel"), meta.get("ask_ids") or []
    if meta.get("team") not in (None, team):
        await tell(t, context, MAINTAINERS_ONLY)  # opened in another workspace: not its space
        return
    texts = {"author": author_of(body, context), "answer": fields.get("answer", ""),
             "question": fields.get("question", "")}
    try:
        if "cites" in fields:  # the cited days as the maintainer left them
            cites = list(dict.fromkeys(lines(fields["cites"])))
            view = await t.core.promote_citing(team, int(ask_ids[0]), cites=cites, **texts)
        else:  # a form opened before it had the field: the ask's own cited days
            view = await t.core.promote(team, int(ask_ids[0]), **texts)
    except (CurationError, IndexError) as exc:
        await tell(t, context, f"⚠️ {plain(str(exc))}", channel=channel)
        return
    if len(ask_ids) > 1:
        await t.core.resolve(team, [int(i) for i in ask_ids[1:]])
    await tell(t, context, f"✅ 큐레이션 답변 `{plain(view.slug)}`으로 저장했어요. (Saved as "
                           "curated; the same question now gets this answer.)", channel=channel)


async def on_unanswered_command(t: SlackTransport, ack: AsyncAck, body: Body,
                                context: AsyncBoltContext) -> None:
    """/unanswered: the questions Sunbae could not answer, each with "Answer this"."""
    if await refused(t, ack, context):
        return
    groups = await t.core.unanswered(context.team_id, limit=20)
    if not groups:
        await tell(t, context, "답하지 못한 질문이 없어요. (No unanswered questions.)")
        return
    blocks: list[Block] = []
    for group in groups[: BLOCKS_PER_MESSAGE]:
        ids = ",".join(str(i) for i in group.ask_ids[:200])  # a value holds 2000 characters
        blocks.append({"type": "section",
                       "text": mrkdwn(f"{group.count}× {cut(plain(group.question), 500)}"),
                       "accessory": button("📝 Answer this", SAVE_CURATED, 0) | {"value": ids}})
    await tell(t, context, "답하지 못한 질문 · Unanswered questions", blocks=blocks)


async def on_stats_command(t: SlackTransport, ack: AsyncAck, body: Body,
                           context: AsyncBoltContext) -> None:
    """/stats [days]: the workspace's asks, answer kinds, votes with reasons and latency."""
    if await refused(t, ack, context):
        return
    typed = (body.get("text") or "").strip()
    days = min(int(typed), 365) if typed.isdigit() and int(typed) > 0 else 7
    stats = await t.core.ask_stats(context.team_id, days=days)
    await tell(t, context, f"```{cut(plain(stats_text(stats)), 2900)}```")
