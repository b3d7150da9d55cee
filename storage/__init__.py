"""Storage: SQLModel tables, the async database, repositories and Alembic migrations.

Storage remembers; it decides nothing. Every time it stores is UTC.
"""

from storage.db import Database
from storage.migrate import upgrade_database

__all__ = ["Database", "upgrade_database"]
