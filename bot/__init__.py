"""Transports: the command line, the terminal channel and the Discord bot."""
