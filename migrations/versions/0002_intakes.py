"""intakes

Revision ID: 0002_intakes
Revises: 0001_foundation
Create Date: 2026-11-23 14:15:13.329920

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002_intakes'
down_revision = '0001_foundation'
branch_labels = None
depends_on = None


def upgrade():
    # Reviewed: intakes (application windows, places, delivery modes and regions).
    op.create_table('intake',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('opens_on', sa.Date(), nullable=False),
    sa.Column('closes_on', sa.Date(), nullable=False),
    sa.Column('programme_starts_on', sa.Date(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('delivery_modes', sa.JSON(), nullable=False),
    sa.Column('regions', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_intake')),
    sa.UniqueConstraint('name', name=op.f('uq_intake_name'))
    )


def downgrade():
    # Reviewed: intakes (application windows, places, delivery modes and regions).
    op.drop_table('intake')
