"""Classroom and live sessions: session templates (courses/sessions), sessions with their seats (enrolled,
waiting, cancelled; attendance), drill records; a course version may require its session, and an onboarding
path may list session templates

Revision ID: 6c1d4e8a2f57
Revises: a4c8e1f2d9b6
Create Date: 2026-12-07 11:57:08.373463

"""
import sqlalchemy as sa
from alembic import op

import lms.db


# revision identifiers, used by Alembic.
revision = '6c1d4e8a2f57'
down_revision = 'a4c8e1f2d9b6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('classroom_templates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.Enum('induction', 'workshop', 'outside_trainer', 'law_update', 'drill', name='sessionkind', native_enum=False, length=20), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('course_code', sa.String(length=16), nullable=True),
    sa.Column('standards', sa.JSON(), nullable=False),
    sa.Column('drill_steps', sa.JSON(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_classroom_templates')),
    sa.UniqueConstraint('slug', name=op.f('uq_classroom_templates_slug'))
    )
    op.create_table('classroom_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=80), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('induction', 'workshop', 'outside_trainer', 'law_update', 'drill', name='sessionkind', native_enum=False, length=20), nullable=False),
    sa.Column('template_slug', sa.String(length=100), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=True),
    sa.Column('exam_id', sa.Integer(), nullable=True),
    sa.Column('starts_at', lms.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', lms.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('video_link', sa.String(length=500), nullable=False),
    sa.Column('trainer_id', sa.Integer(), nullable=True),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('standards', sa.JSON(), nullable=False),
    sa.Column('drill_steps', sa.JSON(), nullable=False),
    sa.Column('status', sa.Enum('scheduled', 'cancelled', name='sessionstatus', native_enum=False, length=20), nullable=False),
    sa.Column('created_at', lms.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', lms.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_classroom_sessions_course_id_courses'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['exam_id'], ['exams.id'], name=op.f('fk_classroom_sessions_exam_id_exams'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['trainer_id'], ['users.id'], name=op.f('fk_classroom_sessions_trainer_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_classroom_sessions')),
    sa.UniqueConstraint('uid', name=op.f('uq_classroom_sessions_uid'))
    )
    with op.batch_alter_table('classroom_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_classroom_sessions_course_id'), ['course_id'], unique=False)
        batch_op.create_index('ix_classroom_sessions_starts', ['starts_at'], unique=False)

    op.create_table('classroom_drills',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('scenario', sa.Text(), nullable=False),
    sa.Column('observed', sa.JSON(), nullable=False),
    sa.Column('debrief', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', lms.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', lms.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_classroom_drills_recorded_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['session_id'], ['classroom_sessions.id'], name=op.f('fk_classroom_drills_session_id_classroom_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_classroom_drills')),
    sa.UniqueConstraint('session_id', name=op.f('uq_classroom_drills_session_id'))
    )
    op.create_table('classroom_seats',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('enrolled', 'waiting', 'cancelled', name='seatstatus', native_enum=False, length=20), nullable=False),
    sa.Column('source', sa.Enum('self', 'manager', 'assigned', name='seatsource', native_enum=False, length=20), nullable=False),
    sa.Column('queue_number', sa.Integer(), nullable=False),
    sa.Column('requested_at', lms.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('enrolled_by_id', sa.Integer(), nullable=True),
    sa.Column('promoted_at', lms.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('cancelled_at', lms.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('attendance', sa.Enum('present', 'late', 'absent', 'excused', name='attendance', native_enum=False, length=20), nullable=True),
    sa.Column('attendance_at', lms.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('completed_at', lms.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['enrolled_by_id'], ['users.id'], name=op.f('fk_classroom_seats_enrolled_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['session_id'], ['classroom_sessions.id'], name=op.f('fk_classroom_seats_session_id_classroom_sessions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_classroom_seats_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_classroom_seats')),
    sa.UniqueConstraint('session_id', 'user_id', name=op.f('uq_classroom_seats_session_id_user_id'))
    )
    with op.batch_alter_table('classroom_seats', schema=None) as batch_op:
        batch_op.create_index('ix_classroom_seats_session_status', ['session_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_classroom_seats_user_id'), ['user_id'], unique=False)

    # Plain ALTER TABLE … ADD COLUMN, also on SQLite: a batch copy of course_versions would drop the table under
    # the rows that refer to it (foreign keys are enforced) once there is content.
    op.add_column('course_versions', sa.Column('requires_session', sa.Boolean(), server_default=sa.false(),
                                               nullable=False))

    op.add_column('onboarding_paths', sa.Column('session_steps', sa.JSON(), server_default='[]', nullable=False))



def downgrade():
    # Plain ALTER TABLE … DROP COLUMN (SQLite 3.35+): a batch copy of course_versions would drop the table
    # under the rows that refer to it (foreign keys are enforced) once there is content.
    op.drop_column('onboarding_paths', 'session_steps')
    op.drop_column('course_versions', 'requires_session')

    with op.batch_alter_table('classroom_seats', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_classroom_seats_user_id'))
        batch_op.drop_index('ix_classroom_seats_session_status')

    op.drop_table('classroom_seats')
    op.drop_table('classroom_drills')
    with op.batch_alter_table('classroom_sessions', schema=None) as batch_op:
        batch_op.drop_index('ix_classroom_sessions_starts')
        batch_op.drop_index(batch_op.f('ix_classroom_sessions_course_id'))

    op.drop_table('classroom_sessions')
    op.drop_table('classroom_templates')
