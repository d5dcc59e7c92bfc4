"""cases: service cases shared by staff, reviewed by a trainer and published to the case library, with the
standard items each illustrates

Revision ID: 6c1a8e3f5b27
Revises: a4c9e2f70b63
Create Date: 2026-12-15 00:00:00

"""
import sqlalchemy as sa
from alembic import op

import lms.db

# revision identifiers, used by Alembic.
revision = '6c1a8e3f5b27'
down_revision = 'a4c9e2f70b63'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=100), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('draft', 'submitted', 'returned', 'published', 'rejected', name='casestatus',
                                native_enum=False, length=20), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('tier', sa.Enum('foundation', 'professional', 'management', 'development', name='tier',
                              native_enum=False, length=20), nullable=False),
    sa.Column('situation', sa.Text(), nullable=False),
    sa.Column('actions', sa.Text(), nullable=False),
    sa.Column('outcome', sa.Text(), nullable=False),
    sa.Column('lessons', sa.Text(), nullable=False),
    sa.Column('review_comment', sa.Text(), nullable=False),
    sa.Column('reviewer_id', sa.Integer(), nullable=True),
    sa.Column('submitted_at', lms.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reviewed_at', lms.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('published_at', lms.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('scenario_id', sa.Integer(), nullable=True),
    sa.Column('created_at', lms.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', lms.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_cases_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['reviewer_id'], ['users.id'], name=op.f('fk_cases_reviewer_id_users'),
                            ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['scenario_id'], ['scenarios.id'], name=op.f('fk_cases_scenario_id_scenarios'),
                            ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cases')),
    sa.UniqueConstraint('slug', name=op.f('uq_cases_slug'))
    )
    with op.batch_alter_table('cases') as batch:
        batch.create_index(batch.f('ix_cases_author_id'), ['author_id'], unique=False)
        batch.create_index('ix_cases_status_published', ['status', 'published_at'], unique=False)
    op.create_table('case_items',
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_items_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['item_id'], ['standard_items.id'], name=op.f('fk_case_items_item_id_standard_items'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('case_id', 'item_id', name=op.f('pk_case_items'))
    )
    with op.batch_alter_table('case_items') as batch:
        batch.create_index(batch.f('ix_case_items_item_id'), ['item_id'], unique=False)


def downgrade():
    op.drop_table('case_items')
    op.drop_table('cases')
