"""Wiring: settings, CLI, the aiohttp app, platform adapters and background workers."""
