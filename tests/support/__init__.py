"""Test support: database fixtures, a conversation driver, subprocess helpers."""
