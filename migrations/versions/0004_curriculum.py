"""curriculum: modules and their versions, progress, reflections, knowledge-check attempts,
completions, and workshop days with their registers

Revision ID: 0004_curriculum
Revises: 0003_applications
Create Date: 2026-11-24 15:46:57.064404

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004_curriculum'
down_revision = '0003_applications'
branch_labels = None
depends_on = None


def upgrade():
    # Reviewed: module versions are immutable snapshots of a content file; progress rows are
    # keyed by (person, module, activity key) so a new version keeps what was done.
    op.create_table('module',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_module')),
    sa.UniqueConstraint('slug', name=op.f('uq_module_slug'))
    )
    op.create_table('module_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('module_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('is_core', sa.Boolean(), nullable=False),
    sa.Column('estimated_minutes', sa.Integer(), nullable=False),
    sa.Column('learning_outcomes', sa.JSON(), nullable=False),
    sa.Column('prerequisites', sa.JSON(), nullable=False),
    sa.Column('activities', sa.JSON(), nullable=False),
    sa.Column('pages', sa.JSON(), nullable=False),
    sa.Column('source', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['module_id'], ['module.id'], name=op.f('fk_module_version_module_id_module'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_module_version')),
    sa.UniqueConstraint('module_id', 'number', name=op.f('uq_module_version_module_id_number'))
    )
    op.create_table('activity_progress',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('module_id', sa.Integer(), nullable=False),
    sa.Column('activity_key', sa.String(length=60), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['module_id'], ['module.id'], name=op.f('fk_activity_progress_module_id_module'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_activity_progress_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activity_progress')),
    sa.UniqueConstraint('user_id', 'module_id', 'activity_key', name=op.f('uq_activity_progress_user_id_module_id_activity_key'))
    )
    with op.batch_alter_table('activity_progress', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activity_progress_module_id'), ['module_id'], unique=False)

    op.create_table('module_completion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('module_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['module_id'], ['module.id'], name=op.f('fk_module_completion_module_id_module'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_module_completion_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_module_completion')),
    sa.UniqueConstraint('user_id', 'module_id', name=op.f('uq_module_completion_user_id_module_id'))
    )
    with op.batch_alter_table('module_completion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_module_completion_module_id'), ['module_id'], unique=False)

    op.create_table('quiz_attempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('module_id', sa.Integer(), nullable=False),
    sa.Column('activity_key', sa.String(length=60), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('is_passed', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['module_id'], ['module.id'], name=op.f('fk_quiz_attempt_module_id_module'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_quiz_attempt_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quiz_attempt'))
    )
    with op.batch_alter_table('quiz_attempt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quiz_attempt_user_id'), ['user_id', 'module_id', 'activity_key'], unique=False)

    op.create_table('reflection',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('module_id', sa.Integer(), nullable=False),
    sa.Column('activity_key', sa.String(length=60), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('prompt', sa.Text(), nullable=False),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['module_id'], ['module.id'], name=op.f('fk_reflection_module_id_module'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_reflection_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reflection')),
    sa.UniqueConstraint('user_id', 'module_id', 'activity_key', name=op.f('uq_reflection_user_id_module_id_activity_key'))
    )
    with op.batch_alter_table('reflection', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reflection_module_id'), ['module_id'], unique=False)

    op.create_table('workshop_day',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('intake_id', sa.Integer(), nullable=False),
    sa.Column('module_id', sa.Integer(), nullable=False),
    sa.Column('activity_key', sa.String(length=60), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('mode', sa.Enum('in_person', 'online', name='workshop_mode', native_enum=False, length=32), nullable=False),
    sa.Column('venue', sa.Text(), nullable=True),
    sa.Column('joining_link', sa.String(length=500), nullable=True),
    sa.Column('details', sa.Text(), nullable=True),
    sa.Column('run_by_id', sa.Integer(), nullable=True),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancel_reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_workshop_day_created_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['intake_id'], ['intake.id'], name=op.f('fk_workshop_day_intake_id_intake')),
    sa.ForeignKeyConstraint(['module_id'], ['module.id'], name=op.f('fk_workshop_day_module_id_module')),
    sa.ForeignKeyConstraint(['run_by_id'], ['user_account.id'], name=op.f('fk_workshop_day_run_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workshop_day'))
    )
    with op.batch_alter_table('workshop_day', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_workshop_day_intake_id'), ['intake_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_workshop_day_run_by_id'), ['run_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_workshop_day_starts_at'), ['starts_at'], unique=False)

    op.create_table('workshop_attendance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('present', 'apologies', 'absent', name='attendance_status', native_enum=False, length=32), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_workshop_attendance_recorded_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_workshop_attendance_user_id_user_account'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop_day.id'], name=op.f('fk_workshop_attendance_workshop_id_workshop_day'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workshop_attendance')),
    sa.UniqueConstraint('workshop_id', 'user_id', name=op.f('uq_workshop_attendance_workshop_id_user_id'))
    )
    with op.batch_alter_table('workshop_attendance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_workshop_attendance_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('workshop_attendance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_workshop_attendance_user_id'))

    op.drop_table('workshop_attendance')
    with op.batch_alter_table('workshop_day', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_workshop_day_starts_at'))
        batch_op.drop_index(batch_op.f('ix_workshop_day_run_by_id'))
        batch_op.drop_index(batch_op.f('ix_workshop_day_intake_id'))

    op.drop_table('workshop_day')
    with op.batch_alter_table('reflection', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reflection_module_id'))

    op.drop_table('reflection')
    with op.batch_alter_table('quiz_attempt', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quiz_attempt_user_id'))

    op.drop_table('quiz_attempt')
    with op.batch_alter_table('module_completion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_module_completion_module_id'))

    op.drop_table('module_completion')
    with op.batch_alter_table('activity_progress', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activity_progress_module_id'))

    op.drop_table('activity_progress')
    op.drop_table('module_version')
    op.drop_table('module')
