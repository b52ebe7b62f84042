"""privacy: when a person's data was erased

Revision ID: 0011_privacy
Revises: 0010_sessions_two_factor
Create Date: 2026-12-01 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011_privacy'
down_revision = '0010_sessions_two_factor'
branch_labels = None
depends_on = None


def upgrade():
    # Reviewed: nullable, so existing accounts need no value; set once, when an admin
    # erases the person (lms/privacy/erasure.py). Retention periods are configuration,
    # not schema, so nothing else changes.
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('erased_at')
