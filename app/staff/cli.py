"""``flask users …``: add staff and unlock them."""

import click
from flask import current_app
from flask.cli import with_appcontext

from app.extensions import db
from app.models import StaffUser
from app.models.staff import ALL_DISTRICTS, ROLES
from app.staff.forms import MIN_PASSWORD


@click.group("users", help="Staff who sign in to /staff.")
def users_cli():
    pass


@users_cli.command("create")
@click.argument("email")
@click.option("--name", required=True, help="Their name, as other staff will see it.")
@click.option("--role", "roles", type=click.Choice(ROLES), multiple=True,
              help="team (referrals), editor (the directory) or admin (staff accounts); repeat for several. [default: team]")
@click.option("--district", "districts", multiple=True, help="A district slug they work in (repeat for several).")
@click.option("--all-districts", is_flag=True, help="Every district, including any added later.")
@click.password_option(help="Asked for if not given.")
@with_appcontext
def create(email, name, roles, districts, all_districts, password):
    """Add a staff member: the first admin, say, who then invites everyone else from /staff/users."""
    roles = roles or ("team",)
    settings = current_app.extensions["site_settings"]
    known = {district.slug for district in settings.districts}
    unknown = [slug for slug in districts if slug not in known]
    if unknown:
        raise click.BadParameter(f"unknown district {', '.join(unknown)}; choose from {', '.join(sorted(known))}", param_hint="--district")
    if set(roles) & {"team", "editor"} and not districts and not all_districts:
        raise click.BadParameter("a team member or editor needs at least one --district (or --all-districts)", param_hint="--district")
    if len(password) < MIN_PASSWORD:
        raise click.BadParameter(f"use at least {MIN_PASSWORD} characters", param_hint="password")
    email = email.strip().lower()
    if "@" not in email:
        raise click.BadParameter("enter an email address", param_hint="EMAIL")
    if db.session.scalar(db.select(StaffUser).where(StaffUser.email == email)):
        raise click.ClickException(f"There is already a staff member with the email address {email}")
    user = StaffUser(email=email, name=name.strip(), district_slugs=ALL_DISTRICTS if all_districts else ",".join(districts),
                     active=True, failed_sign_ins=0)
    user.roles = roles
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    where = "all districts" if all_districts else ", ".join(districts) or "no districts"
    click.echo(f"Added {email} ({', '.join(user.roles)}; {where}).")


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
