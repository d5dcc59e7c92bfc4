"""content_phrases: the content's corrections to OpenCC's Taiwan-to-mainland conversion (zh_Hans readers)

Revision ID: 2e7c5a9d4b18
Revises: 8d3b6f1e2a47
Create Date: 2026-12-10 00:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '2e7c5a9d4b18'
down_revision = '8d3b6f1e2a47'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'content_phrases',
        sa.Column('traditional', sa.String(length=40), nullable=False),
        sa.Column('simplified', sa.String(length=80), nullable=False),
        sa.PrimaryKeyConstraint('traditional', name=op.f('pk_content_phrases')),
    )


def downgrade():
    op.drop_table('content_phrases')
