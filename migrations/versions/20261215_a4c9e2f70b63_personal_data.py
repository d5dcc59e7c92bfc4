"""Personal data: the record of each erased person (their pseudonym's number) and retention periods

Revision ID: a4c9e2f70b63
Revises: 5b8e1c3f9a62
Create Date: 2026-12-15 09:00:00

"""
import sqlalchemy as sa
from alembic import op

import lms.db

# revision identifiers, used by Alembic.
revision = 'a4c9e2f70b63'
down_revision = '5b8e1c3f9a62'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('personal_data_erasures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('erased_at', lms.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('erased_by_id', sa.Integer(), nullable=True),
    sa.Column('counts', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_personal_data_erasures_user_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['erased_by_id'], ['users.id'], name=op.f('fk_personal_data_erasures_erased_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_personal_data_erasures')),
    sa.UniqueConstraint('user_id', name=op.f('uq_personal_data_erasures_user_id'))
    )
    op.create_table('retention_settings',
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('days', sa.Integer(), nullable=True),
    sa.Column('set_by_id', sa.Integer(), nullable=True),
    sa.Column('set_at', lms.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['set_by_id'], ['users.id'], name=op.f('fk_retention_settings_set_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_retention_settings'))
    )


def downgrade():
    op.drop_table('retention_settings')
    op.drop_table('personal_data_erasures')
