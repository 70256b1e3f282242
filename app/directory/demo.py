"""The demonstration directory kept in content/directory/ as Open Referral UK JSON."""

import json
from contextlib import nullcontext
from pathlib import Path

from flask import current_app

from app.directory.importer import clear_directory, import_services, import_taxonomy, parse_json
from app.extensions import db
from app.models import ServiceChange, ServiceVersion


def load_demo(content_dir: Path, progress=lambda items: items):
    """Replace the directory with the demo taxonomy, services and postcodes; returns the number of services.

    The editors' changes and the services' history go too: the demo starts afresh.

    ``demo-postcodes.csv`` holds the demo venues' made-up postcodes and a few
    places outside the county, in the ONS Postcode Directory's format.
    """
    from app.search.cli import import_postcodes

    folder = Path(content_dir) / "directory"
    search = current_app.extensions.get("search")
    with search.changes() if search is not None else nullcontext():  # one index build, at the end
        import_taxonomy(json.loads((folder / "taxonomy.json").read_text(encoding="utf-8")))
        db.session.execute(db.delete(ServiceVersion))
        db.session.execute(db.delete(ServiceChange))
        db.session.commit()
        clear_directory()
        records = parse_json((folder / "demo-services.json").read_text(encoding="utf-8"))
        count = import_services(records, progress=progress)
    import_postcodes(folder / "demo-postcodes.csv")
    return count
