"""Getting started: help (generated from what is registered), hello, thanks and cancel."""

from __future__ import annotations

import re
from collections import OrderedDict

from handlers.context import Context
from handlers.messages import Button, Reply
from handlers.names import ActionId
from handlers.router import Router

GROUP = "Getting started"
routes = Router()


def help_reply(ctx: Context, router: Router, *, intro: str | None = None) -> Reply:
    """The list of what this person can do, grouped, each with an example."""
    groups: OrderedDict[str, list[str]] = OrderedDict()
    for command in router.commands:
        if not command.summary or not command.allowed_for(ctx.person.role):
            continue
        example = f" — e.g. “{command.examples[0]}”" if command.examples else ""
        groups.setdefault(command.group, []).append(f"• {command.summary}{example}")
    lines = [intro or "Here is what I can do. Type a command, or just ask a question."]
    for group, items in groups.items():
        lines.append("")
        lines.append(group)
        lines.extend(items)
    return Reply("\n".join(lines))


MAX_QUESTION_BUTTON = 300  # a longer message is not carried in a button: the person can re-send it with "ask"


def did_you_mean(router: Router, text: str, commands: tuple[str, ...]) -> Reply:
    """ "Did you mean …?" with a button for each command (and what it does), and one to take it as a question."""
    lines = ["I'm not sure what you'd like. Did you mean:"]
    buttons = []
    for command_text in commands:
        found = router.match(command_text)
        summary = f" — {found[0].summary[0].lower()}{found[0].summary[1:]}" if found and found[0].summary else ""
        lines.append(f"• “{command_text}”{summary}")
        buttons.append(Button(command_text, ActionId.RUN_COMMAND, {"text": command_text}))
    if len(text) <= MAX_QUESTION_BUTTON:
        buttons.append(Button("No, it's a question", ActionId.RUN_COMMAND, {"text": f"ask {text}"}))
        lines.append("Or, if it was a question, press “No, it's a question”.")
    else:
        lines.append("Or, if it was a question, send it again starting with “ask”.")
    return Reply("\n".join(lines), buttons=tuple(buttons))


def greeting(ctx: Context) -> str:
    """The greeting with their first name when the platform told us it: "Hello Priya!", else "Hello!"."""
    name = (ctx.person.name or "").split(" ")[0]
    return f"Hello {name}!" if name else "Hello!"


def welcome_reply(ctx: Context) -> Reply:
    return Reply(
        f"{greeting(ctx)} I'm LeadWell, a leadership companion for NHS staff. I answer questions about the "
        "NHS Management and Leadership Framework and Code of Practice (with sources), help you schedule "
        "reflective check-ins, and offer small compassionate-leadership practices. Type “help” to see more."
    )


@routes.listing(
    r"(help|\?|menu|start|what can you do\??|commands)",
    name="help",
    says=(
        "help",
        "help me",
        "menu|commands|options|instructions|guide|manual",
        "show commands|options",
        "?what can you do",
        "?what do you do",
        "?how does this work",
        "?how do i use this|you|leadwell",
        "?what commands",
    ),
    summary="See everything I can do",
    examples=("help",),
    group=GROUP,
)
async def show_help(ctx: Context, _match: re.Match[str], router: Router) -> Reply:
    return help_reply(ctx, router)


@routes.command(
    r"(hello|hi|hey|hiya|howdy|good (morning|afternoon|evening))( there)?( leadwell)?[!. ]*",
    name="hello",
    says=("hello|hi|hey|hiya|howdy|morning|afternoon|evening|hallo|yo",),
    summary="Say hello",
    examples=("hello",),
    group=GROUP,
    keeps_pending=True,
)
async def say_hello(ctx: Context, _match: re.Match[str]) -> Reply:
    if ctx.first_contact:
        return welcome_reply(ctx)
    return Reply(
        f"{greeting(ctx)} Good to hear from you. Ask me about leadership in the NHS, "
        "or type “help” to see what else I can do."
    )


@routes.command(
    r"(thanks|thank you|cheers|ta)( very much| so much)?[!. ]*",
    name="thanks",
    keeps_pending=True,
    says=("thanks|cheers|ta|thx|ty|thankyou|brilliant|great|lovely|perfect|ace",),
    runs="thanks",
)
async def say_thanks(ctx: Context, _match: re.Match[str]) -> Reply:
    return Reply("You're welcome. I'm here whenever you need me.")


@routes.command(
    r"(cancel|never ?mind|forget it)",
    name="cancel",
    says=("cancel|nevermind|abort|forget",),
    summary="Stop what we were in the middle of",
    examples=("cancel",),
    group=GROUP,
)
async def cancel_pending(ctx: Context, _match: re.Match[str]) -> Reply:
    # The conversation cancels what the bot was waiting for before any command runs; this only says so.
    if ctx.cancelled is None:
        return Reply("There was nothing to cancel. Type “help” to see what I can do.")
    return Reply("OK, cancelled. What would you like to do next?")
