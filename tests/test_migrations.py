"""Migrations build the whole schema from empty, match the models, and tear down again."""

from __future__ import annotations

import os
import uuid

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from lms import create_app
from lms.extensions import db


def _round_trip(url: str) -> None:
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url, REDIS_URL=None)
    with app.app_context():
        upgrade()
        engine = db.engine
        tables = set(sa.inspect(engine).get_table_names())
        assert set(db.metadata.tables) <= tables
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            diff = compare_metadata(context, db.metadata)
        assert diff == [], f"models and migrations differ: {diff}"
        downgrade(revision="base")
        assert set(sa.inspect(engine).get_table_names()) <= {"alembic_version"}
        db.session.remove()
        engine.dispose()


def test_sqlite_upgrade_to_head_and_downgrade_to_base(tmp_path):
    _round_trip(f"sqlite:///{tmp_path / 'migrations.sqlite'}")


def test_postgresql_upgrade_to_head_and_downgrade_to_base():
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql")):
        pytest.skip("DATABASE_URL is not PostgreSQL: the PostgreSQL run in CI covers this")
    from config import _database_url

    base = sa.make_url(_database_url(url))
    name = f"lms_migrations_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        _round_trip(base.set(database=name).render_as_string(hide_password=False))
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()
