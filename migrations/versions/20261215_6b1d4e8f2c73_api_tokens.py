"""api_tokens: personal and service tokens of the API under /api/v1 (stored as SHA-256 hashes)

Revision ID: 6b1d4e8f2c73
Revises: 6c1a8e3f5b27
Create Date: 2026-12-15 00:00:00

"""
import sqlalchemy as sa
from alembic import op

import lms.db

# revision identifiers, used by Alembic.
revision = '6b1d4e8f2c73'
down_revision = '6c1a8e3f5b27'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'api_tokens',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.Enum('personal', 'service', name='tokenkind', native_enum=False, length=10),
                  nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('prefix', sa.String(length=20), nullable=False),
        sa.Column('secret_hash', sa.String(length=64), nullable=False),
        sa.Column('scopes', sa.JSON(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', lms.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('expires_on', sa.Date(), nullable=False),
        sa.Column('last_used_at', lms.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('revoked_at', lms.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_api_tokens_user_id_users'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_api_tokens_created_by_id_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
        sa.UniqueConstraint('secret_hash', name=op.f('uq_api_tokens_secret_hash')),
    )
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_tokens_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_tokens_user_id'))
    op.drop_table('api_tokens')
