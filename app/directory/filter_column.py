"""The search page's filters: each group's choices with their counts, written as GOV.UK radios and selects.

The column offers about 65 choices. Built in the template, each was a
``{% do items.append(…) %}`` and a translated label or two: some 400 template
calls a page. Here the choices are made in Python, their labels translated
once per language and kept (``labels``), and the HTML written by
``app/form_components.py``, which gives what the GOV.UK macros give. The
template places the result inside its "Filter results" disclosure.
"""

from markupsafe import Markup

from app import form_components
from app.directory.browse import DAY_SLUGS, DELIVERY, RADII
from app.directory.presenters import browse_url, delivery_name, language_name, sub_category_items, weekday_name
from app.languages import once_per_language
from app.languages import translate as _
from app.languages import translate_plural as ngettext
from app.search.listing import AGES


@once_per_language
def labels():
    """The filters' fixed labels in this request's language, translated once per process."""
    return {
        "radius": [(str(miles), ngettext("Within %(num)s mile", "Within %(num)s miles", miles)) for miles in RADII],
        "age": {age: _("Under 1") if age == 0 else ngettext("%(num)s year old", "%(num)s years old", age) for age in AGES},
        "day": [weekday_name(day) for day in range(7)],
        "delivery": {code: delivery_name(code) for code in DELIVERY},
        "level": [("universal", _("Open to all families")), ("targeted", _("Extra help for families who need it"))],
        "error": _("Error"),
        "language": {},  # filled as codes are met: the directory says which languages are spoken
    }


def filter_column(form, filters, counts, categories, open_category, districts, languages, county):
    """The filter groups' HTML, in the order the page shows them."""
    fixed = labels()

    def error(name):
        errors = form[name].errors
        return {"text": errors[0], "visuallyHiddenText": fixed["error"]} if errors else None

    def counted(text, count):
        return f"{text} ({count})"

    def offered(counts_of, chosen, options, mark):
        """Items for the ``options`` ((value, code, label) each) that find services or are chosen, with
        their counts; ``mark``: "checked" for radios, "selected" for a select."""
        return [{"value": value, "text": counted(label, counts_of[code]), mark: chosen == code}
                for value, code, label in options if counts_of[code] or chosen == code]

    def spoken_name(code):
        names = fixed["language"]
        if code not in names:
            names[code] = language_name(code)
        return names[code]

    def choices(kind, name, legend, items, with_error=True):
        """A fieldset of small radios or checkboxes (``kind``), as form_components writes them."""
        params = {"name": name, "classes": f"govuk-{kind}--small",
                  "fieldset": {"legend": {"text": legend, "classes": "govuk-fieldset__legend--s"}}, "items": items}
        if with_error:
            params["errorMessage"] = error(name)
        return getattr(form_components, kind)(params)

    def select(name, label, items, hint=None):
        params = {"id": name, "name": name, "label": {"text": label, "classes": "govuk-label--s"},
                  "errorMessage": error(name), "items": items}
        if hint:
            params["hint"] = {"text": hint}
        return form_components.select(params)

    groups = [select(
        "radius", _("Distance"),
        [{"value": "", "text": _("Any distance")}]
        + [{"value": value, "text": text, "selected": filters.radius == int(value)} for value, text in fixed["radius"]],
        hint=_("Online and phone services are always shown"),
    )]

    category = counts["category"]
    if open_category and open_category.children:
        # A category is chosen: offer its sub-categories, and a way back to all.
        groups.append(Markup('<p class="govuk-body-s"><a class="govuk-link" href="{}">{}</a></p>\n').format(
            browse_url(filters, category=None), _("Show all categories")))
        groups.append(choices("radios", "category", open_category.name,
                              sub_category_items(open_category, category, filters.category), with_error=False))
    else:
        groups.append(choices(
            "radios", "category", _("Category"),
            [{"value": "", "text": counted(_("Any category"), category[None]), "checked": not filters.category}]
            + offered(category, filters.category, [(c.code, c.code, c.name) for c in categories], "checked"),
        ))

    age = counts["age"]
    groups.append(select(
        "age", _("Age of child or young person"),
        [{"value": "", "text": counted(_("Any age"), age[None])},
         {"value": "pregnancy", "text": counted(_("Expecting a baby"), age["pregnancy"]), "selected": filters.age == "pregnancy"}]
        + offered(age, filters.age, [(str(years), years, fixed["age"][years]) for years in AGES], "selected"),
    ))

    district = counts["district"]
    groups.append(choices(
        "radios", "district", _("Area"),
        [{"value": "", "text": counted(_("Anywhere in %(county)s", county=county), district[None]), "checked": not filters.district}]
        + offered(district, filters.district, [(d.slug, d.slug, d.name) for d in districts], "checked"),
    ))

    if counts["free"][True] or filters.free or form.cost.errors:
        groups.append(choices(
            "checkboxes", "cost", _("Cost"),
            [{"value": "free", "text": counted(_("Free only"), counts["free"][True]), "checked": filters.free}],
        ))

    level = counts["level"]
    groups.append(choices(
        "radios", "level", _("Type of help"),
        [{"value": "", "text": counted(_("Any"), level[None]), "checked": not filters.level}]
        + offered(level, filters.level, [(code, code, name) for code, name in fixed["level"]], "checked"),
    ))

    delivery = counts["delivery"]
    groups.append(choices(
        "radios", "delivery", _("How you get the help"),
        [{"value": "", "text": counted(_("Any way"), delivery[None]), "checked": not filters.delivery}]
        + offered(delivery, filters.delivery, [(code, code, fixed["delivery"][code]) for code in DELIVERY], "checked"),
    ))

    day = counts["day"]
    groups.append(select(
        "day", _("Open on"),
        [{"value": "", "text": counted(_("Any day"), day[None])}]
        + offered(day, filters.day, [(DAY_SLUGS[n], n, fixed["day"][n]) for n in range(7)], "selected"),
        hint=_("Services with set opening times"),
    ))

    spoken = counts["language"]
    groups.append(select(
        "language", _("Staff who speak"),
        [{"value": "", "text": counted(_("Any language"), spoken[None])}]
        + offered(spoken, filters.language, [(code, code, spoken_name(code)) for code in languages], "selected"),
    ))
    return Markup("").join(groups)
