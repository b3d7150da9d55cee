"""The home summary (Slack's App Home tab): the next check-in, the practice streak and quick buttons."""

from __future__ import annotations

from handlers.clock import ManualClock
from handlers.conversation import Conversation
from handlers.messages import Action, Reply
from handlers.names import ActionId
from tests.support.chat import ChatDriver


async def open_home(chat: ChatDriver) -> Reply:
    chat.last = await chat.conversation.handle(chat.incoming(action=Action(ActionId.HOME_OPEN)))
    return chat.last[-1]


async def test_home_shows_the_next_checkin_the_streak_and_quick_buttons(
    conversation: Conversation, clock: ManualClock
) -> None:
    chat = ChatDriver(conversation)
    await chat.say("hello")
    home = await open_home(chat)
    assert "Next check-in: none yet" in home.text
    assert "Practice streak: 0 weeks in a row (0 in the last 7 days)" in home.text
    await chat.say("checkin every friday at 16:00")
    await chat.say("did")
    await chat.press(chat.last[0].buttons[0].label)
    home = await open_home(chat)
    assert "Next check-in: Fri 6 Mar, 16:00 (every Friday at 16:00)" in home.text
    assert "Practice streak: 1 week in a row (1 in the last 7 days)" in home.text
    assert [b.label for b in home.buttons] == ["Ask a question", "Check in now", "Nudge me"]


async def test_home_works_with_two_checkins_at_the_same_time(conversation: Conversation) -> None:
    chat = ChatDriver(conversation)
    await chat.say("hello")
    await chat.say("checkin every friday at 16:00")
    await chat.say("checkin fri & sat at 16:00")
    home = await open_home(chat)
    assert "Next check-in: Fri 6 Mar, 16:00" in home.text
