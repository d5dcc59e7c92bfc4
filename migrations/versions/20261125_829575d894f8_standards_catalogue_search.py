"""standards catalogue search

Revision ID: 829575d894f8
Revises: adcad7065fbc
Create Date: 2026-11-25 10:10:01.999862

"""
from alembic import op
import sqlalchemy as sa

import lms.db


# revision identifiers, used by Alembic.
revision = '829575d894f8'
down_revision = 'adcad7065fbc'
branch_labels = None
depends_on = None


SQLITE_FTS = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(norm, content='search_documents', content_rowid='id', "
    "tokenize='trigram')",
    "CREATE TRIGGER search_documents_ai AFTER INSERT ON search_documents BEGIN "
    "INSERT INTO search_fts(rowid, norm) VALUES (new.id, new.norm); END",
    "CREATE TRIGGER search_documents_ad AFTER DELETE ON search_documents BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, norm) VALUES ('delete', old.id, old.norm); END",
    "CREATE TRIGGER search_documents_au AFTER UPDATE ON search_documents BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, norm) VALUES ('delete', old.id, old.norm); "
    "INSERT INTO search_fts(rowid, norm) VALUES (new.id, new.norm); END",
]


def _is_sqlite():
    return op.get_bind().dialect.name == "sqlite"


def upgrade():
    # courses.published_version_id and course_versions.course_id refer to each other: SQLite takes the
    # forward reference inline; PostgreSQL gets the constraint once both tables exist.
    published_fk = ([sa.ForeignKeyConstraint(['published_version_id'], ['course_versions.id'],
                                             name='fk_courses_published_version_id_course_versions')]
                    if _is_sqlite() else [])
    op.create_table('courses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('slug', sa.String(length=100), nullable=False),
    sa.Column('tier', sa.Enum('foundation', 'professional', 'management', 'development', name='tier', native_enum=False, length=20), nullable=False),
    sa.Column('published_version_id', sa.Integer(), nullable=True),
    sa.Column('created_at', lms.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', lms.db.UTCDateTime(timezone=True), nullable=False),
    *published_fk,
    sa.PrimaryKeyConstraint('id', name=op.f('pk_courses')),
    sa.UniqueConstraint('code', name=op.f('uq_courses_code')),
    sa.UniqueConstraint('slug', name=op.f('uq_courses_slug'))
    )
    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_courses_tier'), ['tier'], unique=False)

    op.create_table('onboarding_paths',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=100), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('new_hire_days', sa.Integer(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_onboarding_paths')),
    sa.UniqueConstraint('slug', name=op.f('uq_onboarding_paths_slug'))
    )
    op.create_table('search_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('norm', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_documents')),
    sa.UniqueConstraint('kind', 'key', name=op.f('uq_search_documents_kind_key'))
    )
    with op.batch_alter_table('search_documents', schema=None) as batch_op:
        batch_op.create_index('ix_search_documents_kind', ['kind'], unique=False)

    op.create_table('standard_sections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('chapter', sa.Integer(), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body_md', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_standard_sections')),
    sa.UniqueConstraint('number', name=op.f('uq_standard_sections_number'))
    )
    with op.batch_alter_table('standard_sections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_standard_sections_chapter'), ['chapter'], unique=False)

    op.create_table('lessons',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_lessons_course_id_courses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lessons')),
    sa.UniqueConstraint('course_id', 'slug', name=op.f('uq_lessons_course_id_slug'))
    )
    op.create_table('onboarding_steps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('path_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('due_days', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_onboarding_steps_course_id_courses'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['path_id'], ['onboarding_paths.id'], name=op.f('fk_onboarding_steps_path_id_onboarding_paths'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_onboarding_steps'))
    )
    with op.batch_alter_table('onboarding_steps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_onboarding_steps_path_id'), ['path_id'], unique=False)

    op.create_table('standard_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=24), nullable=False),
    sa.Column('section_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description_md', sa.Text(), nullable=False),
    sa.Column('description_html', sa.Text(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('revised_at', lms.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('is_retired', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['section_id'], ['standard_sections.id'], name=op.f('fk_standard_items_section_id_standard_sections')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_standard_items')),
    sa.UniqueConstraint('code', name=op.f('uq_standard_items_code'))
    )
    with op.batch_alter_table('standard_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_standard_items_section_id'), ['section_id'], unique=False)

    op.create_table('course_assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('assigned_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', lms.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('enrolled_count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['assigned_by_id'], ['users.id'], name=op.f('fk_course_assignments_assigned_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_course_assignments_course_id_courses'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_course_assignments_team_id_teams'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_course_assignments_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_assignments'))
    )
    with op.batch_alter_table('course_assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_assignments_course_id'), ['course_id'], unique=False)

    op.create_table('course_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'published', 'superseded', name='versionstatus', native_enum=False, length=20), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.String(length=400), nullable=False),
    sa.Column('description_md', sa.Text(), nullable=False),
    sa.Column('description_html', sa.Text(), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=False),
    sa.Column('self_enrol', sa.Boolean(), nullable=False),
    sa.Column('audience', sa.JSON(), nullable=False),
    sa.Column('prerequisites', sa.JSON(), nullable=False),
    sa.Column('standards', sa.JSON(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('created_at', lms.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('published_at', lms.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_course_versions_course_id_courses'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_course_versions_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['published_by_id'], ['users.id'], name=op.f('fk_course_versions_published_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_versions')),
    sa.UniqueConstraint('course_id', 'number', name=op.f('uq_course_versions_course_id_number'))
    )
    with op.batch_alter_table('course_versions', schema=None) as batch_op:
        batch_op.create_index('ix_course_versions_status', ['course_id', 'status'], unique=False)

    op.create_table('enrolments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.Enum('self', 'assigned', 'onboarding', name='enrolmentsource', native_enum=False, length=20), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('assigned_by_id', sa.Integer(), nullable=True),
    sa.Column('enrolled_at', lms.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('completed_at', lms.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_lesson_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['assigned_by_id'], ['users.id'], name=op.f('fk_enrolments_assigned_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_enrolments_course_id_courses'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['last_lesson_id'], ['lessons.id'], name=op.f('fk_enrolments_last_lesson_id_lessons'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_enrolments_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enrolments')),
    sa.UniqueConstraint('user_id', 'course_id', name=op.f('uq_enrolments_user_id_course_id'))
    )
    with op.batch_alter_table('enrolments', schema=None) as batch_op:
        batch_op.create_index('ix_enrolments_course_due', ['course_id', 'due_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_enrolments_user_id'), ['user_id'], unique=False)

    op.create_table('lesson_progress',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('lesson_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Double(), nullable=False),
    sa.Column('completed_at', lms.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('updated_at', lms.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['lesson_id'], ['lessons.id'], name=op.f('fk_lesson_progress_lesson_id_lessons'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_lesson_progress_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lesson_progress')),
    sa.UniqueConstraint('user_id', 'lesson_id', name=op.f('uq_lesson_progress_user_id_lesson_id'))
    )
    with op.batch_alter_table('lesson_progress', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lesson_progress_lesson_id'), ['lesson_id'], unique=False)

    op.create_table('standard_citations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('ref_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=300), nullable=False),
    sa.Column('link', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['standard_items.id'], name=op.f('fk_standard_citations_item_id_standard_items'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_standard_citations')),
    sa.UniqueConstraint('item_id', 'kind', 'ref_id', name=op.f('uq_standard_citations_item_id_kind_ref_id'))
    )
    with op.batch_alter_table('standard_citations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_standard_citations_item_id'), ['item_id'], unique=False)
        batch_op.create_index('ix_standard_citations_kind_ref', ['kind', 'ref_id'], unique=False)

    op.create_table('standard_item_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description_md', sa.Text(), nullable=False),
    sa.Column('replaced_at', lms.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['standard_items.id'], name=op.f('fk_standard_item_revisions_item_id_standard_items'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_standard_item_revisions')),
    sa.UniqueConstraint('item_id', 'revision', name=op.f('uq_standard_item_revisions_item_id_revision'))
    )
    op.create_table('lesson_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_version_id', sa.Integer(), nullable=False),
    sa.Column('lesson_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('body_md', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('standards', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['course_version_id'], ['course_versions.id'], name=op.f('fk_lesson_versions_course_version_id_course_versions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['lesson_id'], ['lessons.id'], name=op.f('fk_lesson_versions_lesson_id_lessons'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lesson_versions')),
    sa.UniqueConstraint('course_version_id', 'lesson_id', name=op.f('uq_lesson_versions_course_version_id_lesson_id'))
    )
    with op.batch_alter_table('lesson_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lesson_versions_lesson_id'), ['lesson_id'], unique=False)

    if _is_sqlite():
        for statement in SQLITE_FTS:
            op.execute(statement)
    else:
        op.create_foreign_key('fk_courses_published_version_id_course_versions', 'courses', 'course_versions',
                              ['published_version_id'], ['id'])
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute("CREATE INDEX ix_search_documents_norm_trgm ON search_documents USING gin (norm gin_trgm_ops)")
    # ### end Alembic commands ###


def downgrade():
    if _is_sqlite():
        for name in ("search_documents_ai", "search_documents_ad", "search_documents_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS search_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_search_documents_norm_trgm")
        op.drop_constraint('fk_courses_published_version_id_course_versions', 'courses', type_='foreignkey')
    # ### commands auto generated by Alembic - please adjust! ###
    with op.batch_alter_table('lesson_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lesson_versions_lesson_id'))

    op.drop_table('lesson_versions')
    op.drop_table('standard_item_revisions')
    with op.batch_alter_table('standard_citations', schema=None) as batch_op:
        batch_op.drop_index('ix_standard_citations_kind_ref')
        batch_op.drop_index(batch_op.f('ix_standard_citations_item_id'))

    op.drop_table('standard_citations')
    with op.batch_alter_table('lesson_progress', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lesson_progress_lesson_id'))

    op.drop_table('lesson_progress')
    with op.batch_alter_table('enrolments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enrolments_user_id'))
        batch_op.drop_index('ix_enrolments_course_due')

    op.drop_table('enrolments')
    with op.batch_alter_table('course_versions', schema=None) as batch_op:
        batch_op.drop_index('ix_course_versions_status')

    op.drop_table('course_versions')
    with op.batch_alter_table('course_assignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_assignments_course_id'))

    op.drop_table('course_assignments')
    with op.batch_alter_table('standard_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_standard_items_section_id'))

    op.drop_table('standard_items')
    with op.batch_alter_table('onboarding_steps', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_onboarding_steps_path_id'))

    op.drop_table('onboarding_steps')
    op.drop_table('lessons')
    with op.batch_alter_table('standard_sections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_standard_sections_chapter'))

    op.drop_table('standard_sections')
    with op.batch_alter_table('search_documents', schema=None) as batch_op:
        batch_op.drop_index('ix_search_documents_kind')

    op.drop_table('search_documents')
    op.drop_table('onboarding_paths')
    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_courses_tier'))

    op.drop_table('courses')
    # ### end Alembic commands ###
