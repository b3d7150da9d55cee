"""The Slack app manifest and the Teams app manifest with its icons, as package data.

A package only so that the files ship in the wheel and are found after a plain
`pip install` (read them through `bot.manifests`, which fills them in).
"""
