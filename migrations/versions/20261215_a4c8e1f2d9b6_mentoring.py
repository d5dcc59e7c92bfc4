"""Mentoring and shadowing for new hires: each path's mentoring plan (check-in days, items to sign off), the
mentorships with the history of mentor choices, the shadowing log with its standard items, check-ins and
sign-offs

Revision ID: a4c8e1f2d9b6
Revises: 6b1d4e8f2c73
Create Date: 2026-12-15 12:00:00

"""
import sqlalchemy as sa
from alembic import op

import lms.db


# revision identifiers, used by Alembic.
revision = 'a4c8e1f2d9b6'
down_revision = '6b1d4e8f2c73'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('mentoring_plans',
    sa.Column('path_id', sa.Integer(), nullable=False),
    sa.Column('check_in_days', sa.JSON(), nullable=False),
    sa.Column('item_codes', sa.JSON(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['path_id'], ['onboarding_paths.id'], name=op.f('fk_mentoring_plans_path_id_onboarding_paths'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('path_id', name=op.f('pk_mentoring_plans'))
    )
    op.create_table('mentorships',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('mentee_id', sa.Integer(), nullable=False),
    sa.Column('path_id', sa.Integer(), nullable=False),
    sa.Column('mentor_id', sa.Integer(), nullable=True),
    sa.Column('started_on', sa.Date(), nullable=False),
    sa.Column('opened_at', lms.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('completed_at', lms.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['mentee_id'], ['users.id'], name=op.f('fk_mentorships_mentee_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['mentor_id'], ['users.id'], name=op.f('fk_mentorships_mentor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['path_id'], ['onboarding_paths.id'], name=op.f('fk_mentorships_path_id_onboarding_paths'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentorships')),
    sa.UniqueConstraint('mentee_id', 'path_id', name=op.f('uq_mentorships_mentee_id_path_id'))
    )
    with op.batch_alter_table('mentorships', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentorships_mentee_id'), ['mentee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentorships_mentor_id'), ['mentor_id'], unique=False)

    op.create_table('mentor_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('mentorship_id', sa.Integer(), nullable=False),
    sa.Column('mentor_id', sa.Integer(), nullable=True),
    sa.Column('previous_mentor_id', sa.Integer(), nullable=True),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.Column('changed_at', lms.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['changed_by_id'], ['users.id'], name=op.f('fk_mentor_changes_changed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['mentor_id'], ['users.id'], name=op.f('fk_mentor_changes_mentor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['mentorship_id'], ['mentorships.id'], name=op.f('fk_mentor_changes_mentorship_id_mentorships'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['previous_mentor_id'], ['users.id'], name=op.f('fk_mentor_changes_previous_mentor_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentor_changes'))
    )
    with op.batch_alter_table('mentor_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentor_changes_mentorship_id'), ['mentorship_id'], unique=False)

    op.create_table('mentoring_check_ins',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('mentorship_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Integer(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('done_at', lms.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('done_by_id', sa.Integer(), nullable=True),
    sa.Column('rating', sa.Enum('concern', 'behind', 'on_track', 'ahead', name='progressrating', native_enum=False, length=20), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['done_by_id'], ['users.id'], name=op.f('fk_mentoring_check_ins_done_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['mentorship_id'], ['mentorships.id'], name=op.f('fk_mentoring_check_ins_mentorship_id_mentorships'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_check_ins')),
    sa.UniqueConstraint('mentorship_id', 'day', name=op.f('uq_mentoring_check_ins_mentorship_id_day'))
    )
    with op.batch_alter_table('mentoring_check_ins', schema=None) as batch_op:
        batch_op.create_index('ix_mentoring_check_ins_open', ['done_at', 'due_on'], unique=False)

    op.create_table('mentoring_sign_offs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('mentorship_id', sa.Integer(), nullable=False),
    sa.Column('item_code', sa.String(length=24), nullable=False),
    sa.Column('signed_by_id', sa.Integer(), nullable=True),
    sa.Column('signed_at', lms.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['mentorship_id'], ['mentorships.id'], name=op.f('fk_mentoring_sign_offs_mentorship_id_mentorships'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['signed_by_id'], ['users.id'], name=op.f('fk_mentoring_sign_offs_signed_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_sign_offs')),
    sa.UniqueConstraint('mentorship_id', 'item_code', name=op.f('uq_mentoring_sign_offs_mentorship_id_item_code'))
    )
    op.create_table('shadowing_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('mentorship_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.Enum('listened', 'took_call', 'practice', name='entrykind', native_enum=False, length=20), nullable=False),
    sa.Column('happened_on', sa.Date(), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('mentor_comment', sa.Text(), nullable=False),
    sa.Column('confirmed_at', lms.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('confirmed_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', lms.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_shadowing_entries_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['confirmed_by_id'], ['users.id'], name=op.f('fk_shadowing_entries_confirmed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['mentorship_id'], ['mentorships.id'], name=op.f('fk_shadowing_entries_mentorship_id_mentorships'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shadowing_entries'))
    )
    with op.batch_alter_table('shadowing_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shadowing_entries_mentorship_id'), ['mentorship_id'], unique=False)

    op.create_table('shadowing_entry_items',
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['entry_id'], ['shadowing_entries.id'], name=op.f('fk_shadowing_entry_items_entry_id_shadowing_entries'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['item_id'], ['standard_items.id'], name=op.f('fk_shadowing_entry_items_item_id_standard_items'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('entry_id', 'item_id', name=op.f('pk_shadowing_entry_items'))
    )


def downgrade():
    op.drop_table('shadowing_entry_items')
    with op.batch_alter_table('shadowing_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shadowing_entries_mentorship_id'))

    op.drop_table('shadowing_entries')
    op.drop_table('mentoring_sign_offs')
    with op.batch_alter_table('mentoring_check_ins', schema=None) as batch_op:
        batch_op.drop_index('ix_mentoring_check_ins_open')

    op.drop_table('mentoring_check_ins')
    with op.batch_alter_table('mentor_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentor_changes_mentorship_id'))

    op.drop_table('mentor_changes')
    with op.batch_alter_table('mentorships', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentorships_mentor_id'))
        batch_op.drop_index(batch_op.f('ix_mentorships_mentee_id'))

    op.drop_table('mentorships')
    op.drop_table('mentoring_plans')
