"""GOV.UK Frontend's radios, checkboxes and select, written out in Python for the busiest page.

The search page's filter column holds four groups of radios, four selects and a
checkbox over about 65 choices. Through the govuk-frontend-jinja macros each
choice calls ``govukLabel``, which imports its own macros again, and the column
took half of an uncached search page's time. These functions take the same
parameters as the macros (the part of them the site uses: anything else is
refused, so that a new parameter is not silently dropped) and give the same
HTML, character for character; ``tests/test_form_components.py`` compares
them with the macros' own output.
"""

from markupsafe import Markup, escape

RADIO_KEYS = frozenset({"name", "classes", "fieldset", "errorMessage", "items"})
SELECT_KEYS = frozenset({"id", "name", "label", "hint", "errorMessage", "items"})
ITEM_KEYS = frozenset({"value", "text", "checked", "selected"})


def radios(params):
    return _choices(params, "radios", "radio")


def checkboxes(params):
    return _choices(params, "checkboxes", "checkbox")


def select(params):
    """``govukSelect``: a label, an optional hint and error message, and the options."""
    _only(params, SELECT_KEYS)
    name = params["name"]
    field_id = params.get("id") or name
    label = params["label"]
    error = params.get("errorMessage")
    described_by = []
    out = [f'<div class="govuk-form-group{" govuk-form-group--error" if error else ""}">\n',
           f'  <label class="govuk-label{_classes(label)}" for="{escape(field_id)}">\n'
           f'    {escape(label["text"])}\n  </label>\n']
    hint = params.get("hint")
    if hint:
        described_by.append(f"{field_id}-hint")
        out.append(f'  <div id="{escape(field_id)}-hint" class="govuk-hint">\n    {escape(hint["text"])}\n  </div>\n')
    if error:
        described_by.append(f"{field_id}-error")
        out.append(_error(error, field_id, "  "))
    out.append(f'  <select class="govuk-select{" govuk-select--error" if error else ""}" id="{escape(field_id)}" '
               f'name="{escape(name)}"')
    if described_by:
        out.append(f' aria-describedby="{escape(" ".join(described_by))}"')
    out.append(">\n")
    for item in params["items"]:
        if not item:
            continue
        _only(item, ITEM_KEYS)
        selected = " selected" if item.get("selected") else ""
        out.append(f'        <option value="{escape(item["value"])}"{selected}>{escape(item["text"])}</option>\n')
    out.append("  </select>\n</div>\n")
    return Markup("".join(out))


def _choices(params, kind, input_type):
    """``govukRadios`` or ``govukCheckboxes`` in a fieldset with a legend, as the filters use them."""
    _only(params, RADIO_KEYS)
    name = params["name"]
    legend = params["fieldset"]["legend"]
    error = params.get("errorMessage")
    out = [f'\n<div class="govuk-form-group{" govuk-form-group--error" if error else ""}">\n'
           f'  <fieldset class="govuk-fieldset"']
    if error:
        out.append(f' aria-describedby="{escape(name)}-error"')
    out.append(f'>\n    <legend class="govuk-fieldset__legend{_classes(legend)}">\n'
               f'      {escape(legend["text"])}\n    </legend>\n')
    if error:
        out.append(_error(error, name, "    "))
    classes = f" {params['classes']}" if params.get("classes") else ""
    out.append(f'    <div class="govuk-{kind}{escape(classes)}" data-module="govuk-{kind}">\n')
    number = 0
    for item in params["items"]:
        number += 1
        if not item:
            continue
        _only(item, ITEM_KEYS)
        item_id = name if number == 1 else f"{name}-{number}"
        checked = " checked" if item.get("checked") else ""
        out.append(f'      <div class="govuk-{kind}__item">\n'
                   f'        <input class="govuk-{kind}__input" id="{escape(item_id)}" name="{escape(name)}" '
                   f'type="{input_type}" value="{escape(item["value"])}"{checked}>\n'
                   f'        <label class="govuk-label govuk-{kind}__label" for="{escape(item_id)}">\n'
                   f'          {escape(item["text"])}\n        </label>\n      </div>\n')
    out.append("    </div>\n  </fieldset>\n</div>\n")
    return Markup("".join(out))


def _error(error, field_id, indent):
    hidden = error.get("visuallyHiddenText", "Error")
    return (f'{indent}<p id="{escape(field_id)}-error" class="govuk-error-message">\n'
            f'{indent}  <span class="govuk-visually-hidden">{escape(hidden)}:</span> {escape(error["text"])}\n'
            f'{indent}</p>\n')


def _classes(params):
    return f" {escape(params['classes'])}" if params.get("classes") else ""


def _only(params, allowed):
    unknown = set(params) - allowed
    if unknown:
        raise ValueError(f"not written for the parameters {sorted(unknown)}: use the GOV.UK macro")
