"""``flask users …``: add staff and unlock them."""

import click
from flask import current_app
from flask.cli import with_appcontext

from app.extensions import db
from app.models import StaffUser
from app.models.staff import ROLES
from app.staff.forms import MIN_PASSWORD


@click.group("users", help="Staff who sign in to /staff.")
def users_cli():
    pass


@users_cli.command("create")
@click.argument("email")
@click.option("--name", required=True, help="Their name, as other staff will see it.")
@click.option("--role", type=click.Choice(ROLES), default="team", show_default=True)
@click.option("--district", "districts", multiple=True, help="A district slug they work in (repeat for several).")
@click.password_option(help="Asked for if not given.")
@with_appcontext
def create(email, name, role, districts, password):
    """Add a staff member: an admin, or a team member for one or more districts."""
    settings = current_app.extensions["site_settings"]
    known = {district.slug for district in settings.districts}
    unknown = [slug for slug in districts if slug not in known]
    if unknown:
        raise click.BadParameter(f"unknown district {', '.join(unknown)}; choose from {', '.join(sorted(known))}", param_hint="--district")
    if role == "team" and not districts:
        raise click.BadParameter("a team member needs at least one --district", param_hint="--district")
    if len(password) < MIN_PASSWORD:
        raise click.BadParameter(f"use at least {MIN_PASSWORD} characters", param_hint="password")
    email = email.strip().lower()
    if "@" not in email:
        raise click.BadParameter("enter an email address", param_hint="EMAIL")
    if db.session.scalar(db.select(StaffUser).where(StaffUser.email == email)):
        raise click.ClickException(f"There is already a staff member with the email address {email}")
    user = StaffUser(email=email, name=name.strip(), role=role, district_slugs=",".join(districts), active=True, failed_sign_ins=0)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    where = "all districts" if role == "admin" else ", ".join(districts)
    click.echo(f"Added {email} ({role}, {where}).")


@users_cli.command("unlock")
@click.argument("email")
@with_appcontext
def unlock(email):
    """Unlock a staff member locked out by failed sign-ins."""
    user = db.session.scalar(db.select(StaffUser).where(StaffUser.email == email.strip().lower()))
    if user is None:
        raise click.ClickException(f"No staff member has the email address {email}")
    user.locked_until, user.failed_sign_ins = None, 0
    db.session.commit()
    click.echo(f"Unlocked {user.email}.")
