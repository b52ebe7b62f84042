"""observed practice: GMTS trainees and their imports, allocation runs, action learning sets
with their facilitators, members and sessions; registers, presentations, actions,
follow-through, session logs and anonymous feedback; and observations with their ratings
and reflections

Revision ID: 0006_observed_practice
Revises: 0005_supervision_buddy
Create Date: 2026-11-30 11:58:33.468853

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006_observed_practice'
down_revision = '0005_supervision_buddy'
branch_labels = None
depends_on = None


def upgrade():
    # Reviewed: feedback responses carry no person and no time, and a random key, so they
    # cannot be matched to the receipts that stop anyone answering twice. Observations are
    # never updated once recorded (enforced in the models); corrections are new rows.
    op.create_table('practice_allocation_run',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('intake_id', sa.Integer(), nullable=False),
    sa.Column('gmts_intake', sa.String(length=60), nullable=False),
    sa.Column('mode', sa.String(length=20), nullable=True),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('unplaced', sa.JSON(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('discarded_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_practice_allocation_run_created_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['intake_id'], ['intake.id'], name=op.f('fk_practice_allocation_run_intake_id_intake')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practice_allocation_run'))
    )
    with op.batch_alter_table('practice_allocation_run', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practice_allocation_run_intake_id'), ['intake_id'], unique=False)

    op.create_table('practice_trainee_import',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_count', sa.Integer(), nullable=False),
    sa.Column('updated_count', sa.Integer(), nullable=False),
    sa.Column('unchanged_count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_practice_trainee_import_created_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practice_trainee_import'))
    )
    op.create_table('practice_set',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('intake_id', sa.Integer(), nullable=False),
    sa.Column('gmts_intake', sa.String(length=60), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('status', sa.Enum('proposed', 'confirmed', name='practice_set_status', native_enum=False, length=32), nullable=False),
    sa.Column('mode', sa.Enum('online', 'blended', 'in_person', name='delivery_mode', native_enum=False, length=32), nullable=False),
    sa.Column('region', sa.Enum('east_of_england', 'london', 'midlands', 'north_east_yorkshire', 'north_west', 'south_east', 'south_west', 'wales', 'scotland', 'northern_ireland', name='region', native_enum=False, length=32), nullable=True),
    sa.Column('nation', sa.String(length=20), nullable=False),
    sa.Column('venue', sa.Text(), nullable=True),
    sa.Column('joining_link', sa.String(length=500), nullable=True),
    sa.Column('run_id', sa.Integer(), nullable=True),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_practice_set_created_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['intake_id'], ['intake.id'], name=op.f('fk_practice_set_intake_id_intake')),
    sa.ForeignKeyConstraint(['run_id'], ['practice_allocation_run.id'], name=op.f('fk_practice_set_run_id_practice_allocation_run'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practice_set')),
    sa.UniqueConstraint('intake_id', 'name', name=op.f('uq_practice_set_intake_id_name'))
    )
    with op.batch_alter_table('practice_set', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practice_set_intake_id'), ['intake_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_practice_set_run_id'), ['run_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_practice_set_status'), ['status'], unique=False)

    op.create_table('practice_trainee',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('gmts_intake', sa.String(length=60), nullable=False),
    sa.Column('region', sa.Enum('east_of_england', 'london', 'midlands', 'north_east_yorkshire', 'north_west', 'south_east', 'south_west', 'wales', 'scotland', 'northern_ireland', name='region', native_enum=False, length=32), nullable=True),
    sa.Column('mode', sa.Enum('online', 'blended', 'in_person', name='delivery_mode', native_enum=False, length=32), nullable=True),
    sa.Column('line_manager_email', sa.String(length=254), nullable=True),
    sa.Column('import_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['import_id'], ['practice_trainee_import.id'], name=op.f('fk_practice_trainee_import_id_practice_trainee_import'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_practice_trainee_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practice_trainee')),
    sa.UniqueConstraint('user_id', name=op.f('uq_practice_trainee_user_id'))
    )
    with op.batch_alter_table('practice_trainee', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practice_trainee_gmts_intake'), ['gmts_intake'], unique=False)
        batch_op.create_index(batch_op.f('ix_practice_trainee_line_manager_email'), ['line_manager_email'], unique=False)

    op.create_table('practice_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('set_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('moved_from', sa.DateTime(timezone=True), nullable=True),
    sa.Column('holiday', sa.String(length=30), nullable=True),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('reminder_sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('stage', sa.String(length=20), nullable=True),
    sa.Column('stage_round', sa.Integer(), nullable=False),
    sa.Column('stage_started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['set_id'], ['practice_set.id'], name=op.f('fk_practice_session_set_id_practice_set'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practice_session')),
    sa.UniqueConstraint('set_id', 'number', name=op.f('uq_practice_session_set_id_number'))
    )
    with op.batch_alter_table('practice_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practice_session_starts_at'), ['starts_at'], unique=False)

    op.create_table('practice_set_facilitator',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('set_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['set_id'], ['practice_set.id'], name=op.f('fk_practice_set_facilitator_set_id_practice_set'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_practice_set_facilitator_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practice_set_facilitator')),
    sa.UniqueConstraint('set_id', 'user_id', name=op.f('uq_practice_set_facilitator_set_id_user_id'))
    )
    with op.batch_alter_table('practice_set_facilitator', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practice_set_facilitator_user_id'), ['user_id'], unique=False)

    op.create_table('practice_set_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('set_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('charter_acknowledged_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['set_id'], ['practice_set.id'], name=op.f('fk_practice_set_member_set_id_practice_set'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_practice_set_member_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practice_set_member')),
    sa.UniqueConstraint('set_id', 'user_id', name=op.f('uq_practice_set_member_set_id_user_id'))
    )
    with op.batch_alter_table('practice_set_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practice_set_member_user_id'), ['user_id'], unique=False)

    op.create_table('observation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('facilitator_id', sa.Integer(), nullable=False),
    sa.Column('observer_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('supervisor', 'buddy', 'self', name='observation_kind', native_enum=False, length=32), nullable=False),
    sa.Column('outcome', sa.Enum('signed_off', 'not_yet', name='observation_outcome', native_enum=False, length=32), nullable=True),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('corrects_id', sa.Integer(), nullable=True),
    sa.Column('correction_reason', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['corrects_id'], ['observation.id'], name=op.f('fk_observation_corrects_id_observation')),
    sa.ForeignKeyConstraint(['facilitator_id'], ['user_account.id'], name=op.f('fk_observation_facilitator_id_user_account')),
    sa.ForeignKeyConstraint(['observer_id'], ['user_account.id'], name=op.f('fk_observation_observer_id_user_account')),
    sa.ForeignKeyConstraint(['session_id'], ['practice_session.id'], name=op.f('fk_observation_session_id_practice_session'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_observation'))
    )
    with op.batch_alter_table('observation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_observation_corrects_id'), ['corrects_id'], unique=True)
        batch_op.create_index(batch_op.f('ix_observation_facilitator_id'), ['facilitator_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_observation_observer_id'), ['observer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_observation_session_id'), ['session_id'], unique=False)

    op.create_table('practice_attendance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('present', 'late', 'apologies', 'absent', name='practice_attendance_status', native_enum=False, length=32), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_practice_attendance_recorded_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['session_id'], ['practice_session.id'], name=op.f('fk_practice_attendance_session_id_practice_session'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_practice_attendance_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practice_attendance')),
    sa.UniqueConstraint('session_id', 'user_id', name=op.f('uq_practice_attendance_session_id_user_id'))
    )
    with op.batch_alter_table('practice_attendance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practice_attendance_user_id'), ['user_id'], unique=False)

    op.create_table('practice_feedback',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('kept_to_time', sa.SmallInteger(), nullable=False),
    sa.Column('fair_say', sa.SmallInteger(), nullable=False),
    sa.Column('questions_helped', sa.SmallInteger(), nullable=False),
    sa.Column('clear_action', sa.SmallInteger(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['session_id'], ['practice_session.id'], name=op.f('fk_practice_feedback_session_id_practice_session'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practice_feedback'))
    )
    with op.batch_alter_table('practice_feedback', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practice_feedback_session_id'), ['session_id'], unique=False)

    op.create_table('practice_feedback_receipt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['practice_session.id'], name=op.f('fk_practice_feedback_receipt_session_id_practice_session'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_practice_feedback_receipt_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practice_feedback_receipt')),
    sa.UniqueConstraint('session_id', 'user_id', name=op.f('uq_practice_feedback_receipt_session_id_user_id'))
    )
    op.create_table('practice_presentation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('set_id', sa.Integer(), nullable=False),
    sa.Column('presenter_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('theme', sa.Enum('escalation', 'rota_workflow', 'prioritisation', 'across_teams', 'delegation', 'wellbeing', 'other', name='practice_theme', native_enum=False, length=32), nullable=True),
    sa.Column('challenge', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['presenter_id'], ['user_account.id'], name=op.f('fk_practice_presentation_presenter_id_user_account')),
    sa.ForeignKeyConstraint(['session_id'], ['practice_session.id'], name=op.f('fk_practice_presentation_session_id_practice_session'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['set_id'], ['practice_set.id'], name=op.f('fk_practice_presentation_set_id_practice_set'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practice_presentation')),
    sa.UniqueConstraint('session_id', 'presenter_id', name=op.f('uq_practice_presentation_session_id_presenter_id'))
    )
    with op.batch_alter_table('practice_presentation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practice_presentation_presenter_id'), ['presenter_id'], unique=False)
        batch_op.create_index('ix_practice_presentation_set', ['set_id', 'presenter_id'], unique=False)

    op.create_table('practice_session_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('went_well', sa.Text(), nullable=False),
    sa.Column('do_differently', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_practice_session_log_author_id_user_account')),
    sa.ForeignKeyConstraint(['session_id'], ['practice_session.id'], name=op.f('fk_practice_session_log_session_id_practice_session'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practice_session_log')),
    sa.UniqueConstraint('session_id', 'author_id', name=op.f('uq_practice_session_log_session_id_author_id'))
    )
    with op.batch_alter_table('practice_session_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practice_session_log_author_id'), ['author_id'], unique=False)

    op.create_table('observation_rating',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('observation_id', sa.Integer(), nullable=False),
    sa.Column('criterion', sa.Enum('contracting', 'process_and_time', 'questioning', 'group_dynamics', 'inclusion', 'actions', 'closing', 'self_awareness', name='observation_criterion', native_enum=False, length=32), nullable=False),
    sa.Column('rating', sa.Enum('not_yet', 'developing', 'competent', 'strong', name='observation_rating', native_enum=False, length=32), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['observation_id'], ['observation.id'], name=op.f('fk_observation_rating_observation_id_observation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_observation_rating')),
    sa.UniqueConstraint('observation_id', 'criterion', name=op.f('uq_observation_rating_observation_id_criterion'))
    )
    op.create_table('observation_reflection',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('observation_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_observation_reflection_author_id_user_account')),
    sa.ForeignKeyConstraint(['observation_id'], ['observation.id'], name=op.f('fk_observation_reflection_observation_id_observation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_observation_reflection')),
    sa.UniqueConstraint('observation_id', name=op.f('uq_observation_reflection_observation_id'))
    )
    op.create_table('practice_action',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('presentation_id', sa.Integer(), nullable=False),
    sa.Column('set_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.SmallInteger(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('supports', sa.Text(), nullable=True),
    sa.Column('risks', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['user_account.id'], name=op.f('fk_practice_action_owner_id_user_account')),
    sa.ForeignKeyConstraint(['presentation_id'], ['practice_presentation.id'], name=op.f('fk_practice_action_presentation_id_practice_presentation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['practice_session.id'], name=op.f('fk_practice_action_session_id_practice_session'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['set_id'], ['practice_set.id'], name=op.f('fk_practice_action_set_id_practice_set'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practice_action')),
    sa.UniqueConstraint('presentation_id', 'position', name=op.f('uq_practice_action_presentation_id_position'))
    )
    with op.batch_alter_table('practice_action', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practice_action_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index('ix_practice_action_set', ['set_id', 'session_id'], unique=False)

    op.create_table('practice_follow_through',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('done', 'partly', 'not_done', 'carried_forward', 'dropped', name='practice_follow_through_status', native_enum=False, length=32), nullable=False),
    sa.Column('learning_note', sa.Text(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['practice_action.id'], name=op.f('fk_practice_follow_through_action_id_practice_action'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_practice_follow_through_recorded_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['session_id'], ['practice_session.id'], name=op.f('fk_practice_follow_through_session_id_practice_session'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practice_follow_through')),
    sa.UniqueConstraint('action_id', 'session_id', name=op.f('uq_practice_follow_through_action_id_session_id'))
    )
    with op.batch_alter_table('practice_follow_through', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practice_follow_through_session_id'), ['session_id'], unique=False)



def downgrade():
    with op.batch_alter_table('practice_follow_through', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practice_follow_through_session_id'))

    op.drop_table('practice_follow_through')
    with op.batch_alter_table('practice_action', schema=None) as batch_op:
        batch_op.drop_index('ix_practice_action_set')
        batch_op.drop_index(batch_op.f('ix_practice_action_owner_id'))

    op.drop_table('practice_action')
    op.drop_table('observation_reflection')
    op.drop_table('observation_rating')
    with op.batch_alter_table('practice_session_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practice_session_log_author_id'))

    op.drop_table('practice_session_log')
    with op.batch_alter_table('practice_presentation', schema=None) as batch_op:
        batch_op.drop_index('ix_practice_presentation_set')
        batch_op.drop_index(batch_op.f('ix_practice_presentation_presenter_id'))

    op.drop_table('practice_presentation')
    op.drop_table('practice_feedback_receipt')
    with op.batch_alter_table('practice_feedback', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practice_feedback_session_id'))

    op.drop_table('practice_feedback')
    with op.batch_alter_table('practice_attendance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practice_attendance_user_id'))

    op.drop_table('practice_attendance')
    with op.batch_alter_table('observation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_observation_session_id'))
        batch_op.drop_index(batch_op.f('ix_observation_observer_id'))
        batch_op.drop_index(batch_op.f('ix_observation_facilitator_id'))
        batch_op.drop_index(batch_op.f('ix_observation_corrects_id'))

    op.drop_table('observation')
    with op.batch_alter_table('practice_set_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practice_set_member_user_id'))

    op.drop_table('practice_set_member')
    with op.batch_alter_table('practice_set_facilitator', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practice_set_facilitator_user_id'))

    op.drop_table('practice_set_facilitator')
    with op.batch_alter_table('practice_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practice_session_starts_at'))

    op.drop_table('practice_session')
    with op.batch_alter_table('practice_trainee', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practice_trainee_line_manager_email'))
        batch_op.drop_index(batch_op.f('ix_practice_trainee_gmts_intake'))

    op.drop_table('practice_trainee')
    with op.batch_alter_table('practice_set', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practice_set_status'))
        batch_op.drop_index(batch_op.f('ix_practice_set_run_id'))
        batch_op.drop_index(batch_op.f('ix_practice_set_intake_id'))

    op.drop_table('practice_set')
    op.drop_table('practice_trainee_import')
    with op.batch_alter_table('practice_allocation_run', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practice_allocation_run_intake_id'))

    op.drop_table('practice_allocation_run')
