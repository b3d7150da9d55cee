"""What the bot does, platform-neutral: one module per capability, each declaring its handlers on its `routes`."""

from __future__ import annotations

from handlers import (
    announce,
    ask,
    checkins,
    home,
    installs,
    manager_prompts,
    nudges,
    privacy,
    reflections,
    roles,
    safeguarding,
    schedule_choice,
    timezones,
)
from handlers import help as help_commands
from handlers.router import Router


def build_router() -> Router:
    """One router with every capability (help first: the order here is the order of the help listing)."""
    router = Router()
    router.include(
        help_commands.routes,
        safeguarding.routes,
        checkins.routes,
        reflections.routes,
        timezones.routes,
        manager_prompts.routes,
        nudges.routes,
        schedule_choice.routes,
        home.routes,
        installs.routes,
        privacy.routes,
        roles.routes,
        announce.routes,
        ask.routes,
    )
    return router


__all__ = ["Router", "build_router"]
