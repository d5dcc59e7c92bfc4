"""standard item sources: each item (and each kept earlier wording) records whether it restates the
standards document, is centre practice where the document is silent, or adapts the document (with a note
of what changed). Existing rows restate the document until the next content import says otherwise.

Revision ID: 4f6a2d9c8e31
Revises: 9b4e2c7a1d05
Create Date: 2026-12-08 09:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = '4f6a2d9c8e31'
down_revision = '9b4e2c7a1d05'
branch_labels = None
depends_on = None

SOURCE = sa.Enum('document', 'centre', 'adapted', name='itemsource', native_enum=False, length=20)


def upgrade():
    for table in ('standard_items', 'standard_item_revisions'):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column('source', SOURCE, nullable=False, server_default='document'))
            batch.add_column(sa.Column('source_note', sa.String(length=300), nullable=False, server_default=''))


def downgrade():
    for table in ('standard_item_revisions', 'standard_items'):
        with op.batch_alter_table(table) as batch:
            batch.drop_column('source_note')
            batch.drop_column('source')
