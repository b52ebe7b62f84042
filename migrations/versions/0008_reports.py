"""reports: runs of a report built in the background, with their finished tables

Revision ID: 0008_reports
Revises: 0007_assessment
Create Date: 2026-11-30 17:02:57.895645

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008_reports'
down_revision = '0007_assessment'
branch_labels = None
depends_on = None


def upgrade():
    # Reviewed: a run keeps only aggregated tables (never the rows behind them); a deleted
    # requester leaves the run (requested_by_id set to NULL). Runs are found by report,
    # filters_key and status, so the index leads with report and status.
    op.create_table('report_run',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report', sa.String(length=40), nullable=False),
    sa.Column('filters', sa.JSON(), nullable=False),
    sa.Column('filters_key', sa.String(length=400), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('queued', 'running', 'ready', 'failed', name='report_run_status', native_enum=False, length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('result', sa.JSON(), nullable=True),
    sa.Column('row_count', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['requested_by_id'], ['user_account.id'], name=op.f('fk_report_run_requested_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_run'))
    )
    with op.batch_alter_table('report_run', schema=None) as batch_op:
        batch_op.create_index('ix_report_run_report_status', ['report', 'status'], unique=False)


def downgrade():
    with op.batch_alter_table('report_run', schema=None) as batch_op:
        batch_op.drop_index('ix_report_run_report_status')

    op.drop_table('report_run')
