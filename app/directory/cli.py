"""Command line: ``flask services import|pull|export``, ``flask taxonomy import``, ``flask demo load``."""

import json
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.directory import oruk, spreadsheet
from app.directory.demo import load_demo
from app.directory.importer import ImportRejected, Problem, import_services, import_taxonomy, parse_json
from app.extensions import db
from app.models import Service, TaxonomyTerm

services_cli = AppGroup("services", help="Import and export the service directory.")
taxonomy_cli = AppGroup("taxonomy", help="Import the taxonomies that categorise services.")
demo_cli = AppGroup("demo", help="The demonstration directory.")


def _progress(label):
    def wrap(items):
        with click.progressbar(items, label=label, file=sys.stderr) as bar:
            yield from bar
    return wrap


def _fail(rejected):
    click.echo("Nothing was imported:", err=True)
    for problem in rejected.problems[:50]:
        click.echo(f"  {problem}", err=True)
    if len(rejected.problems) > 50:
        click.echo(f"  … and {len(rejected.problems) - 50} more problems", err=True)
    raise SystemExit(1)


def terms_by_code():
    terms = db.session.scalars(select(TaxonomyTerm).options(selectinload(TaxonomyTerm.taxonomy)))
    return {(t.taxonomy.code, t.term): oruk.term_record(t) for t in terms}


def read_records(path, text):
    """Records, how messages should number them, and problems found reading them."""
    if Path(path).suffix.lower() == ".csv":
        county = current_app.extensions["site_settings"].council.get("county", "")
        records, problems = spreadsheet.records_from_csv(text, terms_by_code(), county)
        return records, ("Row", 2), problems
    return parse_json(text), ("Service", 1), ()


@services_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--publish", is_flag=True,
              help="Publish at once, without an editor's approval (for a first load). Without it, when changes need "
                   "approval (DIRECTORY_CHANGES_NEED_APPROVAL), each changed service waits for an editor at /staff/changes.")
def import_command(path, publish):
    """Import services from Open Referral UK JSON or the directory CSV (by file extension)."""
    from app.directory import editing

    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        _fail(ImportRejected([Problem("The file", "", "is not UTF-8 text")]))
    try:
        records, numbering, problems = read_records(path, text)
        if editing.needs_approval() and not publish:
            waiting, unchanged = editing.propose_import(records, numbering, problems)
            click.echo(f"{waiting} changed services wait for an editor's approval at "
                       f"{current_app.config['SITE_URL']}/staff/changes ({unchanged} unchanged).")
            return
        count = import_services(records, _progress("Importing services"), numbering, problems)
    except ImportRejected as rejected:
        _fail(rejected)
    click.echo(f"Imported {count} services.")


def all_records():
    services = db.session.scalars(select(Service).order_by(Service.name, Service.id))
    return [oruk.service_record(service) for service in services]


@services_cli.command("pull")
@click.argument("url")
@click.option("--name", help="The feed's name, shown on its services' pages (default: the web address's host).")
@click.option("--dry-run", is_flag=True, help="Read and check the feed, say what would change, change nothing.")
@click.option("--timeout", type=click.FloatRange(0.1, 300), default=10.0, show_default=True,
              help="Seconds to wait for each answer.")
@click.option("--publish", is_flag=True,
              help="Publish at once, without an editor's approval. Without it, when changes need approval, each "
                   "service added, changed or closed waits for an editor at /staff/changes.")
def pull_command(url, name, dry_run, timeout, publish):
    """Pull another organisation's Open Referral UK 3.0 API into the directory, all or nothing."""
    from app.directory import editing
    from app.directory.feeds import FeedRefused, pull

    publish = publish or not editing.needs_approval()
    try:
        result = pull(url, name=name, dry_run=dry_run, timeout=timeout, progress=_progress, publish=publish)
    except FeedRefused as refused:
        click.echo(f"Nothing was pulled: {refused}", err=True)
        raise SystemExit(1) from None
    except ImportRejected as rejected:
        _fail(rejected)
    would = "would be " if dry_run else ""
    if not dry_run and not publish:
        click.echo(f"Nothing is published yet: each service added, changed or closed waits for an editor's approval at "
                   f"{current_app.config['SITE_URL']}/staff/changes.")
    click.echo(f"{'Dry run: nothing changed. ' if dry_run else ''}From \"{result.feed}\": "
               f"{len(result.added)} {would}added, {len(result.changed)} {would}changed, "
               f"{len(result.closed)} {would}closed, {result.unchanged} unchanged.")
    for label, names in (("Added", result.added), ("Changed", result.changed), ("Closed", result.closed)):
        for service_name in names[:50]:
            click.echo(f"  {label}: {service_name}")
    if result.notes:
        click.echo(f"Left out ({len(result.notes)}):")
        for note in result.notes[:50]:
            click.echo(f"  {note}")


@services_cli.command("export")
@click.option("--format", "fmt", type=click.Choice(["oruk-json", "csv"]), default="oruk-json", show_default=True)
@click.option("--output", "-o", type=click.File("w", encoding="utf-8"), default="-", help="File to write (default: standard output).")
def export_command(fmt, output):
    """Export every service as Open Referral UK JSON or as the directory CSV."""
    records = all_records()
    if fmt == "csv":
        output.write(spreadsheet.write_csv(records))
    else:
        json.dump(records, output, indent=1, ensure_ascii=False)
        output.write("\n")


@taxonomy_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def taxonomy_import_command(path):
    """Import taxonomies and terms from a JSON file."""
    try:
        count = import_taxonomy(json.loads(Path(path).read_text(encoding="utf-8")))
    except json.JSONDecodeError as error:
        _fail(ImportRejected([Problem("The file", "", f"is not valid JSON: {error}")]))
    except ImportRejected as rejected:
        _fail(rejected)
    click.echo(f"Imported {count} taxonomy terms.")


@demo_cli.command("load")
def demo_load_command():
    """Replace the directory with the demonstration data in content/directory/."""
    try:
        count = load_demo(current_app.config["CONTENT_DIR"], progress=_progress("Loading demo services"))
    except ImportRejected as rejected:
        _fail(rejected)
    click.echo(f"Loaded {count} demo services.")
