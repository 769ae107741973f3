"""Discord extensions of the bot: one package per feature, each with `async def setup(bot)`."""

EXTENSIONS = (
    "bot.exts.ask",
    "bot.exts.ingest",
    "bot.exts.curate",
    "bot.exts.source",
    "bot.exts.channels",
    "bot.exts.context_menus",
)
