"""Slack: the adapter (signed requests and Socket Mode → `Incoming`), Block Kit renderer and Web API transport.

Imported only when Slack is configured; nothing outside this package imports slack_bolt or slack_sdk.
"""
