"""applications

Revision ID: 0003_applications
Revises: 0002_intakes
Create Date: 2026-11-23 15:47:32.206773

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003_applications'
down_revision = '0002_intakes'
branch_labels = None
depends_on = None


def upgrade():
    # Reviewed: applications, their timeline, endorsement links, reviews, equality
    # monitoring (no link to application) and intake facilitators.
    op.create_table('application',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('intake_id', sa.Integer(), nullable=False),
    sa.Column('applicant_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'submitted', 'shortlisted', 'offered', 'waitlisted', 'rejected', 'accepted', 'declined', 'withdrawn', name='application_status', native_enum=False, length=32), nullable=False),
    sa.Column('completed_sections', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('full_name', sa.String(length=200), nullable=True),
    sa.Column('contact_email', sa.String(length=254), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('job_title', sa.String(length=200), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('organisation_other', sa.String(length=200), nullable=True),
    sa.Column('staff_group', sa.Enum('nursing_midwifery', 'medical_dental', 'allied_health', 'healthcare_science', 'psychology_therapies', 'management_admin', 'social_care', 'other', name='staff_group', native_enum=False, length=32), nullable=True),
    sa.Column('sector', sa.Enum('acute', 'community', 'mental_health', 'primary_care', 'icb', 'social_care', 'other', name='sector', native_enum=False, length=32), nullable=True),
    sa.Column('band', sa.Enum('band_4_or_below', 'band_5', 'band_6', 'band_7', 'band_8a', 'band_8b', 'band_8c', 'band_8d', 'band_9', 'vsm', 'medical', 'outside_afc', name='band', native_enum=False, length=32), nullable=True),
    sa.Column('region', sa.Enum('east_of_england', 'london', 'midlands', 'north_east_yorkshire', 'north_west', 'south_east', 'south_west', 'wales', 'scotland', 'northern_ireland', name='region', native_enum=False, length=32), nullable=True),
    sa.Column('works_in_health_care', sa.Boolean(), nullable=True),
    sa.Column('can_commit_time', sa.Boolean(), nullable=True),
    sa.Column('previous_programmes', sa.JSON(), nullable=False),
    sa.Column('previous_other', sa.String(length=200), nullable=True),
    sa.Column('facilitation_experience', sa.Text(), nullable=True),
    sa.Column('motivation', sa.Text(), nullable=True),
    sa.Column('preferred_mode', sa.Enum('online', 'blended', 'in_person', name='delivery_mode', native_enum=False, length=32), nullable=True),
    sa.Column('availability', sa.Text(), nullable=True),
    sa.Column('has_adjustments', sa.Boolean(), nullable=True),
    sa.Column('adjustments', sa.Text(), nullable=True),
    sa.Column('manager_name', sa.String(length=200), nullable=True),
    sa.Column('manager_email', sa.String(length=254), nullable=True),
    sa.Column('endorsement_status', sa.Enum('not_requested', 'awaiting', 'endorsed', 'declined', name='endorsement_status', native_enum=False, length=32), nullable=False),
    sa.Column('has_equality_response', sa.Boolean(), nullable=False),
    sa.Column('offer_expires_on', sa.Date(), nullable=True),
    sa.Column('decision_reason', sa.Text(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['applicant_id'], ['user_account.id'], name=op.f('fk_application_applicant_id_user_account')),
    sa.ForeignKeyConstraint(['intake_id'], ['intake.id'], name=op.f('fk_application_intake_id_intake')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_application_organisation_id_organisation'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_application')),
    sa.UniqueConstraint('intake_id', 'applicant_id', name=op.f('uq_application_intake_id_applicant_id'))
    )
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_application_applicant_id'), ['applicant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_application_intake_id'), ['intake_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_application_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_application_status'), ['status'], unique=False)

    op.create_table('equality_response',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('intake_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('age_band', sa.String(length=32), nullable=True),
    sa.Column('sex', sa.String(length=32), nullable=True),
    sa.Column('ethnicity', sa.String(length=32), nullable=True),
    sa.Column('disability', sa.String(length=32), nullable=True),
    sa.Column('sexual_orientation', sa.String(length=32), nullable=True),
    sa.Column('religion', sa.String(length=32), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['intake_id'], ['intake.id'], name=op.f('fk_equality_response_intake_id_intake')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_equality_response_user_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_equality_response'))
    )
    with op.batch_alter_table('equality_response', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_equality_response_intake_id'), ['intake_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_equality_response_user_id'), ['user_id'], unique=False)

    op.create_table('application_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('started', 'submitted', 'endorsement_requested', 'endorsement_resent', 'endorsed', 'endorsement_declined', 'status_changed', name='application_event_kind', native_enum=False, length=32), nullable=False),
    sa.Column('status', sa.Enum('draft', 'submitted', 'shortlisted', 'offered', 'waitlisted', 'rejected', 'accepted', 'declined', 'withdrawn', name='application_status', native_enum=False, length=32), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], name=op.f('fk_application_event_actor_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'], name=op.f('fk_application_event_application_id_application'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_application_event'))
    )
    with op.batch_alter_table('application_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_application_event_application_id'), ['application_id'], unique=False)

    op.create_table('endorsement_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('manager_email', sa.String(length=254), nullable=False),
    sa.Column('sent_by_id', sa.Integer(), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('responded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decision', sa.Enum('endorsed', 'declined', name='endorsement_decision', native_enum=False, length=32), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'], name=op.f('fk_endorsement_request_application_id_application'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sent_by_id'], ['user_account.id'], name=op.f('fk_endorsement_request_sent_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_endorsement_request')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_endorsement_request_token_hash'))
    )
    with op.batch_alter_table('endorsement_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_endorsement_request_application_id'), ['application_id'], unique=False)

    op.create_table('intake_facilitator',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('intake_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=True),
    sa.Column('joined_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('left_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'], name=op.f('fk_intake_facilitator_application_id_application'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['intake_id'], ['intake.id'], name=op.f('fk_intake_facilitator_intake_id_intake')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_intake_facilitator_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_intake_facilitator')),
    sa.UniqueConstraint('intake_id', 'user_id', name=op.f('uq_intake_facilitator_intake_id_user_id'))
    )
    with op.batch_alter_table('intake_facilitator', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_intake_facilitator_intake_id'), ['intake_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_intake_facilitator_user_id'), ['user_id'], unique=False)

    op.create_table('review_assignment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('reviewer_id', sa.Integer(), nullable=False),
    sa.Column('assigned_by_id', sa.Integer(), nullable=True),
    sa.Column('assigned_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('motivation', sa.Integer(), nullable=True),
    sa.Column('reflection', sa.Integer(), nullable=True),
    sa.Column('potential', sa.Integer(), nullable=True),
    sa.Column('commitment', sa.Integer(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'], name=op.f('fk_review_assignment_application_id_application'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['assigned_by_id'], ['user_account.id'], name=op.f('fk_review_assignment_assigned_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['reviewer_id'], ['user_account.id'], name=op.f('fk_review_assignment_reviewer_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_assignment')),
    sa.UniqueConstraint('application_id', 'reviewer_id', name=op.f('uq_review_assignment_application_id_reviewer_id'))
    )
    with op.batch_alter_table('review_assignment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_assignment_application_id'), ['application_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_assignment_reviewer_id'), ['reviewer_id'], unique=False)



def downgrade():
    # Reverse of upgrade: children first.
    with op.batch_alter_table('review_assignment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_assignment_reviewer_id'))
        batch_op.drop_index(batch_op.f('ix_review_assignment_application_id'))

    op.drop_table('review_assignment')
    with op.batch_alter_table('intake_facilitator', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_intake_facilitator_user_id'))
        batch_op.drop_index(batch_op.f('ix_intake_facilitator_intake_id'))

    op.drop_table('intake_facilitator')
    with op.batch_alter_table('endorsement_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_endorsement_request_application_id'))

    op.drop_table('endorsement_request')
    with op.batch_alter_table('application_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_application_event_application_id'))

    op.drop_table('application_event')
    with op.batch_alter_table('equality_response', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_equality_response_user_id'))
        batch_op.drop_index(batch_op.f('ix_equality_response_intake_id'))

    op.drop_table('equality_response')
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_application_status'))
        batch_op.drop_index(batch_op.f('ix_application_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_application_intake_id'))
        batch_op.drop_index(batch_op.f('ix_application_applicant_id'))

    op.drop_table('application')
