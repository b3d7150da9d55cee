"""Logs carry no secrets and no message bodies."""

from __future__ import annotations

import logging

import pytest

from bot.logs import CHATTY, MaskSecrets, configure_logging, mask
from handlers.conversation import Conversation
from tests.support.chat import ChatDriver


@pytest.mark.parametrize(
    "secret",
    [
        "xoxb-1234-5678-abcdefghijkl",
        "xapp-1-A111-222-abc",
        "Bearer abc.def.ghi",
        "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.sig",
    ],
)
def test_token_shapes_are_masked(secret: str) -> None:
    assert secret not in mask(f"calling with {secret} now")
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "token=%s", (secret,), None)
    MaskSecrets().filter(record)
    assert secret not in record.getMessage()


def test_platform_libraries_that_log_bodies_are_held_at_warning() -> None:
    configure_logging("json")
    for name in CHATTY:
        assert logging.getLogger(name).getEffectiveLevel() >= logging.WARNING


def test_a_library_that_lowers_its_own_level_after_start_up_still_says_nothing_below_warning(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure_logging("text")
    logging.getLogger("bm25s").setLevel(logging.DEBUG)  # what bm25s does when it is first imported
    logging.getLogger("bm25s").debug("Building index from tokens")
    logging.getLogger("bm25s").warning("a real warning")
    err = capsys.readouterr().err
    assert "Building index" not in err and "a real warning" in err


async def test_what_people_write_never_reaches_the_logs(
    conversation: Conversation, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    chat = ChatDriver(conversation)
    await chat.say("I felt overwhelmed on the ward today and nobody noticed")
    assert "overwhelmed" not in caplog.text
