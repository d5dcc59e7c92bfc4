"""data_generation: one token per kind of cached data (content, results), replacing content_generation

Revision ID: 5c8e1a3f7b20
Revises: 4f6a2d9c8e31
Create Date: 2026-12-07 06:20:00

"""
import secrets

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '5c8e1a3f7b20'
down_revision = '4f6a2d9c8e31'
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        'data_generation',
        sa.Column('name', sa.String(length=32), nullable=False),
        sa.Column('token', sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_data_generation')),
    )
    # Both rows exist from the start, so two first writers never race to insert one; random, so two
    # databases created at the same address never share a token.
    op.bulk_insert(table, [{'name': 'content', 'token': secrets.token_hex(16)},
                           {'name': 'results', 'token': secrets.token_hex(16)}])
    op.drop_table('content_generation')


def downgrade():
    table = op.create_table(
        'content_generation',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token', sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_content_generation')),
    )
    op.bulk_insert(table, [{'id': 1, 'token': 'initial'}])
    op.drop_table('data_generation')
