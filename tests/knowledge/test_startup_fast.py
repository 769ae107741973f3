"""Start-up: a store already at the schema head opens without Alembic."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from knowledge.store.database import Store, at_head, script_head


def test_the_script_head_is_alembics_head() -> None:
    from knowledge.store.schema import head_revision

    assert script_head() == head_revision()


def test_a_store_at_head_opens_without_migrating(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from knowledge.store import schema

    url = f"sqlite:///{tmp_path / 'sunbae.db'}"
    Store(url).close()  # a new database: migrated by Alembic
    store = Store(url)
    assert at_head(store.engine)
    store.close()

    def refuse(*_args: Any, **_kwargs: Any) -> None:
        raise AssertionError("a database at head was migrated (Alembic loaded) again")

    monkeypatch.setattr(schema, "upgrade", refuse)
    Store(url).close()
