"""What the bot does, platform-neutral: one module per capability, each registering on the router."""

from __future__ import annotations

from handlers import ask, checkins, home, installs, manager_prompts, nudges, reflections, timezones
from handlers import help as help_commands
from handlers.router import Router


def build_router() -> Router:
    """A router with every capability registered (help first: its order is the help order)."""
    router = Router()
    help_commands.register(router)
    checkins.register(router)
    reflections.register(router)
    timezones.register(router)
    manager_prompts.register(router)
    nudges.register(router)
    home.register(router)
    installs.register(router)
    ask.register(router)
    return router


__all__ = ["Router", "build_router"]
