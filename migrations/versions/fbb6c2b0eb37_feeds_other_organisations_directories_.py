"""feeds: other organisations' directories pulled in

Revision ID: fbb6c2b0eb37
Revises: 8b2b89fdc779
Create Date: 2026-12-04 20:59:27.392682

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'fbb6c2b0eb37'
down_revision = '8b2b89fdc779'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('feed',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.Column('pulled_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    with op.batch_alter_table('service', schema=None) as batch_op:
        batch_op.add_column(sa.Column('feed_id', sa.String(length=36), nullable=True))
        batch_op.create_index(batch_op.f('ix_service_feed_id'), ['feed_id'], unique=False)
        batch_op.create_foreign_key('fk_service_feed_id_feed', 'feed', ['feed_id'], ['id'])



def downgrade():
    with op.batch_alter_table('service', schema=None) as batch_op:
        batch_op.drop_constraint('fk_service_feed_id_feed', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_service_feed_id'))
        batch_op.drop_column('feed_id')

    op.drop_table('feed')
