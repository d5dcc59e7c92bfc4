"""evaluation levels 1 and 3: when a survey is offered (survey_versions.offer) and the observation plans
that schedule observed calls at 30/60/90 days

Revision ID: 5e1a7c3b9d20
Revises: 7745346b6775
Create Date: 2026-12-07 00:00:00

"""
import sqlalchemy as sa
from alembic import op

import lms.db

revision = '5e1a7c3b9d20'
down_revision = '7745346b6775'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('survey_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('offer', sa.JSON(), nullable=False, server_default=sa.text("'{}'")))
    op.create_table('observation_plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=100), nullable=False),
    sa.Column('source_kind', sa.String(length=20), nullable=False),
    sa.Column('source_key', sa.String(length=100), nullable=False),
    sa.Column('definition', sa.JSON(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('updated_at', lms.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_observation_plans')),
    sa.UniqueConstraint('slug', name=op.f('uq_observation_plans_slug'))
    )
    with op.batch_alter_table('observation_plans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_observation_plans_source_key'), ['source_key'], unique=False)


def downgrade():
    with op.batch_alter_table('observation_plans', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_observation_plans_source_key'))
    op.drop_table('observation_plans')
    with op.batch_alter_table('survey_versions', schema=None) as batch_op:
        batch_op.drop_column('offer')
