"""The directory as a CSV that council staff can edit in a spreadsheet.

One row per service. Lists inside a cell are separated by semicolons; opening
times are written like ``MO 09:30-11:30; WE 13:00-15:00``; up to three locations
have their own columns. Rows become Open Referral UK records and are imported by
the same importer as JSON, so the same checks apply.

The CSV holds the fields staff edit most. Extra phone numbers and contacts,
funding and per-session notes live only in the JSON format.
"""

import csv
import io
import uuid

from app.directory.importer import ImportRejected, Problem
from app.models import codes

DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
LOCATION_SLOTS = 3
LOCATION_COLUMNS = ("id", "name", "address", "town", "postcode", "latitude", "longitude", "accessibility")
TERM_COLUMNS = {
    "categories": codes.CATEGORIES,
    "need_level": codes.NEED_LEVELS,
    "access": codes.ACCESS,
    "delivery": codes.DELIVERY,
    "eligibility": codes.ELIGIBILITY,
    "features": codes.FEATURES,
}
COLUMNS = (
    "id", "name", "status", "description", "organization_id", "organization_name",
    "organization_description", "url", "email", "phone", "fees", "cost_amount", "cost_description",
    "minimum_age", "maximum_age", *TERM_COLUMNS, "languages", "service_areas", "opening_times",
    "opening_times_note", "contact_name", "contact_title", "contact_email", "contact_phone",
    "assured_date", "alert",
    *(f"location_{n}_{column}" for n in range(1, LOCATION_SLOTS + 1) for column in LOCATION_COLUMNS),
)


def derived_id(*parts):
    """A stable id for an object the CSV has no id column for."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "familyhub:" + ":".join(parts)))


def _split(cell):
    return [part.strip() for part in (cell or "").split(";") if part.strip()]


# ---------------------------------------------------------------- export


def rows_from_records(records):
    for record in records:
        row = dict.fromkeys(COLUMNS, "")
        for key in ("id", "name", "status", "description", "url", "email", "fees",
                    "minimum_age", "maximum_age", "assured_date", "alert"):
            row[key] = "" if record.get(key) is None else str(record[key])
        organization = record.get("organization") or {}
        row["organization_id"] = organization.get("id", "")
        row["organization_name"] = organization.get("name", "")
        row["organization_description"] = organization.get("description", "")
        if record.get("phones"):
            row["phone"] = record["phones"][0]["number"]
        if record.get("cost_options"):
            cost = record["cost_options"][0]
            row["cost_amount"] = "" if cost.get("amount") is None else str(cost["amount"])
            row["cost_description"] = cost.get("amount_description", "")
        for column, taxonomy in TERM_COLUMNS.items():
                row[column] = "; ".join(sorted(
                a["taxonomy_term"]["term"] for a in record.get("attributes", []) if a["taxonomy_term"]["taxonomy"] == taxonomy
            ))
        row["languages"] = "; ".join(sorted(
            f"{lang.get('name', '')} ({lang.get('code', '')})" for lang in record.get("languages", [])
        ))
        row["service_areas"] = "; ".join(sorted(a.get("name", "") for a in record.get("service_areas", [])))
        schedules = record.get("schedules", [])
        sessions = sorted(
            (DAYS.index(day) if day in DAYS else 9, s["opens_at"][:5], s["closes_at"][:5], day)
            for s in schedules if s.get("opens_at") and s.get("closes_at")
            for day in s.get("byday", "").split(",") if day
        )
        row["opening_times"] = "; ".join(f"{day} {opens}-{closes}" for _, opens, closes, day in sessions)
        row["opening_times_note"] = schedules[0].get("description", "") if schedules else ""
        if record.get("contacts"):
            contact = record["contacts"][0]
            row["contact_name"] = contact.get("name", "")
            row["contact_title"] = contact.get("title", "")
            row["contact_email"] = contact.get("email", "")
            row["contact_phone"] = contact["phones"][0]["number"] if contact.get("phones") else ""
        links = sorted(record.get("service_at_locations", []), key=lambda link: (link["location"].get("name", ""), link["location"]["id"]))
        for n, link in enumerate(links[:LOCATION_SLOTS], start=1):
            place = link["location"]
            address = (place.get("addresses") or [{}])[0]
            values = {
                "id": place["id"], "name": place.get("name", ""), "address": address.get("address_1", ""),
                "town": address.get("city", ""), "postcode": address.get("postal_code", ""),
                "latitude": str(place.get("latitude", "")), "longitude": str(place.get("longitude", "")),
                "accessibility": "; ".join(a.get("description", "") for a in place.get("accessibility", [])),
            }
            for column, value in values.items():
                row[f"location_{n}_{column}"] = value
        yield row


def write_csv(records):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows_from_records(records))
    return out.getvalue()


# ---------------------------------------------------------------- import


def records_from_csv(text, terms_by_code, county=""):
    """Open Referral UK records from the CSV, and the problems found reading the cells.

    ``terms_by_code`` maps (taxonomy, term code) to a term record. The importer
    reports these problems together with its own checks.
    """
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in ("id", "name", "status") if c not in (reader.fieldnames or [])]
    if missing:
        raise ImportRejected([Problem("The CSV", "", f"needs the columns: {', '.join(missing)}")])
    records, problems = [], []
    for number, row in enumerate(reader, start=2):
        record, row_problems = _record_from_row(row, number, terms_by_code, county)
        records.append(record)
        problems.extend(row_problems)
    return records, problems


def _record_from_row(row, number, terms_by_code, county):
    row = {key: (value or "").strip() for key, value in row.items() if key}
    sid = row["id"]
    label = f"Row {number}" + (f" \"{row['name']}\"" if row.get("name") else "")
    problems = []
    record = {key: row[key] for key in ("id", "name", "status", "description", "url", "email", "fees",
                                        "minimum_age", "maximum_age", "assured_date", "alert") if row.get(key)}
    if row.get("organization_name"):
        record["organization"] = {
            "id": row.get("organization_id") or derived_id("organization", row["organization_name"]),
            "name": row["organization_name"],
            "description": row.get("organization_description", ""),
        }
    if row.get("phone"):
        record["phones"] = [{"id": derived_id(sid, "phone"), "number": row["phone"]}]
    if row.get("cost_amount") or row.get("cost_description"):
        record["cost_options"] = [{"id": derived_id(sid, "cost"), "amount": row.get("cost_amount") or None,
                                   "amount_description": row.get("cost_description", "")}]
    attributes = []
    for column, taxonomy in TERM_COLUMNS.items():
        for code in _split(row.get(column)):
            term = terms_by_code.get((taxonomy, code))
            if term is None:
                problems.append(Problem(label, column, f"unknown taxonomy term \"{code}\""))
                continue
            attributes.append({"id": derived_id(sid, "attribute", term["id"]), "taxonomy_term_id": term["id"],
                               "taxonomy_term": term})
    record["attributes"] = attributes
    record["languages"] = []
    for item in _split(row.get("languages")):
        name, _, code = item.rpartition("(")
        record["languages"].append({"id": derived_id(sid, "language", item), "name": name.strip() or item,
                                    "code": code.rstrip(")").strip()})
    record["service_areas"] = [{"id": derived_id(sid, "area", name), "name": name} for name in _split(row.get("service_areas"))]
    record["schedules"] = []
    for item in _split(row.get("opening_times")):
        day, _, hours = item.partition(" ")
        opens, _, closes = hours.strip().partition("-")
        if not (day and opens and closes):
            problems.append(Problem(label, "opening_times", f"\"{item}\" is not like \"MO 09:30-11:30\""))
            continue
        schedule = {"id": derived_id(sid, "schedule", item), "freq": "WEEKLY", "interval": 1,
                    "byday": day.upper(), "opens_at": opens.strip(), "closes_at": closes.strip()}
        if row.get("opening_times_note"):
            schedule["description"] = row["opening_times_note"]
        record["schedules"].append(schedule)
    if row.get("contact_name") or row.get("contact_email") or row.get("contact_phone"):
        contact = {"id": derived_id(sid, "contact"), "name": row.get("contact_name"),
                   "title": row.get("contact_title"), "email": row.get("contact_email")}
        if row.get("contact_phone"):
            contact["phones"] = [{"id": derived_id(sid, "contact-phone"), "number": row["contact_phone"]}]
        record["contacts"] = [{k: v for k, v in contact.items() if v}]
    record["service_at_locations"] = []
    for n in range(1, LOCATION_SLOTS + 1):
        cell = {column: row.get(f"location_{n}_{column}", "") for column in LOCATION_COLUMNS}
        if not any(cell.values()):
            continue
        location_id = cell["id"] or derived_id("location", cell["name"], cell["postcode"])
        location = {
            "id": location_id, "location_type": "physical", "name": cell["name"],
            "latitude": cell["latitude"] or None, "longitude": cell["longitude"] or None,
            "addresses": [{"id": derived_id(location_id, "address"), "address_1": cell["address"],
                           "city": cell["town"], "state_province": county, "postal_code": cell["postcode"],
                           "country": "GB", "address_type": "physical"}],
            "accessibility": [{"id": derived_id(location_id, "accessibility", text), "description": text}
                              for text in _split(cell["accessibility"])],
        }
        record["service_at_locations"].append({"id": derived_id(sid, "at", location_id), "location": location})
    return record, problems
