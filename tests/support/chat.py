"""A conversation driver for handler tests (after botbuilder's TestFlow): say, press, read."""

from __future__ import annotations

from handlers.conversation import Conversation
from handlers.messages import Action, Incoming, Reply


class ChatDriver:
    """Talks to the core as one person, without any platform."""

    def __init__(
        self,
        conversation: Conversation,
        identity: str = "console:alice",
        *,
        platform: str = "console",
        name: str | None = "Alice Example",
        email: str | None = None,
        private: bool = True,
    ) -> None:
        self.conversation = conversation
        self.identity = identity
        self.platform = platform
        self.name = name
        self.email = email
        self.private = private
        self.last: list[Reply] = []

    def incoming(self, text: str = "", action: Action | None = None, event_id: str | None = None) -> Incoming:
        return Incoming(
            platform=self.platform,
            identity=self.identity,
            conversation=f"dm:{self.identity}",
            text=text,
            action=action,
            private=self.private,
            name=self.name,
            email=self.email,
            event_id=event_id,
        )

    async def say(self, text: str) -> list[Reply]:
        self.last = await self.conversation.handle(self.incoming(text))
        return self.last

    async def press(self, label: str) -> list[Reply]:
        """Press the button labelled `label` in the last replies."""
        for reply in self.last:
            for button in reply.buttons:
                if button.label == label:
                    self.last = await self.conversation.handle(
                        self.incoming(action=Action(button.action, dict(button.value)))
                    )
                    return self.last
        raise AssertionError(f"no button {label!r} in {[b.label for r in self.last for b in r.buttons]}")

    @property
    def text(self) -> str:
        return "\n".join(reply.text for reply in self.last)
