"""A synthetic directory of any size, made from the demo directory, for benchmarks.

Each synthetic service copies a demo service's categories, ages, languages,
schedules and costs, gets its own venue near the original (coordinates moved by
up to about 5 miles) and its own name and description: the original's, plus a
sentence of words drawn from the demo directory's own vocabulary, so the index
sees a realistic spread of terms. Rows go in with bulk inserts, so 100,000
services take seconds rather than an import's minutes.

    .venv/bin/python bench/synthetic_directory.py 10000 /tmp/synthetic.db
"""

import random
import re
import sys
import uuid

from sqlalchemy import insert, select

from app.extensions import db
from app.models import (
    Address,
    Attribute,
    CostOption,
    Language,
    Location,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
)

PLACES = ["Brookfield", "Hollins Green", "Marlow End", "Oakridge", "Fernley", "Ashby Cross", "Millbrook",
          "Kingsmead", "Larkhill", "Thornbury Vale", "Eastgate", "Westcote", "Northwick", "Southfield"]
BATCH = 2000


def _rows(table, service_ids):
    return db.session.execute(select(table.__table__).where(table.__table__.c.service_id.in_(service_ids))).mappings().all()


def generate(count, seed=1):
    """Replace the services with ``count`` synthetic ones built from those in the database now."""
    rng = random.Random(seed)
    demo = db.session.execute(select(Service.__table__)).mappings().all()
    ids = [row["id"] for row in demo]
    children = {table: {} for table in (Attribute, Language, Schedule, CostOption, ServiceArea)}
    for table in children:
        for row in _rows(table, ids):
            children[table].setdefault(row["service_id"], []).append(dict(row))
    venues = {}
    for link in db.session.execute(
        select(ServiceAtLocation.service_id, Location.latitude, Location.longitude, Address.postal_code, Address.city)
        .join(Location, Location.id == ServiceAtLocation.location_id)
        .join(Address, Address.location_id == Location.id)
    ):
        venues.setdefault(link.service_id, link)
    vocabulary = sorted({w for row in demo for w in re.findall(r"[a-z]{4,}", row["description"].lower())})

    for table in (ServiceAtLocation, Attribute, Language, Schedule, CostOption, ServiceArea):
        db.session.execute(table.__table__.delete())
    db.session.execute(Service.__table__.delete())
    db.session.commit()

    pending = {table: [] for table in (Service, Location, Address, ServiceAtLocation, *children)}
    for number in range(count):
        original = demo[number % len(demo)]
        service_id = str(uuid.UUID(int=rng.getrandbits(128)))
        place = rng.choice(PLACES)
        extra = " ".join(rng.sample(vocabulary, 8))
        pending[Service].append(dict(original) | {
            "id": service_id,
            "slug": f"{original['slug']}-{number}",
            "name": f"{original['name'].split(' – ')[0]} – {place} {number}",
            "description": f"{original['description']} Also: {extra}.",
        })
        for table, by_service in children.items():
            for child in by_service.get(original["id"], ()):
                pending[table].append(child | {"id": str(uuid.UUID(int=rng.getrandbits(128))), "service_id": service_id})
        venue = venues.get(original["id"])
        if venue is not None:
            location_id = str(uuid.UUID(int=rng.getrandbits(128)))
            pending[Location].append({
                "id": location_id, "location_type": "physical", "name": f"{place} Centre", "description": None,
                "latitude": venue.latitude + rng.uniform(-0.07, 0.07),
                "longitude": venue.longitude + rng.uniform(-0.1, 0.1),
            })
            pending[Address].append({
                "id": str(uuid.UUID(int=rng.getrandbits(128))), "location_id": location_id,
                "address_1": f"{rng.randint(1, 200)} {place} Road", "city": venue.city,
                "postal_code": venue.postal_code, "country": "GB", "address_type": "physical",
            })
            pending[ServiceAtLocation].append(
                {"id": str(uuid.UUID(int=rng.getrandbits(128))), "service_id": service_id, "location_id": location_id}
            )
        if len(pending[Service]) >= BATCH:
            _flush(pending)
    _flush(pending)
    db.session.commit()


def synthetic_app(size, path):
    """An app on a new SQLite database at ``path`` holding ``size`` synthetic services, its index not yet built.

    Rendered pages are not kept (every request does its work); the directory data is kept for an hour,
    as a worker keeps it between changes.
    """
    import flask_migrate

    from app import create_app
    from app.directory.demo import load_demo
    from app.search import search_service
    from tests.conftest import ConfigForTests

    app = create_app(ConfigForTests(f"sqlite:///{path}", PAGE_CACHE_SECONDS=0, DIRECTORY_CACHE_SECONDS=3600))
    with app.app_context():
        flask_migrate.upgrade()
        with search_service().changes():  # no index build for the demo data on its way out
            load_demo(app.config["CONTENT_DIR"])
            generate(size)
    return app


def _flush(pending):
    for table, rows in pending.items():
        if rows:
            db.session.execute(insert(table), rows)
            rows.clear()


if __name__ == "__main__":
    from tests.conftest import build_app

    size, path = int(sys.argv[1]), sys.argv[2]
    app = build_app(f"sqlite:///{path}")
    with app.app_context():
        generate(size)
        print(db.session.scalar(select(db.func.count()).select_from(Service)), "services in", path)
