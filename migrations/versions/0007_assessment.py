"""assessment and award: each intake's award scheme, showcase picks and uploaded evidence,
portfolio submissions, and awards with their verification codes

Revision ID: 0007_assessment
Revises: 0006_observed_practice
Create Date: 2026-11-30 14:23:05.890311

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007_assessment'
down_revision = '0006_observed_practice'
branch_labels = None
depends_on = None


def upgrade():
    # Reviewed: an award is unique per person and intake and per submission, so issuing
    # twice cannot make two; verification codes are unique. Uploaded files live outside the
    # database and the web root, under the random storage_name.
    op.create_table('award_scheme',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('intake_id', sa.Integer(), nullable=False),
    sa.Column('requirements', sa.JSON(), nullable=False),
    sa.Column('renewal_months', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['intake_id'], ['intake.id'], name=op.f('fk_award_scheme_intake_id_intake')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id'], name=op.f('fk_award_scheme_updated_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_award_scheme')),
    sa.UniqueConstraint('intake_id', name=op.f('uq_award_scheme_intake_id'))
    )
    op.create_table('evidence_upload',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('storage_name', sa.String(length=64), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('outcomes', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['user_account.id'], name=op.f('fk_evidence_upload_owner_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence_upload')),
    sa.UniqueConstraint('storage_name', name=op.f('uq_evidence_upload_storage_name'))
    )
    with op.batch_alter_table('evidence_upload', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evidence_upload_owner_id'), ['owner_id'], unique=False)

    op.create_table('portfolio_showcase',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=40), nullable=False),
    sa.Column('ref', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_portfolio_showcase_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_portfolio_showcase')),
    sa.UniqueConstraint('user_id', 'source', 'ref', name=op.f('uq_portfolio_showcase_user_id_source_ref'))
    )
    with op.batch_alter_table('portfolio_showcase', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_portfolio_showcase_user_id'), ['user_id'], unique=False)

    op.create_table('portfolio_submission',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('intake_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('submitted', 'returned', 'awarded', name='submission_status', native_enum=False, length=32), nullable=False),
    sa.Column('personal_email', sa.String(length=254), nullable=False),
    sa.Column('statement', sa.Text(), nullable=True),
    sa.Column('snapshot', sa.JSON(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('comments', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['intake_id'], ['intake.id'], name=op.f('fk_portfolio_submission_intake_id_intake')),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['user_account.id'], name=op.f('fk_portfolio_submission_reviewed_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_portfolio_submission_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_portfolio_submission'))
    )
    with op.batch_alter_table('portfolio_submission', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_portfolio_submission_intake_id'), ['intake_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_portfolio_submission_user_id'), ['user_id'], unique=False)

    op.create_table('award',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('intake_id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('holder_name', sa.String(length=200), nullable=False),
    sa.Column('holder_email', sa.String(length=254), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('renewal_reminded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_by_id', sa.Integer(), nullable=True),
    sa.Column('revoke_reason', sa.Text(), nullable=True),
    sa.Column('certificate_name', sa.String(length=64), nullable=True),
    sa.Column('certificate_made_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['intake_id'], ['intake.id'], name=op.f('fk_award_intake_id_intake')),
    sa.ForeignKeyConstraint(['issued_by_id'], ['user_account.id'], name=op.f('fk_award_issued_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['user_account.id'], name=op.f('fk_award_revoked_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['submission_id'], ['portfolio_submission.id'], name=op.f('fk_award_submission_id_portfolio_submission')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_award_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_award')),
    sa.UniqueConstraint('code', name=op.f('uq_award_code')),
    sa.UniqueConstraint('submission_id', name=op.f('uq_award_submission_id')),
    sa.UniqueConstraint('user_id', 'intake_id', name=op.f('uq_award_user_id_intake_id'))
    )
    with op.batch_alter_table('award', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_award_intake_id'), ['intake_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_award_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('award', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_award_user_id'))
        batch_op.drop_index(batch_op.f('ix_award_intake_id'))

    op.drop_table('award')
    with op.batch_alter_table('portfolio_submission', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_portfolio_submission_user_id'))
        batch_op.drop_index(batch_op.f('ix_portfolio_submission_intake_id'))

    op.drop_table('portfolio_submission')
    with op.batch_alter_table('portfolio_showcase', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_portfolio_showcase_user_id'))

    op.drop_table('portfolio_showcase')
    with op.batch_alter_table('evidence_upload', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evidence_upload_owner_id'))

    op.drop_table('evidence_upload')
    op.drop_table('award_scheme')
