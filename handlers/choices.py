"""Words for choices: a button can be answered by typing its label, an obvious synonym or its number.

Whenever a person is sent buttons (a turn's reply, a scheduled nudge or check-in, a
reminder), they are kept as the person's offered choices: sealed (a button may carry what
the person wrote), for a day, until newer buttons replace them. Text that is no exact
command and answers nothing the bot waits for is tried against them: "2", "the second one",
"done", "did it", "not today", "skip", "another", or the label itself, typos and all. Only a
short line is tried (a sentence is a message, not a choice), and only an unambiguous pick counts.
Each action declares its synonyms where it is registered (`Router.action(…, words=…)`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict
from datetime import datetime, timedelta

from rapidfuzz import fuzz

from handlers.messages import Button, Reply
from handlers.sealing import Sealer, SealError, open_payload, seal_payload
from storage.repositories import Repositories

CHOICES_LAST = timedelta(hours=24)
MAX_WORDS = 6  # longer is a message, not a pick
NEAR_LABEL = 88  # rapidfuzz ratio from which typed text is taken for a button's label
ORDINALS = {
    "first": 1, "1st": 1, "one": 1, "second": 2, "2nd": 2, "two": 2, "third": 3, "3rd": 3, "three": 3,
    "fourth": 4, "4th": 4, "four": 4, "fifth": 5, "5th": 5, "five": 5, "last": -1,
}  # fmt: skip
AROUND = frozenset("the a option number no # choice pick choose go with ill i will take please one button".split())


def last_buttons(replies: list[Reply]) -> tuple[Button, ...]:
    """The buttons of the last reply that has any (what the person sees at the bottom of the chat)."""
    return next((reply.buttons for reply in reversed(replies) if reply.buttons), ())


async def offer_choices(
    repos: Repositories, person_id: int, replies: list[Reply], now: datetime, sealer: Sealer | None
) -> bool:
    """Keep the buttons of `replies` as the person's offered choices; False (nothing kept) if there are none."""
    buttons = last_buttons(replies)
    if not buttons:
        return False
    sealed = seal_payload(sealer, {"buttons": [asdict(button) for button in buttons]})
    await repos.choices.keep(person_id, sealed, now=now, expires_at=now + CHOICES_LAST)
    return True


async def offered(repos: Repositories, person_id: int, now: datetime, sealer: Sealer | None) -> list[Button]:
    """The person's offered choices (none if they expired or were sealed under a secret since rotated)."""
    stored = await repos.choices.current(person_id, now)
    if stored is None:
        return []
    try:
        opened = open_payload(sealer, stored)
    except SealError:
        return []
    return [Button(**fields) for fields in opened.get("buttons", []) if isinstance(fields, dict)]


def _plain(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s#]", " ", re.sub(r"['’]", "", text.lower())).split())


def pick(text: str, buttons: list[Button], words: Mapping[str, tuple[str, ...]]) -> Button | None:
    """The button `text` picks: its number or ordinal, its label, or a synonym of its action; None if unclear."""
    said = _plain(text)
    if not said or not buttons or len(said.split()) > MAX_WORDS:
        return None
    number = _ordinal(said)
    if number is not None:
        index = len(buttons) - 1 if number == -1 else number - 1
        return buttons[index] if 0 <= index < len(buttons) else None
    by_label = [b for b in buttons if _plain(b.label) == said]
    if len(by_label) == 1:
        return by_label[0]
    by_word = [b for b in buttons if said in {_plain(w) for w in words.get(b.action, ())}]
    if by_word:
        return by_word[0] if len({b.action for b in by_word}) == 1 and len(by_word) == 1 else None
    scored = sorted(((fuzz.ratio(said, _plain(b.label)), n) for n, b in enumerate(buttons)), reverse=True)
    if scored[0][0] >= NEAR_LABEL and (len(scored) == 1 or scored[1][0] < scored[0][0]):
        return buttons[scored[0][1]]
    return None


def _ordinal(said: str) -> int | None:
    """1 for "1", "#1", "the first one", "option 1", "number one"; -1 for "the last one"; None otherwise."""
    rest = [w for w in said.replace("#", " ").split() if w not in AROUND]
    if not rest and said == "one":
        return 1
    if len(rest) != 1:
        return None
    return int(rest[0]) if rest[0].isdigit() else ORDINALS.get(rest[0])
