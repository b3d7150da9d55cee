"""The fake Slack Web API and Bot Connector answer updates and deletes the way the real ones do.

Transports that update or delete sent messages are tested against these fakes, so the fakes
themselves are checked here, through the platforms' own clients (slack_sdk, botframework-connector).
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from botbuilder.schema import Activity, ActivityTypes, ErrorResponseException
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import MicrosoftAppCredentials
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from tests.support.fake_connector import FakeConnector
from tests.support.fake_slack import FakeSlack


@pytest.fixture
async def slack() -> AsyncIterator[FakeSlack]:
    fake = await FakeSlack().start()
    yield fake
    await fake.close()


@pytest.fixture
async def connector() -> AsyncIterator[FakeConnector]:
    fake = await FakeConnector().start()
    yield fake
    await fake.close()


async def test_fake_slack_posts_to_a_user_in_their_dm_and_updates_and_deletes_it_there(slack: FakeSlack) -> None:
    client = AsyncWebClient(token="xoxb-test", base_url=slack.url)
    posted = await client.chat_postMessage(channel="U024BE7LH", text="Hello")
    assert posted["channel"] == "D024BE7LH" and posted["ts"]

    updated = await client.chat_update(channel=posted["channel"], ts=posted["ts"], text="Hello again")
    assert (updated["ok"], updated["channel"], updated["ts"]) == (True, posted["channel"], posted["ts"])
    assert slack.messages == {(posted["channel"], posted["ts"]): "Hello again"}

    deleted = await client.chat_delete(channel=posted["channel"], ts=posted["ts"])
    assert (deleted["ok"], deleted["channel"], deleted["ts"]) == (True, posted["channel"], posted["ts"])
    with pytest.raises(SlackApiError) as gone:
        await client.chat_update(channel=posted["channel"], ts=posted["ts"], text="Too late")
    assert gone.value.response["error"] == "message_not_found"


async def test_fake_slack_refuses_to_update_a_message_by_the_user_id_it_was_posted_to(slack: FakeSlack) -> None:
    client = AsyncWebClient(token="xoxb-test", base_url=slack.url)
    posted = await client.chat_postMessage(channel="U024BE7LH", text="Hello")
    with pytest.raises(SlackApiError) as refused:
        await client.chat_update(channel="U024BE7LH", ts=posted["ts"], text="Hello again")
    assert refused.value.response["error"] == "message_not_found"


async def test_fake_connector_updates_and_deletes_an_activity_it_accepted(connector: FakeConnector) -> None:
    async with ConnectorClient(MicrosoftAppCredentials("", ""), base_url=connector.url) as client:
        sent = await client.conversations.send_to_conversation("a:chat-1", Activity(type=ActivityTypes.message))
        edit = Activity(type=ActivityTypes.message, id=sent.id, text="edited")
        assert (await client.conversations.update_activity("a:chat-1", sent.id, edit)).id == sent.id
        await client.conversations.delete_activity("a:chat-1", sent.id)
        with pytest.raises(ErrorResponseException) as gone:
            await client.conversations.update_activity("a:chat-1", sent.id, edit)
    assert gone.value.response.status_code == 404
    assert [(s.conversation, s.activity_id, s.activity.get("text")) for s in connector.updated] == [
        ("a:chat-1", sent.id, "edited")
    ]
    assert [(d.conversation, d.activity_id) for d in connector.deleted] == [("a:chat-1", sent.id)]


async def test_fake_connector_answers_404_for_an_activity_it_never_sent(connector: FakeConnector) -> None:
    async with ConnectorClient(MicrosoftAppCredentials("", ""), base_url=connector.url) as client:
        with pytest.raises(ErrorResponseException) as unknown:
            await client.conversations.delete_activity("a:chat-1", "activity-404")
    assert unknown.value.response.status_code == 404 and connector.deleted == []
