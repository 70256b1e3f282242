"""The demonstration directory kept in content/directory/ as Open Referral UK JSON."""

import json
from pathlib import Path

from app.directory.importer import clear_directory, import_services, import_taxonomy, parse_json


def load_demo(content_dir: Path, progress=lambda items: items):
    """Replace the directory with the demo taxonomy and services; returns the number of services."""
    folder = Path(content_dir) / "directory"
    import_taxonomy(json.loads((folder / "taxonomy.json").read_text(encoding="utf-8")))
    clear_directory()
    records = parse_json((folder / "demo-services.json").read_text(encoding="utf-8"))
    return import_services(records, progress=progress)
