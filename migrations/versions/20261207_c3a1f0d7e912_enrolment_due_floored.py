"""enrolments: due_floored marks an onboarding due date set by the minimum days from the enrolment

Revision ID: c3a1f0d7e912
Revises: 5e1a7c3b9d20
Create Date: 2026-12-07 00:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c3a1f0d7e912'
down_revision = '5e1a7c3b9d20'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('enrolments') as batch:
        batch.add_column(sa.Column('due_floored', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('enrolments') as batch:
        batch.drop_column('due_floored')
