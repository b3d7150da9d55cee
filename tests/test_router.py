"""The router: capabilities declare their handlers on their own `routes` and one router includes them all."""

from __future__ import annotations

import re

import pytest

from handlers import build_router
from handlers import help as help_commands
from handlers.context import Context, Services
from handlers.conversation import Conversation
from handlers.messages import Reply
from handlers.router import Router
from storage import Database
from tests.support.chat import ChatDriver


def capability(name: str, pattern: str) -> Router:
    routes = Router()

    @routes.command(pattern, name=name, summary=f"Do {name}", examples=(name,), group="Extras")
    async def run(ctx: Context, _match: re.Match[str]) -> Reply:
        return Reply(f"ran {name}")

    @routes.action(f"{name}.press")
    async def press(ctx: Context) -> Reply:
        return Reply(f"pressed {name}")

    return routes


def test_the_first_capability_included_wins_a_text_both_match() -> None:
    router = Router()
    router.include(capability("first", r"go.*"), capability("second", r"go now"))
    found = router.match("  go   now ")
    assert found is not None and found[0].name == "first"


def test_two_capabilities_claiming_one_command_name_are_refused() -> None:
    router = Router()
    router.include(capability("same", r"a"))
    with pytest.raises(ValueError, match="command 'same' registered twice"):
        router.include(capability("same", r"b"))


def test_two_capabilities_claiming_one_button_are_refused() -> None:
    one, other = Router(), Router()
    for routes in (one, other):

        @routes.action("shared.button")
        async def press(ctx: Context) -> Reply:
            return Reply("pressed")

    router = Router()
    router.include(one)
    with pytest.raises(ValueError, match="action 'shared.button' registered twice"):
        router.include(other)


def test_including_copies_and_leaves_each_capability_as_declared() -> None:
    first, second = build_router(), build_router()
    first.include(capability("extra", r"extra"))
    assert first.match("extra") is not None
    assert second.match("extra") is None
    assert help_commands.routes.match("extra") is None


async def test_help_lists_the_commands_of_the_router_it_is_part_of(db: Database, services: Services) -> None:
    router = Router()
    router.include(help_commands.routes, capability("extra", r"extra"))
    chat = ChatDriver(Conversation(db, router, services))
    await chat.say("hello")
    await chat.say("help")
    assert "Extras\n• Do extra — e.g. “extra”" in chat.text
    assert "Check-ins" not in chat.text  # only what this router holds
