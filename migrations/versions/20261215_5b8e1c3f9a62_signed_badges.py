"""signed badges: the issuer's signing keys and each certificate's place in the status lists

Revision ID: 5b8e1c3f9a62
Revises: a4c9e2f71b36
Create Date: 2026-12-15 00:00:00

Certificates issued before this revision get a random, unique status index here (131,072 places per list,
filled to at most half, as lms/certification/credential_status.py allocates them).
"""
import secrets

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '5b8e1c3f9a62'
down_revision = 'a4c9e2f71b36'
branch_labels = None
depends_on = None

LIST_SIZE = 131072


def upgrade():
    op.create_table(
        'issuer_keys',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('thumbprint', sa.String(length=64), nullable=False),
        sa.Column('algorithm', sa.String(length=10), nullable=False),
        sa.Column('public_jwk', sa.JSON(), nullable=False),
        sa.Column('private_key', sa.LargeBinary(), nullable=False),
        sa.Column('state', sa.Enum('active', 'retired', 'revoked', name='keystate', native_enum=False,
                                   length=20), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_issuer_keys')),
        sa.UniqueConstraint('thumbprint', name=op.f('uq_issuer_keys_thumbprint')),
    )
    op.create_index('uq_issuer_keys_active', 'issuer_keys', ['state'], unique=True,
                    sqlite_where=sa.text("state = 'active'"), postgresql_where=sa.text("state = 'active'"))
    with op.batch_alter_table('certificates') as batch:
        batch.add_column(sa.Column('status_index', sa.Integer(), nullable=True))
        batch.create_unique_constraint(op.f('uq_certificates_status_index'), ['status_index'])
    certificates = sa.table('certificates', sa.column('id', sa.Integer), sa.column('status_index', sa.Integer))
    connection = op.get_bind()
    ids = [row.id for row in connection.execute(sa.select(certificates.c.id).order_by(certificates.c.id))]
    space = LIST_SIZE * (len(ids) // (LIST_SIZE // 2) + 1)
    for cert_id, index in zip(ids, secrets.SystemRandom().sample(range(space), len(ids)), strict=True):
        connection.execute(certificates.update().where(certificates.c.id == cert_id).values(status_index=index))


def downgrade():
    with op.batch_alter_table('certificates') as batch:
        batch.drop_constraint(op.f('uq_certificates_status_index'), type_='unique')
        batch.drop_column('status_index')
    op.drop_index('uq_issuer_keys_active', table_name='issuer_keys')
    op.drop_table('issuer_keys')
