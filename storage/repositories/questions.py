"""Recent questions: the last question each person was answered, kept until it expires or a newer one replaces it."""

from __future__ import annotations

from storage.models import RecentQuestion
from storage.repositories.per_person import PerPersonValue


class RecentQuestionRepository(PerPersonValue[RecentQuestion]):
    """Each person's last question (sealed by the caller); expired rows count as absent."""

    model = RecentQuestion
    field = "question"
