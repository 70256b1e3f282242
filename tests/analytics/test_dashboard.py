"""Several visitors over two days, and every figure the dashboard shows for them."""

import csv
import io
from collections import Counter

from tests.analytics.visitors import COMPUTER, GOOGLEBOT, PHONE, TABLET, counted, visitor  # noqa: F401
from tests.journey.test_journey import EXPECTING as EXPECTING_2027, walk
from tests.pages import parse, result_count, text_of
from tests.referral.walk import YOUNG_PERSON, fill_in
from tests.staff.test_staff import add_user, sign_in

BOTH_DAYS = {"from-day": "10", "from-month": "3", "from-year": "2026", "to-day": "11", "to-month": "3", "to-year": "2026"}
DAY_ONE = {**BOTH_DAYS, "to-day": "10"}
# The journey's expecting parent, with a due date that fits March 2026.
EXPECTING = [{**step, "due-month": "8", "due-year": "2026"} if step["step"] == "ages" else step for step in EXPECTING_2027]


def numbers(soup, table_id):
    """A table's rows as {first cell: [the other cells]}; a table with nothing in it gives {}."""
    table = soup.find(id=table_id)
    assert table is not None, table_id
    rows = {}
    for row in table.select("tbody tr"):
        cells = [text_of(cell) for cell in row.find_all(["th", "td"])]
        if len(cells) > 1:
            rows[cells[0]] = cells[1:]
    return rows


def exported(client, name, period):
    response = client.get(f"/staff/analytics/{name}.csv", query_string=period)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def views_shown(*visitors):
    """Each public page the visitors were sent (status 200), by its path without a language prefix."""
    seen = Counter()
    for person in visitors:
        for path, status in person.shown:
            path = path.removeprefix("/pl") or "/"
            if status == 200 and not path.startswith(("/staff", "/useful")):
                seen[path] += 1
    return seen


def test_two_days_of_visitors_give_exact_figures(app, runner, counted):  # noqa: F811
    clock = counted
    look = app.test_client().get("/services?q=baby+groups", headers={"DNT": "1"})  # not counted
    listed = parse(look).select_one(".app-result h2 a")["href"]

    # February: one view, so March has a month before it.
    clock.set(2026, 2, 20)
    visitor(app, address="203.0.113.10", agent=PHONE).get("/")

    # Day 1, 10 March.
    clock.set(2026, 3, 10)
    ann = visitor(app, address="203.0.113.10", agent=PHONE)  # the same person as in February
    bob = visitor(app, address="198.51.100.20", agent=COMPUTER)
    ann.get("/", headers={"Referer": "https://www.example.org/a/page?child=Amelia"})
    baby_groups_found = result_count(parse(ann.get("/services?q=Baby+Groups")))
    ann.get("/services?q=rare+words")
    ann.get("/services?q=submarine")
    journey = walk(ann, EXPECTING)
    assert text_of(parse(journey[-1]).find("h1")) == "Help that fits"
    ann.get("/pages/privacy")
    assert ann.post("/useful", data={"page": "/pages/privacy", "useful": "yes"}).status_code == 200
    ann.get("/pages/privacy", headers={"Sec-Purpose": "prefetch"})
    ann.shown.pop()  # a prefetch: the browser fetched it, nobody saw it
    assert ann.get("/services/no-such-service").status_code == 404
    ann.get("/")

    bob.get("/")
    bob.get("/services?q=baby%20%20groups")
    bob.get("/services?q=BABY+GROUPS")
    bob.get("/services?q=baby+groups&page=2")  # the same search's next page: not a new search
    bob.get("/services?q=rare+words")
    bob.get("/services?q=SUBMARINE")
    bob.get("/get-help")
    bob.get("/pages/privacy")
    bob.post("/useful", data={"page": "/pages/privacy", "useful": "no"})
    bob.get("/pl/")

    # Not counted at all: Global Privacy Control, Do Not Track, a search engine's robot, a headless browser.
    for headers, agent in (({"Sec-GPC": "1"}, TABLET), ({"DNT": "1"}, COMPUTER), ({}, GOOGLEBOT),
                           ({}, "Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/130.0.0.0 Safari/537.36")):
        person = visitor(app, address="192.0.2.30", agent=agent, headers=headers)
        person.get("/")
        person.get("/services?q=baby+groups")
        person.get("/get-help")
        person.post("/useful", data={"page": "/pages/privacy", "useful": "yes"})
        assert person.get("/pages/privacy").status_code == 200
    ann_one, bob_one = views_shown(ann), views_shown(bob)
    day_one = ann_one + bob_one

    # Day 2, 11 March.
    clock.set(2026, 3, 11)
    ann.shown.clear(), bob.shown.clear()
    cat = visitor(app, address="2001:db8::7", agent=TABLET)
    ann.get("/")
    ann.get("/services?q=submarine")
    fill_in(bob, YOUNG_PERSON)
    bob.get(listed)
    bob.post("/useful", data={"page": listed, "useful": "yes"})
    cat.get("/", headers={"Referer": "https://news.example.net/story"})
    ann_two, bob_two, cat_two = views_shown(ann), views_shown(bob), views_shown(cat)
    day_two = ann_two + bob_two + cat_two

    # What the visitors were shown, so that the figures below are plain.
    assert day_one["/"] == 4 and day_one["/services"] == 8 and day_one["/pages/privacy"] == 2
    assert day_one["/get-help"] == len(journey) + 1 == 8
    assert day_two["/"] == 2 and day_two[listed] == 1
    assert sum(n for path, n in day_two.items() if path.startswith("/refer")) >= 10
    one, two = sum(day_one.values()), sum(day_two.values())
    march = one + two

    staff = app.test_client()
    sign_in(staff, add_user(runner))
    page = parse(staff.get("/staff/analytics", query_string=BOTH_DAYS))

    assert text_of(page.find(id="total-views")) == str(march)
    assert text_of(page.find(id="total-visitors")) == "5"  # Ann and Bob on day 1; Ann, Bob and Cat on day 2
    assert numbers(page, "days") == {"10 March 2026": [str(one), "2"], "11 March 2026": [str(two), "3"]}

    months = numbers(page, "months")
    assert months["March 2026"] == [str(march), f"Up {100 * (march - 1)}%"]
    assert months["February 2026"] == ["1", "No views the month before"]
    assert months["January 2026"] == ["0", "No views the month before"]
    assert len(months) == 12 and "April 2025" in months and "April 2026" not in months

    pages = numbers(page, "pages")
    assert pages["/"] == ["6"] and pages["/services"] == ["9"] and pages["/get-help"] == ["8"]
    assert pages["/pages/privacy"] == ["2"] and pages[listed] == ["1"]
    most_viewed = sorted((day_one + day_two).items(), key=lambda item: (-item[1], item[0]))[:20]
    assert [(path, int(n[0])) for path, n in pages.items()] == most_viewed  # the most viewed first, A to Z among equals
    assert "/services/no-such-service" not in pages and "/useful" not in pages

    assert numbers(page, "languages") == {"English": [str(march - 1)], "Polski": ["1"]}
    assert numbers(page, "referrers") == {"news.example.net": ["1"], "www.example.org": ["1"]}
    assert numbers(page, "devices") == {
        name: [str(n)] for name, n in (
            ("Mobile phone", sum((ann_one + ann_two).values())),
            ("Computer", sum((bob_one + bob_two).values())),
            ("Tablet", sum(cat_two.values())),
        )
    }

    # Searches: three of "baby groups" (however typed) and of "submarine"; "rare words" only twice.
    assert numbers(page, "searches") == {
        "baby groups": ["3", "0", str(baby_groups_found)],
        "submarine": ["3", "3", "0"],
    }
    assert numbers(page, "no-results") == {"submarine": ["3", "3"]}
    assert "rare words" not in page.get_text()

    assert numbers(page, "funnels") == {
        "Started Get help for your family": ["2", "100%"],
        "Saw their result": ["1", "50%"],
        "Started a referral": ["1", "100%"],
        "Sent a referral": ["1", "100%"],
    }
    assert numbers(page, "useful") == {"/pages/privacy": ["1", "1", "50%"], listed: ["1", "0", "100%"]}

    # Day 1 alone: "submarine" was searched only twice, so it is not shown.
    first = parse(staff.get("/staff/analytics", query_string=DAY_ONE))
    assert numbers(first, "days") == {"10 March 2026": [str(one), "2"]}
    assert numbers(first, "searches") == {"baby groups": ["3", "0", str(baby_groups_found)]}
    assert numbers(first, "no-results") == {}
    assert numbers(first, "funnels")["Started a referral"] == ["0", "–"]

    # The same figures as files.
    assert exported(staff, "days", BOTH_DAYS) == [
        ["Date", "Views", "Visitors"], ["2026-03-10", str(one), "2"], ["2026-03-11", str(two), "3"]]
    assert exported(staff, "months", BOTH_DAYS)[-2:] == [["2026-02", "1", ""], ["2026-03", str(march), str(100 * (march - 1))]]
    assert exported(staff, "searches", BOTH_DAYS) == [
        ["Search", "Searches", "Searches with no results", "Average results"],
        ["baby groups", "3", "0", str(baby_groups_found)], ["submarine", "3", "3", "0"]]
    assert exported(staff, "no-results", BOTH_DAYS)[1:] == [["submarine", "3", "3"]]
    assert exported(staff, "searches", DAY_ONE)[1:] == [["baby groups", "3", "0", str(baby_groups_found)]]
    assert {row[0]: row[1] for row in exported(staff, "pages", BOTH_DAYS)[1:]} == {
        path: str(n) for path, n in (day_one + day_two).items()}
    assert exported(staff, "referrers", BOTH_DAYS)[1:] == [["news.example.net", "1"], ["www.example.org", "1"]]
    assert exported(staff, "funnels", BOTH_DAYS)[1:] == [
        ["Started Get help for your family", "2", "100"], ["Saw their result", "1", "50"],
        ["Started a referral", "1", "100"], ["Sent a referral", "1", "100"]]
    assert sorted(exported(staff, "useful", BOTH_DAYS)[1:]) == sorted([["/pages/privacy", "1", "1", "50"], [listed, "1", "0", "100"]])
    assert {row[0]: row[1] for row in exported(staff, "devices", BOTH_DAYS)[1:]} == {
        "mobile": str(sum((ann_one + ann_two).values())), "desktop": str(sum((bob_one + bob_two).values())),
        "tablet": str(sum(cat_two.values()))}
    assert exported(staff, "languages", BOTH_DAYS)[1:] == [["en", str(march - 1)], ["pl", "1"]]
