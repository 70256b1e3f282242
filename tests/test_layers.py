"""The house's rooms: features keep to their own views, and lower layers never reach up.

A feature is a folder of ``app/`` that makes a blueprint (``app/directory/``,
``app/journey/`` …). Everything else in ``app/`` lies below them: the models,
search, the shared domain pieces in ``app/domain/``, and the app-wide modules
(``clock.py``, ``languages.py`` …). Only the factory, ``app/__init__.py``, sees
everything.
"""

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[1] / "app"
FEATURES = {path.parent.name for path in APP.glob("*/*.py") if "Blueprint(" in path.read_text()}


def imports(path):
    """Every module name ``path`` imports, wherever in the file (functions included)."""
    tree = ast.parse(path.read_text(), str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def room(module_path):
    """The feature a file belongs to, or None for the layers below the features."""
    parts = module_path.relative_to(APP).parts
    return parts[0] if len(parts) > 1 and parts[0] in FEATURES else None


def modules():
    return [path for path in sorted(APP.rglob("*.py")) if path != APP / "__init__.py"]


def test_the_features_are_found():
    assert {"directory", "journey", "referral", "staff", "content", "signposting", "analytics", "main"} <= FEATURES
    assert "search" not in FEATURES and "domain" not in FEATURES and "models" not in FEATURES


def test_no_feature_imports_another_features_views():
    found = set()
    for path in modules():
        own = room(path)
        for name in imports(path):
            parts = name.split(".")
            if len(parts) >= 3 and parts[0] == "app" and parts[1] in FEATURES and parts[2] == "views" and parts[1] != own:
                found.add(f"{path.relative_to(APP.parent)} imports app.{parts[1]}.views")
    assert sorted(found) == []


def test_nothing_below_the_features_imports_a_feature():
    found = set()
    for path in modules():
        if room(path) is not None:
            continue
        for name in imports(path):
            parts = name.split(".")
            if len(parts) >= 2 and parts[0] == "app" and parts[1] in FEATURES:
                found.add(f"{path.relative_to(APP.parent)} imports from app.{parts[1]}")
    assert sorted(found) == []
