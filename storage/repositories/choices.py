"""Offered choices: the buttons a person was last sent, kept until they expire or newer ones replace them."""

from __future__ import annotations

from storage.models import OfferedChoices
from storage.repositories.per_person import PerPersonValue


class ChoicesRepository(PerPersonValue[OfferedChoices]):
    """Each person's latest offered choices; expired rows count as absent."""

    model = OfferedChoices
    field = "choices"
