"""The check that every class on every page has a style (tests/styles.py) fails a run that shows one without."""

from pathlib import Path

from tests.styles import markup_only, selected_classes, styled, unstyled

ROOT = Path(__file__).resolve().parent.parent

A_SUITE = """
from flask import Flask

def test_a_page():
    app = Flask(__name__)

    @app.get("/")
    def home():
        return '<main class="govuk-main-wrapper"><p class="govuk-body {extra}">Hello</p></main>'

    assert app.test_client().get("/").status_code == 200
"""


def test_the_rules_selectors_are_read_escapes_and_media_queries_included():
    css = (".a{color:red}@media (min-width:40.0625em){.b .c:hover,.govuk-\\!-margin-6{margin:0}}"
           "/* .commented-out{} */.d::after{content:'.e'}")
    assert selected_classes(css) == {"a", "b", "c", "govuk-!-margin-6", "d"}


def test_the_built_stylesheet_draws_the_components_pages_use():
    for name in ("govuk-panel", "govuk-breadcrumbs__list-item", "govuk-textarea", "govuk-back-link", "app-result"):
        assert name in styled(), name
    assert "govuk-table__row" in markup_only()  # GOV.UK Frontend's own markup, styled by no rule of its own
    assert unstyled({"govuk-panel": "/", "app-nowhere": "/x", "govuk-table__row": "/"}) == {"app-nowhere": "/x"}


def run(pytester, monkeypatch, extra):
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    pytester.makepyfile(test_a_page=A_SUITE.replace("{extra}", extra))
    return pytester.runpytest_subprocess("-p", "tests.styles", "-p", "no:cacheprovider")


def test_a_page_with_a_class_no_rule_draws_fails_the_run(pytester, monkeypatch):
    result = run(pytester, monkeypatch, "app-never-drawn govuk-panel--made-up")
    assert result.ret != 0
    result.stdout.fnmatch_lines(["*classes with no style*", "app-never-drawn  (on /)", "govuk-panel--made-up  (on /)"])
    assert "govuk-body " not in result.stdout.str()


def test_a_page_whose_classes_are_all_drawn_passes(pytester, monkeypatch):
    result = run(pytester, monkeypatch, "govuk-!-margin-bottom-6")
    assert result.ret == 0
    assert "classes with no style" not in result.stdout.str()
