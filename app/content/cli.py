"""Command line: ``flask content check`` and ``flask content new``."""

import json
import sys
from datetime import timedelta
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from app import clock
from app.content.checks import READABLE, check_content
from app.content.library import SECTIONS
from app.content.stages import STAGE_VALUES
from app.directory.slugs import is_slug
from app.extensions import db
from app.models import Taxonomy, TaxonomyTerm, codes

content_cli = AppGroup("content", help="Content pages: check them, or start a new one.")


def category_codes(content_dir):
    """The directory's category codes: from the database, or else from the shipped taxonomy file."""
    try:
        terms = set(
            db.session.scalars(
                select(TaxonomyTerm.term).join(Taxonomy).where(Taxonomy.code == codes.CATEGORIES)
            )
        )
    except SQLAlchemyError:
        db.session.rollback()
        terms = set()
    if terms:
        return terms
    data = json.loads((Path(content_dir) / "directory" / "taxonomy.json").read_text(encoding="utf-8"))
    wanted = {t["id"] for t in data["taxonomies"] if t.get("code") == codes.CATEGORIES}
    return {term["term"] for term in data["taxonomy_terms"] if term["taxonomy_id"] in wanted}


@content_cli.command("check")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="Check review dates as of this day.")
def check_command(today):
    """Check every page; print problems and each page's reading ease; exit 1 on any error."""
    content_dir = Path(current_app.config["CONTENT_DIR"])
    settings = current_app.extensions["site_settings"]
    report = check_content(
        content_dir, settings, category_codes(content_dir), today.date() if today else clock.now().date(),
        current_app.url_map,
    )
    root = content_dir.parent
    for problem in report.problems:
        click.echo(problem.describe(root), err=problem.error)
    if report.readability:
        click.echo(f"\nReading ease (Flesch; {READABLE} or more is plain enough):")
        for (section, slug), score in sorted(report.readability.items(), key=lambda item: item[1]):
            click.echo(f"  {score:6.1f}  {section}/{slug}")
        for section in SECTIONS:
            scores = [score for (s, _), score in report.readability.items() if s == section]
            if scores:
                click.echo(f"  Average for {section}: {sum(scores) / len(scores):.1f} over {len(scores)} pages")
    pages = len(report.readability)
    click.echo(f"\n{pages} English pages checked: {len(report.errors)} errors, {len(report.warnings)} warnings.")
    sys.exit(1 if report.errors else 0)


@content_cli.command("new")
@click.argument("section", type=click.Choice(SECTIONS))
@click.argument("slug")
@click.option("--title", required=True, help="The page's title, in sentence case.")
@click.option("--stage", type=click.Choice(STAGE_VALUES), default=None, help="The Start for Life stage.")
@click.option("--language", default="en", help="Write a translation of an English page instead.")
def new_command(section, slug, title, stage, language):
    """Start a new page: content/SECTION/SLUG.md with its front matter filled in."""
    content_dir = Path(current_app.config["CONTENT_DIR"])
    settings = current_app.extensions["site_settings"]
    if not is_slug(slug):
        raise click.BadParameter("use lower-case letters, numbers and hyphens, like safe-sleep", param_hint="SLUG")
    if language not in settings.language_codes:
        raise click.BadParameter(f"use one of {', '.join(settings.language_codes)}", param_hint="--language")
    folder = content_dir / section if language == "en" else content_dir / language / section
    path = folder / f"{slug}.md"
    if path.exists():
        raise click.ClickException(f"{path.relative_to(content_dir.parent)} already exists")
    today = clock.now().date()
    start_for_life = section == "start-for-life"
    stage = stage or ("birth-to-6-months" if start_for_life else "none")
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "---\n"
        f"title: {json.dumps(title, ensure_ascii=False)}\n"
        "summary: One plain sentence saying what this page helps with.\n"
        f"stage: {stage}\n"
        "topics: []\n"
        "related: []\n"
        f"updated: {today.isoformat()}\n"
        f"review_by: {(today + timedelta(days=365 if start_for_life else 182)).isoformat()}\n"
        f"owner: {'Start for Life team' if start_for_life else 'Family Hub content team'}\n"
        "---\n\n"
        "Start with a short paragraph that says what this page covers.\n\n"
        "## A first heading\n\n"
        "Write in short sentences, using everyday words.\n",
        encoding="utf-8",
    )
    click.echo(f"Created {path.relative_to(content_dir.parent)}. Write it, then run: flask content check")
