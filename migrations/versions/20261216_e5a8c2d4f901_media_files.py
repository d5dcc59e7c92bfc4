"""Media library: images and audio clips for lessons, questions and call turns (lms/media)

Revision ID: e5a8c2d4f901
Revises: c7d3a9e5b1f4
Create Date: 2026-12-16 09:00:00

"""
import sqlalchemy as sa
from alembic import op

import lms.db


# revision identifiers, used by Alembic.
revision = 'e5a8c2d4f901'
down_revision = 'c7d3a9e5b1f4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('media_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.Enum('image', 'audio', name='mediakind', native_enum=False, length=10), nullable=False),
    sa.Column('mime', sa.String(length=40), nullable=False),
    sa.Column('extension', sa.String(length=8), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('alt_text', sa.String(length=500), nullable=False),
    sa.Column('transcript', sa.Text(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', lms.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_media_files_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_media_files')),
    sa.UniqueConstraint('digest', name=op.f('uq_media_files_digest')),
    sa.UniqueConstraint('name', name=op.f('uq_media_files_name'))
    )
    op.create_index(op.f('ix_media_files_uploaded_by_id'), 'media_files', ['uploaded_by_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_media_files_uploaded_by_id'), table_name='media_files')
    op.drop_table('media_files')
