"""postcode: where full postcodes are, from the ONS Postcode Directory

Revision ID: aef65534062b
Revises: 212ccbc8ea74
Create Date: 2026-11-22 16:01:42.793453

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'aef65534062b'
down_revision = '212ccbc8ea74'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('postcode',
    sa.Column('postcode', sa.String(length=8), nullable=False),
    sa.Column('latitude', sa.Float(), nullable=False),
    sa.Column('longitude', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('postcode')
    )


def downgrade():
    op.drop_table('postcode')
