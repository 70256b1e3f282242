"""Command line: ``flask search build`` and ``flask geo import``."""

import csv
import sys
from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import delete, insert

from app.domain.postcodes import forget_postcodes, normalise_postcode
from app.extensions import db
from app.models import Postcode
from app.search import search_service
from app.search.documents import count_services

search_cli = AppGroup("search", help="The search index.")
geo_cli = AppGroup("geo", help="Postcodes and where they are.")

BATCH = 5000


@search_cli.command("build")
def build_command():
    """Build a new search index from the directory and swap it in."""
    service = search_service()
    with service.store.lock(wait=False) as mine:
        if not mine:
            click.echo("Another process is building the index; it will include every change.", err=True)
            service.store.rebuild(lambda: None)  # leave a request so that builder runs once more
            return
        with click.progressbar(length=count_services(), label="Indexing services", file=sys.stderr) as bar:
            manifest = service.build(progress=bar.update)
    rate = manifest["services"] / manifest["seconds"] if manifest["seconds"] else 0
    click.echo(
        f"Indexed {manifest['services']} services and {manifest['pages']} pages "
        f"in {manifest['seconds']:.1f} s ({rate:,.0f} services a second)."
    )


def read_postcodes(handle):
    """(postcode, latitude, longitude) rows from an ONS Postcode Directory CSV, and the rows skipped."""
    reader = csv.DictReader(handle)
    missing = {"pcds", "lat", "long"} - set(reader.fieldnames or ())
    if missing:
        raise click.ClickException(f"The file needs the columns pcds, lat and long (missing: {', '.join(sorted(missing))})")
    rows, skipped = [], 0
    for row in reader:
        postcode = normalise_postcode(row.get("pcds") or "")
        try:
            latitude, longitude = float(row["lat"]), float(row["long"])
        except (TypeError, ValueError):
            latitude = longitude = None
        # ONS marks postcodes with no grid reference with a latitude of 99.999999.
        if postcode is None or latitude is None or not (49 <= latitude <= 61 and -9 <= longitude <= 2):
            skipped += 1
            continue
        rows.append((postcode, latitude, longitude))
    return rows, skipped


def import_postcodes(path):
    """Replace the postcode table with the file's postcodes; returns (imported, skipped)."""
    with open(path, newline="", encoding="utf-8-sig") as handle:
        rows, skipped = read_postcodes(handle)
    unique = {postcode: (postcode, lat, lon) for postcode, lat, lon in rows}
    db.session.execute(delete(Postcode))
    values = [{"postcode": p, "latitude": lat, "longitude": lon} for p, lat, lon in unique.values()]
    for start in range(0, len(values), BATCH):
        db.session.execute(insert(Postcode), values[start : start + BATCH])
    db.session.commit()
    forget_postcodes()
    return len(values), skipped


@geo_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def geo_import_command(path):
    """Fill the postcode table from an ONS Postcode Directory CSV (columns pcds, lat, long)."""
    imported, skipped = import_postcodes(path)
    click.echo(f"Imported {imported} postcodes" + (f"; skipped {skipped} rows without a usable location." if skipped else "."))
