"""Paged embeds with ◀ ▶ buttons that only the person who asked can turn."""

from __future__ import annotations

import contextlib

import discord

from bot.utils.interaction_errors import AnsweringView
from bot.utils.messages import NO_PINGS, cut, fit_embed, split_text

PAGE_CHARS = 3000  # shorter than an embed allows, so a page reads on a phone


def text_pages(title: str, text: str, *, footer: str = "",
               colour: discord.Colour | None = None) -> list[discord.Embed]:
    """Embeds holding `text` a page at a time, code blocks kept whole across pages."""
    pieces = split_text(text, PAGE_CHARS) or ["(empty)"]
    pages = []
    for number, piece in enumerate(pieces, start=1):
        embed = discord.Embed(title=cut(title, 256), description=piece,
                              colour=colour or discord.Colour.blurple())
        where = f"{number}/{len(pieces)}" if len(pieces) > 1 else ""
        embed.set_footer(text=" · ".join(part for part in (footer, where) if part) or None)
        pages.append(fit_embed(embed))
    return pages


class PageView(AnsweringView):
    """Turns through `pages`; other people are told to run the command themselves."""

    def __init__(self, pages: list[discord.Embed], owner_id: int, *, timeout: float = 600) -> None:
        super().__init__(timeout=timeout)
        self.pages = pages
        self.owner_id = owner_id
        self.index = 0
        self.message: discord.Message | discord.WebhookMessage | None = None
        self._show_page_buttons()

    def _show_page_buttons(self) -> None:
        self.previous.disabled = self.index == 0
        self.next.disabled = self.index >= len(self.pages) - 1
        self.counter.label = f"{self.index + 1}/{len(self.pages)}"

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        """Only the person who opened the pages turns them."""
        if interaction.user.id == self.owner_id:
            return True
        await interaction.response.send_message(
            "이 페이지는 명령을 쓴 사람만 넘길 수 있어요. (Run the command yourself to page.)",
            ephemeral=True, allowed_mentions=NO_PINGS,
        )
        return False

    async def show(self, interaction: discord.Interaction, step: int) -> None:
        """Move `step` pages and redraw the message."""
        self.index = max(0, min(len(self.pages) - 1, self.index + step))
        self._show_page_buttons()
        await interaction.response.edit_message(embed=self.pages[self.index], view=self)

    @discord.ui.button(emoji="◀️", style=discord.ButtonStyle.secondary)
    async def previous(self, interaction: discord.Interaction, _button: discord.ui.Button) -> None:
        """One page back."""
        await self.show(interaction, -1)

    @discord.ui.button(label="1/1", style=discord.ButtonStyle.secondary, disabled=True)
    async def counter(self, interaction: discord.Interaction, _button: discord.ui.Button) -> None:
        """Shows where we are; disabled, so never clicked."""

    @discord.ui.button(emoji="▶️", style=discord.ButtonStyle.secondary)
    async def next(self, interaction: discord.Interaction, _button: discord.ui.Button) -> None:
        """One page on."""
        await self.show(interaction, 1)

    async def on_timeout(self) -> None:
        """Grey the buttons out so nobody clicks a dead view."""
        for item in self.children:
            if isinstance(item, discord.ui.Button):
                item.disabled = True
        if self.message is not None:
            with contextlib.suppress(discord.HTTPException):  # deleted: nothing left to tidy
                await self.message.edit(view=self)


async def send_pages(interaction: discord.Interaction, pages: list[discord.Embed], *,
                     ephemeral: bool = False) -> None:
    """Send the first page, with page buttons when there is more than one."""
    view = PageView(pages, interaction.user.id) if len(pages) > 1 else None
    buttons = view if view is not None else discord.utils.MISSING
    message: discord.Message | discord.WebhookMessage | None
    if interaction.response.is_done():
        message = await interaction.followup.send(embed=pages[0], ephemeral=ephemeral, wait=True,
                                                  allowed_mentions=NO_PINGS, view=buttons)
    else:
        await interaction.response.send_message(embed=pages[0], ephemeral=ephemeral,
                                                allowed_mentions=NO_PINGS, view=buttons)
        message = await interaction.original_response() if view is not None else None
    if view is not None:
        view.message = message
