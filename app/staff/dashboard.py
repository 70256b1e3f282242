"""The usage dashboard: anonymous counts for a chosen period, each table also as CSV."""

import csv
import io
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import abort, current_app, render_template, request
from flask_babel import format_date
from flask_babel import gettext as _

from app import clock
from app.analytics import chart, reports
from app.domain.whole_numbers import is_whole_number
from app.staff import bp
from app.staff.auth import staff_required

LONGEST_PERIOD = 366
DEFAULT_DAYS = 30
EARLIEST_YEAR = 2000  # no counts are older than the site; the months before year 1 cannot be drawn at all


@dataclass
class Period:
    """The days shown: from ``start`` to ``end``, both included; ``errors`` when the dates asked for were wrong."""

    start: date
    end: date
    given: dict = field(default_factory=dict)
    errors: dict = field(default_factory=dict)

    def args(self):
        """The period as query arguments, for links to the CSV files."""
        return {
            f"{which}-{part}": getattr(day, part)
            for which, day in (("from", self.start), ("to", self.end))
            for part in ("day", "month", "year")
        }


def period_from(args, today):
    """The period in the query string, or the last 30 days; a wrong date is explained and the default kept."""
    default = Period(today - timedelta(days=DEFAULT_DAYS - 1), today)
    given = {f"{which}-{part}": args.get(f"{which}-{part}", "")[:10] for which in ("from", "to")
             for part in ("day", "month", "year")}
    if not any(value.strip() for value in given.values()):
        return default
    default.given = given
    missing = {"from": _("Enter a day, month and year for the start of the period"),
               "to": _("Enter a day, month and year for the end of the period")}
    unreal = {"from": _("Enter the start of the period as a real date, for example 1 11 2026"),
              "to": _("Enter the end of the period as a real date, for example 1 11 2026")}
    days = {}
    for which in ("from", "to"):
        parts = [given[f"{which}-{part}"].strip() for part in ("day", "month", "year")]
        if not all(parts):
            default.errors[which] = missing[which]
            continue
        if not all(is_whole_number(part) and len(part) <= 4 for part in parts) or len(parts[2]) != 4:
            default.errors[which] = unreal[which]
            continue
        try:
            days[which] = date(int(parts[2]), int(parts[1]), int(parts[0]))
        except ValueError:
            default.errors[which] = unreal[which]
    too_early = {"from": _("The start of the period must be in %(year)s or later", year=EARLIEST_YEAR),
                 "to": _("The end of the period must be in %(year)s or later", year=EARLIEST_YEAR)}
    for which, day in days.items():
        if day.year < EARLIEST_YEAR:
            default.errors[which] = too_early[which]
    if default.errors:
        return default
    if days["to"] > today:
        default.errors["to"] = _("The end of the period must be today or in the past")
    elif days["to"] < days["from"]:
        default.errors["to"] = _("The end of the period must be the same as or after the start")
    elif (days["to"] - days["from"]).days >= LONGEST_PERIOD:
        default.errors["to"] = _("Choose a period of %(days)s days or fewer", days=LONGEST_PERIOD)
    if default.errors:
        return default
    return Period(days["from"], days["to"], given)


def _figures(period):
    start, end = period.start, period.end
    daily = reports.days(start, end)
    searches = reports.searches(start, end)
    return {
        "months": reports.months(end),
        "days": daily,
        "views": sum(day.views for day in daily),
        "visitors": sum(day.visitors for day in daily),
        "pages": reports.ranked("view", start, end, reports.TOP),
        "referrers": reports.ranked("referrer", start, end, reports.TOP),
        "languages": reports.ranked("language", start, end),
        "devices": reports.ranked("device", start, end),
        "searches": searches[:reports.TOP],
        "no_results": reports.no_results(searches)[:reports.TOP],
        "funnels": reports.funnels(start, end),
        "useful": reports.usefulness(start, end, reports.TOP),
    }


@bp.get("/analytics")
@staff_required
def analytics():
    period = period_from(request.args, clock.now().date())
    figures = _figures(period)
    drawn = chart.line_chart(figures["days"], lambda day: format_date(day, "d MMM"))
    narrow = chart.line_chart(figures["days"], lambda day: format_date(day, "d MMM"), width=chart.NARROW)
    problems = [{"text": text, "href": f"#{which}-day"} for which, text in period.errors.items()]
    return render_template(
        "staff/analytics.html", period=period, charts=(drawn, narrow), problems=problems, error_title=bool(problems),
        minimum=current_app.config["ANALYTICS_SEARCH_MINIMUM"], funnel_rows=_funnel_rows(figures["funnels"]),
        format_date=format_date, **figures,
    )


def _per_cent(part, whole):
    return round(100 * part / whole) if whole else ""


def _tables(period):
    """Each table as (header, rows), built only when asked for."""
    start, end = period.start, period.end
    return {
        "months": lambda: (
            [_("Month"), _("Views"), _("Change on previous month (%)")],
            [[month.start.strftime("%Y-%m"), month.views, "" if month.change is None else month.change]
             for month in reports.months(end)],
        ),
        "days": lambda: (
            [_("Date"), _("Views"), _("Visitors")],
            [[day.day.isoformat(), day.views, day.visitors] for day in reports.days(start, end)],
        ),
        "pages": lambda: ([_("Page"), _("Views")], reports.ranked("view", start, end)),
        "referrers": lambda: ([_("Website"), _("Views")], reports.ranked("referrer", start, end)),
        "languages": lambda: ([_("Language"), _("Views")], reports.ranked("language", start, end)),
        "devices": lambda: ([_("Device"), _("Views")], reports.ranked("device", start, end)),
        "searches": lambda: (
            [_("Search"), _("Searches"), _("Searches with no results"), _("Average results")],
            [[s.words, s.searches, s.no_results, s.average_results] for s in reports.searches(start, end)],
        ),
        "no-results": lambda: (
            [_("Search"), _("Searches with no results"), _("Searches")],
            [[s.words, s.no_results, s.searches] for s in reports.no_results(reports.searches(start, end))],
        ),
        "funnels": lambda: (
            [_("Step"), _("Number"), _("Of those who started (%)")],
            _funnel_rows(reports.funnels(start, end)),
        ),
        "useful": lambda: (
            [_("Page"), _("Yes"), _("No"), _("Useful (%)")],
            [[row.path, row.yes, row.no, row.per_cent_yes] for row in reports.usefulness(start, end)],
        ),
    }


def _funnel_rows(funnels):
    journey, referral = funnels["journey"], funnels["referral"]
    return [
        [_("Started Get help for your family"), journey[0], _per_cent(journey[0], journey[0])],
        [_("Saw their result"), journey[1], _per_cent(journey[1], journey[0])],
        [_("Started a referral"), referral[0], _per_cent(referral[0], referral[0])],
        [_("Sent a referral"), referral[1], _per_cent(referral[1], referral[0])],
    ]


@bp.get("/analytics/<name>.csv")
@staff_required
def analytics_csv(name):
    period = period_from(request.args, clock.now().date())
    tables = _tables(period)
    if name not in tables or period.errors:
        abort(404)
    header, rows = tables[name]()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    response = current_app.response_class(out.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="family-hub-{name}-{period.start.isoformat()}-to-{period.end.isoformat()}.csv"'
    )
    return response


def _cell(value):
    """A value for a spreadsheet: words that start like a formula are kept as words."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
