"""The store: members' answers and moderators' records. The only package that writes SQL.

`Store.open(target)` picks the database from `target` (default `ADVISOR_DB`): a path or
`sqlite:///…` opens SQLite (the default, one process); `postgresql://…` opens PostgreSQL
(several processes sharing one truth). Everything above calls `Store`'s methods only.
"""

from bot.errors import StoreError
from bot.store.base import Store, default_target, load_key, open_store
from bot.store.sqlite import MIGRATIONS

__all__ = ["MIGRATIONS", "Store", "StoreError", "default_target", "load_key", "open_store"]
