"""The schema only changes through migrations, and they produce exactly the models."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from lms.db import db
from lms.search.models import include_in_autogenerate


def _pending_diff():
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True,
                                                          "include_object": include_in_autogenerate})
        return compare_metadata(context, db.metadata)


def test_migrations_produce_exactly_the_models(app):
    assert _pending_diff() == []


def test_every_migration_downgrades_and_upgrades_again(app):
    db.session.remove()
    downgrade(revision="base")
    with db.engine.connect() as conn:
        tables = set(db.inspect(conn).get_table_names()) - {"alembic_version"}
    assert tables == set()
    upgrade()
    assert _pending_diff() == []
