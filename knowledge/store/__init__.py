"""The database: models, sessions, migrations, the ask log and channel modes."""

from knowledge.store import channel_modes as channel_modes  # its table joins Base's metadata
