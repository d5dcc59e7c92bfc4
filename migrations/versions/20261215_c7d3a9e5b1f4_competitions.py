"""Skill competitions: the competition (window, what is assessed, names shown), its teams and scenarios, and
the honours on people's records

Revision ID: c7d3a9e5b1f4
Revises: 6c1d4e8a2f57
Create Date: 2026-12-15 13:00:00

"""
import sqlalchemy as sa
from alembic import op

import lms.db


# revision identifiers, used by Alembic.
revision = 'c7d3a9e5b1f4'
down_revision = '6c1d4e8a2f57'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('competitions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('exam_id', sa.Integer(), nullable=True),
    sa.Column('show_names', sa.Boolean(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', lms.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('closed_at', lms.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['exam_id'], ['exams.id'], name=op.f('fk_competitions_exam_id_exams'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_competitions_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['closed_by_id'], ['users.id'], name=op.f('fk_competitions_closed_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_competitions'))
    )
    op.create_table('competition_teams',
    sa.Column('competition_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['competition_id'], ['competitions.id'], name=op.f('fk_competition_teams_competition_id_competitions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_competition_teams_team_id_teams'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('competition_id', 'team_id', name=op.f('pk_competition_teams'))
    )
    op.create_index(op.f('ix_competition_teams_team_id'), 'competition_teams', ['team_id'], unique=False)
    op.create_table('competition_scenarios',
    sa.Column('competition_id', sa.Integer(), nullable=False),
    sa.Column('scenario_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['competition_id'], ['competitions.id'], name=op.f('fk_competition_scenarios_competition_id_competitions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['scenario_id'], ['scenarios.id'], name=op.f('fk_competition_scenarios_scenario_id_scenarios'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('competition_id', 'scenario_id', name=op.f('pk_competition_scenarios'))
    )
    op.create_table('honours',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('place', sa.Integer(), nullable=False),
    sa.Column('competition_id', sa.Integer(), nullable=True),
    sa.Column('awarded_at', lms.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('awarded_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_honours_user_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['competition_id'], ['competitions.id'], name=op.f('fk_honours_competition_id_competitions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['awarded_by_id'], ['users.id'], name=op.f('fk_honours_awarded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_honours'))
    )
    op.create_index(op.f('ix_honours_user_id'), 'honours', ['user_id'], unique=False)
    op.create_index(op.f('ix_honours_competition_id'), 'honours', ['competition_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_honours_competition_id'), table_name='honours')
    op.drop_index(op.f('ix_honours_user_id'), table_name='honours')
    op.drop_table('honours')
    op.drop_table('competition_scenarios')
    op.drop_index(op.f('ix_competition_teams_team_id'), table_name='competition_teams')
    op.drop_table('competition_teams')
    op.drop_table('competitions')
