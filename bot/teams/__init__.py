"""Microsoft Teams: the adapter (Bot Framework Activities → `Incoming`), Adaptive Card renderer and
Bot Connector transport.

Imported only when Teams is configured (or as the loopback emulator); nothing outside this package
imports botbuilder.
"""
