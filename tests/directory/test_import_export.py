"""Import and export: all-or-nothing, clear messages, and lossless round trips."""

import copy
import csv
import io
import json
from pathlib import Path

import jsonschema
import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Location, Schedule, Service
from tests.conftest import unavailable
from tests.pages import heading, parse, text_of

ROOT = Path(__file__).resolve().parents[2]
DEMO = json.loads((ROOT / "content" / "directory" / "demo-services.json").read_text())
# The Open Referral UK profile's schemas live in the shared folder beside the repository.
SCHEMA_PATH = ROOT.parent / "shared" / "oruk" / "schema" / "compiled" / "service.json"


def counts(app):
    with app.app_context():
        return tuple(db.session.scalar(select(func.count()).select_from(m)) for m in (Service, Location, Schedule))


def export(runner, fmt="oruk-json"):
    result = runner.invoke(args=["services", "export", "--format", fmt])
    assert result.exit_code == 0, result.output
    return result.output


def import_file(runner, tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return runner.invoke(args=["services", "import", "--publish", str(path)])


def a_service(**changes):
    record = copy.deepcopy(DEMO[0])
    record.update(changes)
    return record


def assert_rejected(app, runner, tmp_path, content, *expected, name="services.json"):
    before = counts(app)
    result = import_file(runner, tmp_path, name, content)
    assert result.exit_code == 1
    assert "Nothing was imported" in result.output
    for text in expected:
        assert text in result.output, result.output
    assert counts(app) == before


def test_malformed_json_is_rejected(app, runner, tmp_path):
    assert_rejected(app, runner, tmp_path, '[{"id": "x", ', "The file: is not valid JSON (line 1")


def test_unknown_taxonomy_term_is_rejected_and_nothing_is_written(app, runner, tmp_path):
    good = a_service(id="6f0d3c1e-0000-4000-8000-000000000001", name="A new good service")
    bad = a_service(id="6f0d3c1e-0000-4000-8000-000000000002", name="A bad one")
    bad["attributes"] = [{"id": "6f0d3c1e-0000-4000-8000-0000000000aa", "taxonomy_term_id": "6f0d3c1e-0000-4000-8000-0000000000ff"}]
    for item in ("phones", "contacts", "schedules", "service_areas", "service_at_locations", "languages", "cost_options"):
        good.pop(item, None)
        bad.pop(item, None)
    assert_rejected(
        app, runner, tmp_path, [good, bad],
        'Service 2 "A bad one": attributes[0].taxonomy_term_id: unknown taxonomy term "6f0d3c1e-0000-4000-8000-0000000000ff"',
    )


def first_location(record):
    return record["service_at_locations"][0]["location"]


def located_service():
    return copy.deepcopy(next(s for s in DEMO if s.get("service_at_locations")))


def test_bad_coordinates_are_rejected(app, runner, tmp_path):
    record = located_service()
    first_location(record)["latitude"] = 152.4
    first_location(record)["longitude"] = "east"
    assert_rejected(
        app, runner, tmp_path, [record],
        "service_at_locations[0].location.latitude: 152.4 must be between 49.0 and 61.0",
        "service_at_locations[0].location.longitude: \"east\" is not a number",
    )


def test_bad_postcodes_are_rejected(app, runner, tmp_path):
    record = located_service()
    first_location(record)["addresses"][0]["postal_code"] = "WR99 ZZZZ"
    assert_rejected(
        app, runner, tmp_path, [record],
        'service_at_locations[0].location.addresses[0].postal_code: "WR99 ZZZZ" is not a UK postcode',
    )


def test_bad_times_are_rejected(app, runner, tmp_path):
    record = copy.deepcopy(next(s for s in DEMO if s.get("schedules")))
    record["schedules"][0]["opens_at"] = "25:61"
    record["schedules"].append(dict(record["schedules"][0], id="6f0d3c1e-0000-4000-8000-0000000000bb",
                                    opens_at="15:00", closes_at="09:00"))
    assert_rejected(
        app, runner, tmp_path, [record],
        'schedules[0].opens_at: "25:61" is not a time like 09:30 or 17:00:00',
        "schedules[1].closes_at: must be later than opens_at",
    )


def test_missing_name_and_bad_status_are_named(app, runner, tmp_path):
    record = a_service(name="", status="open")
    assert_rejected(app, runner, tmp_path, [record], "Service 1: name: is missing",
                    'status: "open" must be one of: active, inactive, defunct, temporarily closed')


def test_bad_csv_is_rejected(app, runner, tmp_path):
    rows = list(csv.DictReader(io.StringIO(export(runner, "csv"))))
    rows[0]["categories"] = "not-a-category"
    rows[2]["opening_times"] = "MO 09:30-25:00"
    rows[3]["location_1_postcode"] = "NOT A CODE"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    assert_rejected(
        app, runner, tmp_path, out.getvalue(),
        f'Row 2 "{rows[0]["name"]}": categories: unknown taxonomy term "not-a-category"',
        f'Row 4 "{rows[2]["name"]}": schedules[0].closes_at: "25:00" is not a time',
        f'Row 5 "{rows[3]["name"]}": service_at_locations[0].location.addresses[0].postal_code: "NOT A CODE" is not a UK postcode',
        name="services.csv",
    )


def test_export_validates_against_the_open_referral_uk_schema(runner):
    if not SCHEMA_PATH.exists():
        unavailable("The Open Referral UK schema", f"Put the shared folder beside the repository ({SCHEMA_PATH}).")
    SERVICE_SCHEMA = json.loads(SCHEMA_PATH.read_text())
    records = json.loads(export(runner))
    assert len(records) == len(DEMO)
    validator = jsonschema.Draft7Validator(SERVICE_SCHEMA)
    for record in records:
        errors = [e.message for e in validator.iter_errors(record)]
        assert not errors, (record["name"], errors)


def subset_differences(wanted, got, path=""):
    """Where ``got`` lacks or changes something in ``wanted`` (lists matched by id)."""
    if isinstance(wanted, dict):
        return [d for key, value in wanted.items()
                for d in (subset_differences(value, got.get(key), f"{path}.{key}") if isinstance(got, dict) else [path])]
    if isinstance(wanted, list):
        if not isinstance(got, list) or len(got) != len(wanted):
            return [path]
        if wanted and isinstance(wanted[0], dict) and "id" in wanted[0]:
            by_id = {item.get("id"): item for item in got}
            return [d for item in wanted for d in subset_differences(item, by_id.get(item["id"]), f"{path}[{item['id']}]")]
        return [d for i, (w, g) in enumerate(zip(wanted, got, strict=True)) for d in subset_differences(w, g, f"{path}[{i}]")]
    return [] if wanted == got else [f"{path}: {wanted!r} != {got!r}"]


def test_every_demo_value_survives_the_import(runner):
    exported = {record["id"]: record for record in json.loads(export(runner))}
    for record in DEMO:
        assert subset_differences(record, exported[record["id"]]) == [], record["name"]


def test_json_export_then_import_round_trips_without_difference(app, runner, tmp_path, restore_demo):
    first = export(runner)
    from app.directory.importer import clear_directory

    with app.app_context():
        clear_directory()
    assert counts(app)[0] == 0
    result = import_file(runner, tmp_path, "export.json", first)
    assert result.exit_code == 0, result.output
    assert f"Imported {len(DEMO)} services." in result.output
    assert export(runner) == first


def test_csv_export_then_import_round_trips(app, runner, tmp_path, restore_demo):
    first = export(runner, "csv")
    assert first.splitlines()[0].startswith("id,name,status,description")
    assert len(first.splitlines()) == len(DEMO) + 1
    from app.directory.importer import clear_directory

    with app.app_context():
        clear_directory()
    result = import_file(runner, tmp_path, "export.csv", first)
    assert result.exit_code == 0, result.output
    assert export(runner, "csv") == first


def test_import_replaces_a_service_by_id_and_keeps_its_address(app, client, runner, tmp_path, restore_demo):
    record = located_service()
    with app.app_context():
        old_slug = db.session.get(Service, record["id"]).slug
    assert client.get(f"/services/{old_slug}").status_code == 200
    record["name"] = record["name"] + " (renamed)"
    result = import_file(runner, tmp_path, "one.json", [record])
    assert result.exit_code == 0, result.output
    with app.app_context():
        service = db.session.get(Service, record["id"])
        assert service.name == record["name"]
        assert service.slug == old_slug + "-renamed"
        postcode = service.service_at_locations[0].location.postcode
    moved = client.get(f"/services/{old_slug}")  # links made before the rename still lead to the service
    assert moved.status_code == 301
    assert moved.headers["Location"].endswith(f"/services/{old_slug}-renamed")
    page = parse(client.get(f"/services/{old_slug}-renamed"))
    assert heading(page) == record["name"]
    assert postcode in text_of(page.find("main"))
    assert counts(app)[0] == len(DEMO)


def test_the_import_shows_progress(runner, tmp_path, restore_demo):
    result = import_file(runner, tmp_path, "all.json", DEMO)
    assert result.exit_code == 0
    assert "Importing services" in result.output


def test_demo_load_command(runner, restore_demo):
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    assert f"Loaded {len(DEMO)} demo services." in result.output


@pytest.mark.parametrize("content", ["{}", "3", '{"contents": 4}', "[1, 2]", '[{"id": 5}]'])
def test_other_shapes_are_rejected_without_a_crash(app, runner, tmp_path, content):
    before = counts(app)
    result = import_file(runner, tmp_path, "odd.json", content)
    assert result.exit_code == 1 and "Nothing was imported" in result.output
    assert counts(app) == before
