"""KPI thresholds: the file's default per KPI, overrides for the centre or a team, and the courses assigned
in answer to a KPI flag (with the value and threshold of the flag, to show later whether the KPI recovered)

Revision ID: b7d2e4f1a083
Revises: 0b5e2d7c4a11
Create Date: 2026-12-07 03:10:00

"""
import sqlalchemy as sa
from alembic import op

import lms.db

# revision identifiers, used by Alembic.
revision = 'b7d2e4f1a083'
down_revision = '0b5e2d7c4a11'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('kpi_definitions') as batch:
        batch.add_column(sa.Column('threshold', sa.Double(), nullable=True))
    op.create_table('kpi_thresholds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kpi_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('value', sa.Double(), nullable=False),
    sa.Column('set_by_id', sa.Integer(), nullable=True),
    sa.Column('set_at', lms.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('value = value', name=op.f('ck_kpi_thresholds_value_is_a_number')),
    sa.ForeignKeyConstraint(['kpi_id'], ['kpi_definitions.id'], name=op.f('fk_kpi_thresholds_kpi_id_kpi_definitions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_kpi_thresholds_team_id_teams'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['set_by_id'], ['users.id'], name=op.f('fk_kpi_thresholds_set_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kpi_thresholds'))
    )
    with op.batch_alter_table('kpi_thresholds') as batch:
        batch.create_index('ix_kpi_thresholds_kpi_team', ['kpi_id', 'team_id'], unique=False)
    op.create_table('kpi_flag_assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kpi_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('enrolment_id', sa.Integer(), nullable=True),
    sa.Column('value', sa.Double(), nullable=False),
    sa.Column('threshold', sa.Double(), nullable=False),
    sa.Column('period_kind', sa.Enum('week', 'month', name='periodkind', native_enum=False, length=20), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('assigned_by_id', sa.Integer(), nullable=True),
    sa.Column('assigned_at', lms.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_kpi_flag_assignments_user_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['kpi_id'], ['kpi_definitions.id'], name=op.f('fk_kpi_flag_assignments_kpi_id_kpi_definitions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_kpi_flag_assignments_course_id_courses'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['enrolment_id'], ['enrolments.id'], name=op.f('fk_kpi_flag_assignments_enrolment_id_enrolments'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['assigned_by_id'], ['users.id'], name=op.f('fk_kpi_flag_assignments_assigned_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kpi_flag_assignments'))
    )
    with op.batch_alter_table('kpi_flag_assignments') as batch:
        batch.create_index('ix_kpi_flag_assignments_user_kpi', ['user_id', 'kpi_id'], unique=False)
        batch.create_index(batch.f('ix_kpi_flag_assignments_kpi_id'), ['kpi_id'], unique=False)


def downgrade():
    op.drop_table('kpi_flag_assignments')
    op.drop_table('kpi_thresholds')
    with op.batch_alter_table('kpi_definitions') as batch:
        batch.drop_column('threshold')
