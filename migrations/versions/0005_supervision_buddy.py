"""supervision and buddies: supervision groups with their membership history, sessions,
registers, private notes and cases; buddy pairs, pairing rules, check-ins and re-pairing
requests; and the calendar invitation an email can carry

Revision ID: 0005_supervision_buddy
Revises: 0004_curriculum
Create Date: 2026-11-30 10:00:53.922395

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005_supervision_buddy'
down_revision = '0004_curriculum'
branch_labels = None
depends_on = None


def upgrade():
    # Reviewed: membership rows are never deleted (moving someone ends one and starts
    # another); private notes are keyed by author so a new supervisor does not inherit them.
    op.create_table('buddy_group',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('intake_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'confirmed', 'ended', name='buddy_status', native_enum=False, length=32), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('links', sa.JSON(), nullable=False),
    sa.Column('same_organisation', sa.Integer(), nullable=False),
    sa.Column('repeats', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('end_reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_buddy_group_created_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['intake_id'], ['intake.id'], name=op.f('fk_buddy_group_intake_id_intake')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_buddy_group'))
    )
    with op.batch_alter_table('buddy_group', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_buddy_group_intake_id'), ['intake_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_buddy_group_status'), ['status'], unique=False)

    op.create_table('buddy_rule',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('intake_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('must_pair', 'must_not_pair', name='buddy_rule_kind', native_enum=False, length=32), nullable=False),
    sa.Column('first_id', sa.Integer(), nullable=False),
    sa.Column('second_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_buddy_rule_created_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['first_id'], ['user_account.id'], name=op.f('fk_buddy_rule_first_id_user_account'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['intake_id'], ['intake.id'], name=op.f('fk_buddy_rule_intake_id_intake')),
    sa.ForeignKeyConstraint(['second_id'], ['user_account.id'], name=op.f('fk_buddy_rule_second_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_buddy_rule')),
    sa.UniqueConstraint('intake_id', 'first_id', 'second_id', name=op.f('uq_buddy_rule_intake_id_first_id_second_id'))
    )
    with op.batch_alter_table('buddy_rule', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_buddy_rule_intake_id'), ['intake_id'], unique=False)

    op.create_table('supervision_group',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('intake_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('supervisor_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_supervision_group_created_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['intake_id'], ['intake.id'], name=op.f('fk_supervision_group_intake_id_intake')),
    sa.ForeignKeyConstraint(['supervisor_id'], ['user_account.id'], name=op.f('fk_supervision_group_supervisor_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supervision_group')),
    sa.UniqueConstraint('intake_id', 'name', name=op.f('uq_supervision_group_intake_id_name'))
    )
    with op.batch_alter_table('supervision_group', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supervision_group_intake_id'), ['intake_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_supervision_group_supervisor_id'), ['supervisor_id'], unique=False)

    op.create_table('buddy_check_in',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('met_on', sa.Date(), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('topics', sa.JSON(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('logged_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['buddy_group.id'], name=op.f('fk_buddy_check_in_group_id_buddy_group')),
    sa.ForeignKeyConstraint(['logged_by_id'], ['user_account.id'], name=op.f('fk_buddy_check_in_logged_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_buddy_check_in'))
    )
    with op.batch_alter_table('buddy_check_in', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_buddy_check_in_group_id'), ['group_id'], unique=False)

    op.create_table('buddy_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['buddy_group.id'], name=op.f('fk_buddy_member_group_id_buddy_group'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_buddy_member_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_buddy_member')),
    sa.UniqueConstraint('group_id', 'user_id', name=op.f('uq_buddy_member_group_id_user_id'))
    )
    with op.batch_alter_table('buddy_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_buddy_member_user_id'), ['user_id'], unique=False)

    op.create_table('buddy_repair_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.Column('decision', sa.String(length=20), nullable=True),
    sa.ForeignKeyConstraint(['group_id'], ['buddy_group.id'], name=op.f('fk_buddy_repair_request_group_id_buddy_group')),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['user_account.id'], name=op.f('fk_buddy_repair_request_resolved_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_buddy_repair_request_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_buddy_repair_request'))
    )
    with op.batch_alter_table('buddy_repair_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_buddy_repair_request_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_buddy_repair_request_user_id'), ['user_id'], unique=False)

    op.create_table('supervision_membership',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('joined_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('left_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('added_by_id', sa.Integer(), nullable=True),
    sa.Column('removed_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['added_by_id'], ['user_account.id'], name=op.f('fk_supervision_membership_added_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['group_id'], ['supervision_group.id'], name=op.f('fk_supervision_membership_group_id_supervision_group')),
    sa.ForeignKeyConstraint(['removed_by_id'], ['user_account.id'], name=op.f('fk_supervision_membership_removed_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_supervision_membership_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supervision_membership'))
    )
    with op.batch_alter_table('supervision_membership', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supervision_membership_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_supervision_membership_user_id'), ['user_id'], unique=False)

    op.create_table('supervision_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('mode', sa.Enum('in_person', 'online', name='supervision_mode', native_enum=False, length=32), nullable=False),
    sa.Column('venue', sa.Text(), nullable=True),
    sa.Column('joining_link', sa.String(length=500), nullable=True),
    sa.Column('series_key', sa.String(length=32), nullable=True),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('shared_summary', sa.Text(), nullable=True),
    sa.Column('summary_by_id', sa.Integer(), nullable=True),
    sa.Column('summary_updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reminder_sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancel_reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_supervision_session_created_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['group_id'], ['supervision_group.id'], name=op.f('fk_supervision_session_group_id_supervision_group')),
    sa.ForeignKeyConstraint(['summary_by_id'], ['user_account.id'], name=op.f('fk_supervision_session_summary_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supervision_session'))
    )
    with op.batch_alter_table('supervision_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supervision_session_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_supervision_session_series_key'), ['series_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_supervision_session_starts_at'), ['starts_at'], unique=False)

    op.create_table('supervision_attendance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('present', 'apologies', 'absent', name='attendance_status', native_enum=False, length=32), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_supervision_attendance_recorded_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['session_id'], ['supervision_session.id'], name=op.f('fk_supervision_attendance_session_id_supervision_session'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_supervision_attendance_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supervision_attendance')),
    sa.UniqueConstraint('session_id', 'user_id', name=op.f('uq_supervision_attendance_session_id_user_id'))
    )
    with op.batch_alter_table('supervision_attendance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supervision_attendance_user_id'), ['user_id'], unique=False)

    op.create_table('supervision_case',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('what_happened', sa.Text(), nullable=False),
    sa.Column('help_wanted', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('response', sa.Text(), nullable=True),
    sa.Column('responded_by_id', sa.Integer(), nullable=True),
    sa.Column('responded_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['group_id'], ['supervision_group.id'], name=op.f('fk_supervision_case_group_id_supervision_group')),
    sa.ForeignKeyConstraint(['responded_by_id'], ['user_account.id'], name=op.f('fk_supervision_case_responded_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['session_id'], ['supervision_session.id'], name=op.f('fk_supervision_case_session_id_supervision_session'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_supervision_case_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supervision_case'))
    )
    with op.batch_alter_table('supervision_case', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supervision_case_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_supervision_case_session_id'), ['session_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_supervision_case_user_id'), ['user_id'], unique=False)

    op.create_table('supervision_private_note',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_supervision_private_note_author_id_user_account'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['supervision_session.id'], name=op.f('fk_supervision_private_note_session_id_supervision_session'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supervision_private_note')),
    sa.UniqueConstraint('session_id', 'author_id', name=op.f('uq_supervision_private_note_session_id_author_id'))
    )
    with op.batch_alter_table('email_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('calendar', sa.Text(), nullable=True))



def downgrade():
    with op.batch_alter_table('email_message', schema=None) as batch_op:
        batch_op.drop_column('calendar')

    op.drop_table('supervision_private_note')
    with op.batch_alter_table('supervision_case', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supervision_case_user_id'))
        batch_op.drop_index(batch_op.f('ix_supervision_case_session_id'))
        batch_op.drop_index(batch_op.f('ix_supervision_case_group_id'))

    op.drop_table('supervision_case')
    with op.batch_alter_table('supervision_attendance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supervision_attendance_user_id'))

    op.drop_table('supervision_attendance')
    with op.batch_alter_table('supervision_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supervision_session_starts_at'))
        batch_op.drop_index(batch_op.f('ix_supervision_session_series_key'))
        batch_op.drop_index(batch_op.f('ix_supervision_session_group_id'))

    op.drop_table('supervision_session')
    with op.batch_alter_table('supervision_membership', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supervision_membership_user_id'))
        batch_op.drop_index(batch_op.f('ix_supervision_membership_group_id'))

    op.drop_table('supervision_membership')
    with op.batch_alter_table('buddy_repair_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_buddy_repair_request_user_id'))
        batch_op.drop_index(batch_op.f('ix_buddy_repair_request_group_id'))

    op.drop_table('buddy_repair_request')
    with op.batch_alter_table('buddy_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_buddy_member_user_id'))

    op.drop_table('buddy_member')
    with op.batch_alter_table('buddy_check_in', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_buddy_check_in_group_id'))

    op.drop_table('buddy_check_in')
    with op.batch_alter_table('supervision_group', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supervision_group_supervisor_id'))
        batch_op.drop_index(batch_op.f('ix_supervision_group_intake_id'))

    op.drop_table('supervision_group')
    with op.batch_alter_table('buddy_rule', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_buddy_rule_intake_id'))

    op.drop_table('buddy_rule')
    with op.batch_alter_table('buddy_group', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_buddy_group_status'))
        batch_op.drop_index(batch_op.f('ix_buddy_group_intake_id'))

    op.drop_table('buddy_group')
