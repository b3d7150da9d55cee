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


# A message that only acknowledges ("ok", "thanks that helps", "ok i will try, thank u", "thank you ma"), or asks for
# more when there is no more, or says the answer missed: walked 2026-12-07, "ok" had been answered with the section on
# giving feedback (even straight after crisis support), "thanks that helps" asked "Did you mean: thanks", "more" was
# declined with "I can't help with that here" and "that is not what i asked" answered with flexible working. Read after
# anything the bot waits for and any capability still waiting for free text ("good thanks" to last week's check-in is
# its reflection), before commands in own words and the answerer (`handlers.conversation`).
_ACK = (
    r"(?:ok|okay|k|kk|okey|cool|great|good|fine|grand|sound|noted|brilliant|lovely|perfect|ace|nice(?: one)?|"
    r"thanks|thank you|thank u|thankyou|thanx|thx|ty|ta|cheers|appreciate it|much appreciated|"
    r"will do|got it|gotcha|i will|i'?ll|will|try|that|thats|that'?s|this|it|its|helps|helped|is|was|very|really|so|"
    r"super|helpful|useful|makes sense|ma|maam|ma'am|mam|sir|love|hun|again|then|for (?:that|this|the help|your help|"
    r"the advice)|very much|so much|a lot|lots|all|now|bye|for now|x{1,3})"
)
ACKNOWLEDGES = re.compile(rf"\W*{_ACK}(?:[\s,.!]+{_ACK})*[\s!.:)]*", re.I)
THANKED = re.compile(r"thank|thanx|thx|\bty\b|\bta\b|cheers|appreciate|helpful|useful|helps|helped", re.I)
ASKS_MORE = re.compile(r"\W*(?:(?:tell me |can i have |can you give me |give me )?(?:some )?more|go on|read more|"
                       r"(?:can you |could you )?(?:say|tell me) more(?: about (?:that|it|this))?|more (?:info|detail"
                       r"|details|please|pls))\W*", re.I)  # fmt: skip
MISSED = re.compile(
    r"\W*(?:no[,.!]?\s+)?(?:that'?s|thats|that is|this is|its|it'?s|it is)?\s*(?:not what i (?:asked|meant|wanted|"
    r"need)(?: for)?|(?:the )?wrong(?: answer| thing| topic)?|not (?:helpful|relevant|right|it)|(?:a )?(?:rubbish|"
    r"useless|unhelpful) answer|no help)\W*",
    re.I,
)


def small_talk_reply(text: str) -> Reply | None:
    """The reply to a message that only acknowledges, asks for more when none is offered, or says the answer missed;
    None for anything else."""
    if ACKNOWLEDGES.fullmatch(text):
        if THANKED.search(text):
            return Reply("You're welcome. I'm here whenever you need me.")
        return Reply("OK. I'm here whenever you need me: ask me anything, or type “help” to see what I can do.")
    if ASKS_MORE.fullmatch(text):
        return Reply(
            "That's all I have on that one. Ask me a follow-up in your own words, saying what you'd like to know, or "
            "type “topics” to browse."
        )
    if MISSED.fullmatch(text):
        return Reply(
            "Sorry, I got that wrong. Please ask again in one message, in other words, and "
            "name the situation (for example “a colleague keeps taking credit for my work, what can I do?”). Type "
            "“topics” to browse what I know."
        )
    return None


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
        from handlers.follow_ups import remembered  # (it imports nothing of ours back)

        kept = await remembered(ctx)
        signposts = ctx.services.signposts
        if kept is not None and kept.own_support is not None and signposts is not None:
            # "forget it" soon after telling of a plan, an overdose or an assault: not "nothing to cancel" (walk C,
            # 2026-12-07), but that the bot is still there
            line = signposts.still_there(urgent=kept.urgent)
            if line:
                return Reply(line, private=True)
        return Reply("There was nothing to cancel. Type “help” to see what I can do.")
    return Reply("OK, cancelled. What would you like to do next?")
