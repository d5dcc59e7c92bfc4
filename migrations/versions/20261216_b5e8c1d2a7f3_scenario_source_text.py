"""Scenario versions keep the YAML text they were made from (the file, the YAML editor's text or the call
builder's), so the builder's YAML view and a save of unchanged data give back that text byte for byte

Revision ID: b5e8c1d2a7f3
Revises: e5a8c2d4f901
Create Date: 2026-12-16 15:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'b5e8c1d2a7f3'
down_revision = 'e5a8c2d4f901'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('scenario_versions', sa.Column('source_text', sa.Text(), nullable=True))


def downgrade():
    op.drop_column('scenario_versions', 'source_text')
