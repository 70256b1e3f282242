"""Site settings: another council's file changes the site without changing code."""

import shutil
from pathlib import Path

import pytest

from app.site_settings import SettingsError, load_settings
from tests.pages import parse, text_of

CONTENT = Path(__file__).resolve().parents[1] / "content"


def test_the_demo_settings_describe_six_districts():
    settings = load_settings(CONTENT / "settings.toml")
    assert [d.name for d in settings.districts] == [
        "Bromsgrove", "Malvern Hills", "Redditch", "Worcester", "Wychavon", "Wyre Forest"]
    assert settings.district_for_postcode("wr1 2ab").slug == "worcester"
    assert settings.district_for_postcode("DY12 1AA").slug == "wyre-forest"
    assert settings.district_for_postcode("SW1A 1AA") is None
    assert [h.number for h in settings.helplines][:2] == ["111", "0800 1111"]


def test_another_councils_settings_change_the_pages(app_with, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    settings = (content / "settings.toml").read_text()
    settings = settings.replace('name = "Worcestershire County Council"', 'name = "Exampleshire Council"')
    settings = settings.replace('family_information_phone = "01632 960000"', 'family_information_phone = "01632 960999"')
    settings = settings.replace('exit_page_url = "https://www.bbc.co.uk/weather"', 'exit_page_url = "https://example.org/weather"')
    (content / "settings.toml").write_text(settings)
    other = app_with(CONTENT_DIR=content)
    soup = parse(other.test_client().get("/"))
    assert text_of(soup.select_one(".govuk-generic-header__homepage-link")) == "Exampleshire Council"
    assert "01632 960999" in text_of(soup.find("footer"))
    assert other.test_client().get(soup.select_one(".govuk-exit-this-page a")["href"]).headers["Location"] == "https://example.org/weather"
    assert "Exampleshire Council" in soup.title.string


def test_a_bad_settings_file_is_refused_with_a_clear_message(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_text((CONTENT / "settings.toml").read_text().replace('brand_colour = "#005a70"', 'brand_colour = "teal"'))
    with pytest.raises(SettingsError, match="brand_colour must be a colour like #005a70"):
        load_settings(path)
    path.write_text("[council\nname=")
    with pytest.raises(SettingsError, match="is not valid TOML"):
        load_settings(path)


def test_migrations_match_the_models(app):
    """A model change without a migration fails here (on SQLite and PostgreSQL)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from app.extensions import db

    with app.app_context(), db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
    assert differences == []
