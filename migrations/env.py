"""Alembic environment: one transaction per migration, and a lock so concurrent runs don't collide."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import api.models  # noqa: F401  (registers the tables on SQLModel.metadata for autogenerate)
from api.db import create_db_engine, is_sqlite
from api.migrate import ADVISORY_LOCK_KEY
from api.settings import get_settings

config = context.config


def database_url() -> str:
    return config.get_main_option("sqlalchemy.url") or get_settings().effective_database_url


def run_migrations_offline() -> None:
    context.configure(url=database_url(), target_metadata=SQLModel.metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    url = database_url()
    engine = create_db_engine(url)
    with engine.connect() as connection:
        if not is_sqlite(url):
            # Session-level lock: a second process waits here, then finds the migrations applied.
            connection.exec_driver_sql(f"SELECT pg_advisory_lock({ADVISORY_LOCK_KEY})")
            connection.commit()
        try:
            context.configure(
                connection=connection,
                target_metadata=SQLModel.metadata,
                transaction_per_migration=True,
                render_as_batch=is_sqlite(url),
            )
            with context.begin_transaction():
                context.run_migrations()
        finally:
            if not is_sqlite(url):
                connection.rollback()
                connection.exec_driver_sql(f"SELECT pg_advisory_unlock({ADVISORY_LOCK_KEY})")
                connection.commit()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
