"""staff hold several roles (team member, editor, admin); invitations; the audit of account changes

An admin was a single role that also read every district's referrals. Each admin
keeps what they had: the admin and team member roles, for all districts.

Revision ID: 5e1a7c3d9b20
Revises: df1bc6496798
Create Date: 2026-12-07 20:05:00

"""
from alembic import op
import sqlalchemy as sa


revision = '5e1a7c3d9b20'
down_revision = 'df1bc6496798'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('staff_user') as batch:
        batch.add_column(sa.Column('roles', sa.String(length=40), nullable=False, server_default='team'))
    staff = sa.table('staff_user', sa.column('role', sa.String), sa.column('roles', sa.String),
                     sa.column('district_slugs', sa.String))
    op.execute(staff.update().where(staff.c.role == 'admin').values(roles='team,admin', district_slugs='*'))
    with op.batch_alter_table('staff_user') as batch:
        batch.drop_column('role')
    with op.batch_alter_table('staff_password_reset') as batch:
        batch.add_column(sa.Column('purpose', sa.String(length=10), nullable=False, server_default='reset'))
    op.create_table('staff_audit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('admin_id', sa.Integer(), nullable=True),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=30), nullable=False),
    sa.Column('detail', sa.String(length=500), nullable=False),
    sa.ForeignKeyConstraint(['admin_id'], ['staff_user.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['member_id'], ['staff_user.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('staff_audit') as batch:
        batch.create_index(batch.f('ix_staff_audit_at'), ['at'], unique=False)
        batch.create_index(batch.f('ix_staff_audit_member_id'), ['member_id'], unique=False)


def downgrade():
    with op.batch_alter_table('staff_audit') as batch:
        batch.drop_index(batch.f('ix_staff_audit_member_id'))
        batch.drop_index(batch.f('ix_staff_audit_at'))
    op.drop_table('staff_audit')
    with op.batch_alter_table('staff_password_reset') as batch:
        batch.drop_column('purpose')
    with op.batch_alter_table('staff_user') as batch:
        batch.add_column(sa.Column('role', sa.String(length=10), nullable=False, server_default='team'))
    staff = sa.table('staff_user', sa.column('role', sa.String), sa.column('roles', sa.String))
    op.execute(staff.update().where(staff.c.roles.like('%admin%')).values(role='admin'))
    with op.batch_alter_table('staff_user') as batch:
        batch.drop_column('roles')
