"""The UK profile's compiled schemas, and validators for the API's answers."""

import json
from pathlib import Path

import jsonschema
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from tests.conftest import unavailable

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = ROOT.parent / "shared" / "oruk" / "schema"
EXAMPLES = ROOT.parent / "shared" / "oruk" / "examples"


def schema(name):
    path = SCHEMAS / name
    if not path.exists():
        unavailable("The Open Referral UK schemas", f"Put the shared folder beside the repository ({path}).")
    return json.loads(path.read_text())


def validator(name):
    """A Draft 7 validator for one schema file, formats checked, ``taxonomy_term.json`` resolvable."""
    term = Resource.from_contents(schema("taxonomy_term.json"), default_specification=DRAFT7)
    registry = Registry().with_resource("taxonomy_term.json", term)
    return jsonschema.Draft7Validator(schema(name), registry=registry,
                                      format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)


def problems(validator_, value):
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in validator_.iter_errors(value)]


PAGE_KEYS = ("total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty", "contents")


def page_problems(page, item_validator):
    """What is wrong with a page object: its keys and types, and each item against the item schema."""
    found = []
    if not isinstance(page, dict) or list(page) != list(PAGE_KEYS):
        return [f"page keys are {list(page) if isinstance(page, dict) else type(page).__name__}"]
    for key in PAGE_KEYS[:4]:
        if not isinstance(page[key], int) or isinstance(page[key], bool):
            found.append(f"{key} is not an integer")
    for key in PAGE_KEYS[4:7]:
        if not isinstance(page[key], bool):
            found.append(f"{key} is not a boolean")
    if page["size"] != len(page["contents"]):
        found.append("size is not the number of contents")
    for number, item in enumerate(page["contents"]):
        found += [f"contents[{number}]/{p}" for p in problems(item_validator, item)]
    return found
