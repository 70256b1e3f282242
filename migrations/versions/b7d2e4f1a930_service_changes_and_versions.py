"""editors' changes to services (drafts, approval, scheduling), every published version, and the public's reports

Revision ID: b7d2e4f1a930
Revises: 5e1a7c3d9b20
Create Date: 2026-12-07 20:20:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'b7d2e4f1a930'
down_revision = '5e1a7c3d9b20'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('service_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.String(length=36), nullable=False),
    sa.Column('service_name', sa.String(length=255), nullable=False),
    sa.Column('record', sa.Text(), nullable=False),
    sa.Column('base_record', sa.Text(), nullable=True),
    sa.Column('base_version', sa.Integer(), nullable=True),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('summary', sa.String(length=500), nullable=False),
    sa.Column('district_slugs', sa.String(length=500), nullable=False),
    sa.Column('batch', sa.String(length=36), nullable=True),
    sa.Column('feed_id', sa.String(length=36), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('publish_on', sa.Date(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('decision_note', sa.String(length=500), nullable=False),
    sa.Column('replaces_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['staff_user.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['replaces_id'], ['service_change.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['feed_id'], ['feed.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['staff_user.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('service_change') as batch:
        batch.create_index(batch.f('ix_service_change_batch'), ['batch'], unique=False)
        batch.create_index(batch.f('ix_service_change_service_id'), ['service_id'], unique=False)
        batch.create_index(batch.f('ix_service_change_state'), ['state'], unique=False)
    op.create_table('service_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.String(length=36), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('record', sa.Text(), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('change_id', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('approver_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['approver_id'], ['staff_user.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['author_id'], ['staff_user.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['change_id'], ['service_change.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('service_id', 'number')
    )
    with op.batch_alter_table('service_version') as batch:
        batch.create_index(batch.f('ix_service_version_service_id'), ['service_id'], unique=False)
    op.create_table('service_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.String(length=36), nullable=False),
    sa.Column('service_name', sa.String(length=255), nullable=False),
    sa.Column('district_slugs', sa.String(length=500), nullable=False),
    sa.Column('topic', sa.String(length=10), nullable=False),
    sa.Column('details', sa.Text(), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('change_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['change_id'], ['service_change.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['staff_user.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('service_report') as batch:
        batch.create_index(batch.f('ix_service_report_received_at'), ['received_at'], unique=False)
        batch.create_index(batch.f('ix_service_report_service_id'), ['service_id'], unique=False)
        batch.create_index(batch.f('ix_service_report_state'), ['state'], unique=False)


def downgrade():
    with op.batch_alter_table('service_report') as batch:
        batch.drop_index(batch.f('ix_service_report_state'))
        batch.drop_index(batch.f('ix_service_report_service_id'))
        batch.drop_index(batch.f('ix_service_report_received_at'))
    op.drop_table('service_report')
    with op.batch_alter_table('service_version') as batch:
        batch.drop_index(batch.f('ix_service_version_service_id'))
    op.drop_table('service_version')
    with op.batch_alter_table('service_change') as batch:
        batch.drop_index(batch.f('ix_service_change_state'))
        batch.drop_index(batch.f('ix_service_change_service_id'))
        batch.drop_index(batch.f('ix_service_change_batch'))
    op.drop_table('service_change')
