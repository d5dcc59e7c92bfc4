"""enrolments: assignment_batch names the one action that assigned an enrolment (one message per learner)

Revision ID: 8d3b6f1e2a47
Revises: 5c8e1a3f7b20
Create Date: 2026-12-09 00:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '8d3b6f1e2a47'
down_revision = '5c8e1a3f7b20'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('enrolments') as batch:
        batch.add_column(sa.Column('assignment_batch', sa.String(length=32), nullable=True))
        batch.create_index(batch.f('ix_enrolments_assignment_batch'), ['assignment_batch'], unique=False)


def downgrade():
    with op.batch_alter_table('enrolments') as batch:
        batch.drop_index(batch.f('ix_enrolments_assignment_batch'))
        batch.drop_column('assignment_batch')
