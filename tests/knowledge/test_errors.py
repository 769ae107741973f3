"""Every error a user can cause is a SunbaeError and keeps its older base class."""

from __future__ import annotations

import pytest

from knowledge.errors import (
    CuratedFileError,
    CurationError,
    EmptyQuestion,
    StoreUnavailable,
    SunbaeError,
    UnreadableNote,
)

VALUE_ERRORS = [UnreadableNote, EmptyQuestion, CuratedFileError, CurationError]


@pytest.mark.parametrize("error", [*VALUE_ERRORS, StoreUnavailable])
def test_each_error_is_a_sunbae_error(error: type[Exception]) -> None:
    """A transport catching SunbaeError catches every one of them."""
    assert issubclass(error, SunbaeError)
    with pytest.raises(SunbaeError):
        raise error("why")


@pytest.mark.parametrize("error", VALUE_ERRORS)
def test_bad_input_errors_are_still_value_errors(error: type[Exception]) -> None:
    """Code that catches ValueError keeps catching bad notes, questions and curation."""
    with pytest.raises(ValueError, match="why"):
        raise error("why")


def test_store_unavailable_is_still_a_runtime_error_with_its_message() -> None:
    """The outage error shows the retry message and keeps the driver's detail apart."""
    with pytest.raises(RuntimeError) as raised:
        raise StoreUnavailable("connection refused")
    assert str(raised.value) == StoreUnavailable.MESSAGE
    assert raised.value.detail == "connection refused"


def test_raised_errors_are_the_shared_classes() -> None:
    """Reading a note and parsing a curated cite raise the classes from knowledge.errors."""
    from knowledge.curation.files import parse_cite
    from knowledge.notes.reading import decode_note

    with pytest.raises(UnreadableNote, match="empty"):
        decode_note(b"  \n", "blank.md")
    with pytest.raises(CuratedFileError, match="bad cite"):
        parse_cite("not a cite")
