"""app/form_components.py writes the filter column's radios, selects and checkboxes as the GOV.UK macros do.

Each test renders real search pages in several filter states (errors, a chosen
sub-category, Polish): every call the filter column (app/directory/filter_column.py)
makes to a fast component is also given to the govuk-frontend-jinja macro, with
the same parameters, and the two must be the same text.
"""

import pytest

from app import form_components
from tests.pages import parse

MACROS = {"radios": "govukRadios", "select": "govukSelect", "checkboxes": "govukCheckboxes"}

STATES = [
    "/services",
    "/services?q=sleep&postcode=WR1+2AB&radius=5",
    "/services?category=parenting-and-family-life&age=3&cost=free&level=universal&delivery=online&day=monday&language=pl",
    "/services?district=wychavon&age=pregnancy",
    # every filter wrong: each group shows its error
    "/services?radius=7&category=nothing&age=200&cost=dear&level=high&delivery=post&day=someday&language=xx&district=mars",
    "/pl/services?q=sen&category=sleep-and-routines&age=0",
    "/pl/services?radius=7&age=200&cost=dear&district=mars&day=someday",
]


@pytest.fixture
def compared(app, monkeypatch):
    """Puts a checking wrapper around each fast component; yields the list of comparisons made."""
    made = []

    def checking(name, fast):
        macro = getattr(app.jinja_env.get_template(f"govuk_frontend_jinja/components/{name}/macro.html").module, MACROS[name])

        def check(params):
            ours = fast(params)
            made.append((name, str(ours), str(macro(params))))
            return ours

        return check

    for name in MACROS:
        monkeypatch.setattr(form_components, name, checking(name, getattr(form_components, name)))
    return made


@pytest.mark.parametrize("path", STATES)
def test_the_filter_column_is_what_the_macros_write(client, compared, path):
    page = client.get(path)
    assert page.status_code == 200
    kinds = {kind for kind, _, _ in compared}
    assert {"radios", "select"} <= kinds, "the page used the fast components"
    for kind, ours, theirs in compared:
        assert ours == theirs, kind


def test_the_states_reach_errors_sub_categories_and_polish(client, compared):
    """The states above do show what they are there for, so the comparison covers it."""
    wrong = parse(client.get(STATES[4]).data)
    assert len(wrong.select(".app-filters .govuk-error-message")) >= 6
    assert {"radios", "select", "checkboxes"} <= {kind for kind, _, _ in compared}
    polish = parse(client.get(STATES[6]).data)
    hidden = {el.get_text().strip() for el in polish.select(".app-filters .govuk-error-message .govuk-visually-hidden")}
    assert hidden == {"Błąd:"}, "the error's hidden word is in the page's language"
    chosen = parse(client.get(STATES[2]).data)
    assert chosen.select_one("input[name=category][checked]")["value"] == "parenting-and-family-life"
    assert chosen.select_one("#language option[selected]")["value"] == "pl"


def test_a_parameter_it_does_not_write_is_refused():
    with pytest.raises(ValueError, match="hint"):
        form_components.radios({"name": "x", "fieldset": {"legend": {"text": "X"}}, "items": [], "hint": {"text": "h"}})
    with pytest.raises(ValueError, match="disabled"):
        form_components.select({"name": "x", "label": {"text": "X"}, "items": [{"value": "", "text": "", "disabled": True}]})
