"""Background workers: long-running loops with an owner and a shutdown path.

On SQLite one process per database file runs them (a lock file beside the
database says which); on PostgreSQL every replica runs them and leases share
the work.
"""

from bot.workers.group import Worker, WorkerGroup

__all__ = ["Worker", "WorkerGroup"]
