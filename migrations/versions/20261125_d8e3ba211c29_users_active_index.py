"""users: index on (is_active, employee_no) for lists and counts of active people

Revision ID: d8e3ba211c29
Revises: 7e9c873843fc
Create Date: 2026-11-25 13:53:12.659234

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'd8e3ba211c29'
down_revision = '7e9c873843fc'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_users_active_employee_no', 'users', ['is_active', 'employee_no'], unique=False)


def downgrade():
    op.drop_index('ix_users_active_employee_no', table_name='users')
