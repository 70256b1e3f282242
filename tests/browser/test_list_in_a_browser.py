"""The list of services in Debian's Chromium: built by keyboard, printed to PDF, and its QR code read back."""

import io
import unicodedata
from urllib.parse import parse_qs, urlsplit

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import select

from app.extensions import db
from app.models import Service
from tests import clock
from tests.browser.test_referral_in_a_browser import Keyboard, path_of

# Words that belong to the screen only: the header, menus, buttons and the footer.
NOT_ON_PAPER = ["Skip to main content", "Exit this page", "Find a service", "Start for Life",
                "Get help for your family", "Your list (", "Menu", "Move up", "Move down", "Remove", "Clear list",
                "Email this list", "Text this list", "Copy link", "Add more services", "Print this list",
                "Accessibility statement", "Cookies", "Polski", "Was this page useful"]


def phones_of(live_app, slugs):
    with live_app.app_context():
        services = db.session.scalars(select(Service).where(Service.slug.in_(slugs))).all()
        return {s.slug: (s.name, [p.number for p in s.phones] + [p.number for c in s.contacts for p in c.phones])
                for s in services}


def add_by_keyboard(visit, keyboard, slug, javascript):
    page = visit.page
    keyboard.tab_to(f"a[data-list-toggle='{slug}']")
    if javascript:
        page.keyboard.press("Enter")  # changes the list where it is, without loading a page
    else:
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert urlsplit(page.url).fragment == f"list-{slug}"
    link = page.locator(f"a[data-list-toggle='{slug}']")
    assert link.inner_text().startswith("Remove from list")
    assert page.locator(f"#list-{slug} .app-list-toggle__tag").is_visible()


def test_a_list_of_three_by_keyboard_printed_and_scanned(visit, live_app, tmp_path):
    page, keyboard = visit.page, Keyboard(visit.page)
    visit.open("/services")
    javascript = page.evaluate("() => document.body.classList.contains('js-enabled')")

    # A search, typed and sent with the keyboard.
    keyboard.type_into("q", "baby")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    slugs = page.eval_on_selector_all("a[data-list-toggle]", "links => links.map(a => a.dataset.listToggle)")[:3]
    assert len(slugs) == 3
    assert not page.locator("[data-your-list]").is_visible()
    for number, slug in enumerate(slugs, start=1):
        add_by_keyboard(visit, keyboard, slug, javascript)
        assert page.locator("[data-your-list]").inner_text() == f"Your list ({number})"
    if javascript:
        assert "Added to your list:" in page.locator("#list-status").inner_text()
    assert parse_qs(urlsplit(page.url).query)["s"] == [",".join(slugs)]

    # The list goes with a new search, sent from the filters' form.
    keyboard.tab_to("#q")
    page.keyboard.press("Control+A")
    page.keyboard.type("groups")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("[data-your-list]").inner_text() == "Your list (3)"

    # "Your list (3)" in the header opens the list.
    keyboard.tab_to("a[data-your-list]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert path_of(page) == "/shortlist"
    expected = phones_of(live_app, slugs)
    names = page.locator(".app-handout__service .govuk-summary-card__title").all_inner_texts()
    assert [n.strip() for n in names] == [expected[s][0] for s in slugs]
    assert visit.axe_violations_as_shown() == []
    list_url = page.locator("#list-link").input_value()
    assert list_url == f"{live_app.config['SITE_URL']}/shortlist?s={','.join(slugs)}"

    # Printed: an A4 handout with the services' names and phone numbers, and no navigation or buttons.
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4")))
    width, height = (float(x) for x in pdf.pages[0].mediabox.upper_right)
    assert abs(width - 595.3) < 2 and abs(height - 841.9) < 2  # A4 is 595.3 by 841.9 points
    printed = " ".join(" ".join(p.extract_text().split()) for p in pdf.pages)
    for slug in slugs:
        name, numbers = expected[slug]
        assert name in printed, name
        assert numbers and all(number in printed for number in numbers), (name, numbers)
    for words in NOT_ON_PAPER:
        assert words not in printed, words
    settings = live_app.extensions["site_settings"]
    assert settings.council["family_information_phone"] in printed
    today = clock.today()  # the live server's clock is the test clock
    assert f"Printed on {today.day} {today:%B %Y}" in printed

    # The QR code, as printed, opens this same list.
    page.emulate_media(media="print")
    image = Image.open(io.BytesIO(page.locator(".app-qr__code").screenshot()))
    decoded = [barcode.text for barcode in zxingcpp.read_barcodes(image)]
    assert decoded == [list_url]
    page.emulate_media(media="screen")

    assert page.context.cookies() == []
    assert visit.foreign_requests == [] and visit.errors == []


@pytest.mark.parametrize("path", ["/shortlist", "/professionals", "/pl/shortlist"])
def test_axe_finds_nothing_on_the_empty_list_and_the_professionals_page(visit, path):
    visit.open(path)
    assert visit.axe_violations_as_shown() == []
    assert visit.page.context.cookies() == []
    assert visit.foreign_requests == [] and visit.errors == []


def test_axe_finds_nothing_on_a_full_list_or_a_refusal(visit, live_app):
    with live_app.app_context():
        slugs = db.session.scalars(select(Service.slug).where(Service.status == "active").order_by(Service.slug)).all()
    visit.open("/shortlist?s=" + ",".join(slugs[:31]))
    assert visit.page.locator(".app-handout__service").count() == 30
    assert "Your list is full" in visit.page.locator(".govuk-notification-banner").inner_text()
    assert visit.axe_violations_as_shown() == []
    # A 31st, chosen by keyboard on a service page (with JavaScript too): refused, and the page says why.
    page = visit.page
    visit.open(f"/services/{slugs[40]}?s=" + ",".join(slugs[:30]))
    Keyboard(page).tab_to(f"a[data-list-toggle='{slugs[40]}']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    banner = page.locator(".govuk-notification-banner")
    assert banner.is_visible() and "was not added" in banner.inner_text()
    assert page.locator("[data-your-list]").inner_text() == "Your list (30)"
    assert page.locator(f"a[data-list-toggle='{slugs[40]}']").inner_text().startswith("Add to list")
    assert visit.axe_violations_as_shown() == []
    assert visit.foreign_requests == [] and visit.errors == []


A4_TEXT_WIDTH = 703  # CSS pixels between the printed page's side margins (210 mm less 2 × 12 mm)


def tallest_on_paper(browser, live_server, live_app):
    """Every listed service's slug and name, tallest first as Chromium lays it out on paper: the worst lists to print."""
    with live_app.app_context():
        names = dict(db.session.execute(select(Service.slug, Service.name).where(Service.status == "active")).all())
    page = browser.new_page(viewport={"width": A4_TEXT_WIDTH, "height": 1000})
    page.emulate_media(media="print")
    heights, slugs = {}, sorted(names)
    for start in range(0, len(slugs), 30):
        page.goto(live_server + "/shortlist?s=" + ",".join(slugs[start:start + 30]))
        heights.update(page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('.app-handout__service')]
            .map(card => [card.id.replace('service-', ''), card.getBoundingClientRect().height]))"""))
    page.close()
    assert len(heights) == len(names) >= 30
    return [(slug, names[slug]) for slug in sorted(heights, key=heights.get, reverse=True)]


def codes_on(pdf_bytes, page_number):
    """The QR codes a phone reads off one printed page (drawn at 150 dpi, a cheap scanner's resolution)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf_bytes)
    try:
        image = document[page_number].render(scale=150 / 72).to_pil()
    finally:
        document.close()
    return [barcode.text for barcode in zxingcpp.read_barcodes(image)]


@pytest.mark.parametrize("language", ["", "/pl"], ids=["english", "polish"])
def test_a_printed_list_is_a_short_handout_with_its_code_on_the_first_page(browser, live_server, live_app, language):
    """Up to 5 services fit on one A4 page with the QR code, 30 on at most 8, and no page is empty:
    the services that print tallest, so that any other list is shorter."""
    tallest = tallest_on_paper(browser, live_server, live_app)
    page = browser.new_page()
    for count, most in ((1, 1), (5, 1), (30, 8)):
        listed = tallest[:count]
        page.goto(f"{live_server}{language}/shortlist?s=" + ",".join(slug for slug, _ in listed))
        link = page.locator("#list-link").input_value()
        printed = page.pdf(format="A4")
        pdf = PdfReader(io.BytesIO(printed))
        # NFKC: the PDF's ligatures ("ﬀ") read as the letters they join
        pages = [" ".join(unicodedata.normalize("NFKC", sheet.extract_text()).split()) for sheet in pdf.pages]
        assert len(pages) <= most, (count, len(pages))
        assert codes_on(printed, 0) == [link], count  # the code is on the first page, and opens this list
        for number, words in enumerate(pages):
            on_it = [name for _, name in listed if name in words]
            assert on_it, f"page {number + 1} of {len(pages)} has no service on it: {words[:200]}"
        for _, name in listed:  # every service whole, on one page
            assert sum(name in words for words in pages) == 1, name
    page.close()
