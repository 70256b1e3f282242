"""Every class on every page the suite is shown has a style: a pytest plugin.

Each HTML page any app serves during the run (test clients, and the browser tests'
live servers) is read for its ``class`` attributes. When the run ends, a ``govuk-``
or ``app-`` class that no rule of the built stylesheet (``app/static/application.css``)
selects is listed, with a page it was on, and the run fails: a component whose
styles were never built shows as plain serif text, and this is how it is caught.

GOV.UK Frontend's own templates put a few classes on their markup that none of its
styles select (``govuk-table__row``, for example); those are allowed, and only those.
"""

import re
from functools import cache
from pathlib import Path

import flask
import pytest

ROOT = Path(__file__).resolve().parent.parent
BUILT = ROOT / "app" / "static" / "application.css"
FRONTEND = ROOT / "node_modules" / "govuk-frontend" / "dist" / "govuk"
OURS = re.compile(r"^(govuk|app)-")
CLASS_ATTRIBUTE = re.compile(rb'\sclass="([^"]*)"')
COMMENT = re.compile(r"/\*.*?\*/", re.S)
DECLARATIONS = re.compile(r"\{[^{}]*\}")
CLASS_SELECTOR = re.compile(r"\.(-?[_a-zA-Z](?:[\w-]|\\.)*)")
TEMPLATE_CLASS = re.compile(r"govuk-[a-z0-9_-]*[a-z0-9]")


def selected_classes(css):
    """The class names that the rules of a stylesheet select."""
    selectors = DECLARATIONS.sub("{}", COMMENT.sub("", css))
    return {re.sub(r"\\(.)", r"\1", name) for name in CLASS_SELECTOR.findall(selectors)}


@cache
def styled():
    """Classes with a rule in the built stylesheet."""
    return frozenset(selected_classes(BUILT.read_text(encoding="utf-8")))


@cache
def markup_only():
    """Classes GOV.UK Frontend's templates use that none of its own styles select."""
    everything = selected_classes((FRONTEND / "govuk-frontend.min.css").read_text(encoding="utf-8"))
    emitted = set()
    # The templates, and the HTML each component's examples render to (a template builds some names).
    sources = [FRONTEND / "template.njk", *(FRONTEND / "components").glob("*/template.njk"),
               *(FRONTEND / "components").glob("*/fixtures.json")]
    for source in sources:
        emitted |= set(TEMPLATE_CLASS.findall(source.read_text(encoding="utf-8")))
    return frozenset(emitted - everything)


def unstyled(seen):
    """Of ``seen`` (class → a page it was on), those with no style: class → page."""
    allowed = styled() | markup_only()
    return {name: page for name, page in sorted(seen.items()) if name not in allowed}


class Recorder:
    def __init__(self):
        self.seen = {}  # class → the first page it was seen on

    def __call__(self, sender, response, **extra):
        if response.mimetype != "text/html" or response.direct_passthrough:
            return
        page = flask.request.full_path.rstrip("?") if flask.has_request_context() else "?"
        for value in CLASS_ATTRIBUTE.findall(response.get_data()):
            for name in value.decode("utf-8", "replace").split():
                if OURS.match(name) and name not in self.seen:
                    self.seen[name] = page


RECORDER = pytest.StashKey[Recorder]()
GATHERED = pytest.StashKey[dict]()  # class → a page, from every process of the run
MISSING = pytest.StashKey[dict]()  # what the run found unstyled


def pytest_configure(config):
    recorder = config.stash[RECORDER] = Recorder()
    flask.request_finished.connect(recorder)
    config.stash[GATHERED] = {}


def pytest_unconfigure(config):
    flask.request_finished.disconnect(config.stash[RECORDER])


def _gather(config, seen):
    gathered = config.stash[GATHERED]
    for name, page in seen.items():
        gathered.setdefault(name, page)


def pytest_sessionfinish(session, exitstatus):
    config = session.config
    seen = config.stash[RECORDER].seen
    if hasattr(config, "workeroutput"):  # an xdist worker: the controller checks
        config.workeroutput["classes_seen"] = seen
        return
    _gather(config, seen)
    missing = unstyled(config.stash[GATHERED])
    config.stash[MISSING] = missing
    if missing and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    _gather(node.config, getattr(node, "workeroutput", {}).get("classes_seen", {}))


def pytest_terminal_summary(terminalreporter, config):
    missing = config.stash.get(MISSING, {})
    if missing:
        terminalreporter.section("classes with no style in app/static/application.css", red=True)
        for name, page in missing.items():
            terminalreporter.line(f"{name}  (on {page})")
