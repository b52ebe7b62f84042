"""drop the index on practice_set.status

Revision ID: 0009_set_status_index
Revises: 0008_reports
Create Date: 2026-11-30 18:20:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0009_set_status_index'
down_revision = '0008_reports'
branch_labels = None
depends_on = None


def upgrade():
    # Reviewed: a set's status has four values, so the index never narrows much; SQLite
    # chose it over set_facilitator.user_id for the portfolio's evidence of many people and
    # read every set for every person (4.4 s for 2,000 people on the scale data, 1.6 s
    # without it; 0.21 s and 0.07 s for an intake of 100). Sets are found by intake.
    with op.batch_alter_table('practice_set', schema=None) as batch_op:
        batch_op.drop_index('ix_practice_set_status')


def downgrade():
    with op.batch_alter_table('practice_set', schema=None) as batch_op:
        batch_op.create_index('ix_practice_set_status', ['status'], unique=False)
