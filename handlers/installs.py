"""When the app is removed from someone's personal chat: nothing more can be sent there."""

from __future__ import annotations

from handlers.context import Context
from handlers.messages import Reply
from handlers.names import ActionId
from handlers.router import Router

routes = Router()


@routes.action(ActionId.APP_REMOVED)
async def app_removed(ctx: Context) -> list[Reply]:
    """Mark the person unreachable on that platform (only their personal chat is their address)."""
    if ctx.incoming.private:
        await ctx.repos.people.mark_unreachable(
            ctx.person_id, ctx.incoming.platform, "the app was uninstalled", ctx.now
        )
    return []
