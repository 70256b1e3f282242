"""Urdu pages in Chromium: mirrored, with numbers and addresses still read left to right."""

import re

import pytest

from tests.browser.conftest import Visit

PHONE = {"width": 390, "height": 844}

# Where the main column's first heading, paragraph and the back link sit, and which way the back link's arrow points.
LOOK = """(heading) => {
    const main = document.querySelector('main').getBoundingClientRect();
    // Where the words are drawn, not the block they sit in: the first letter of a right-aligned
    // paragraph touches the column's right edge, and its last stops short of the left.
    const box = (selector) => {
        const element = document.querySelector(selector);
        const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);  // no callback: pages may run no scripts
        const nodes = [];
        for (let n = walker.nextNode(); n; n = walker.nextNode()) if (n.textContent.trim()) nodes.push(n);
        const letter = (node, at) => { const r = document.createRange(); r.setStart(node, at); r.setEnd(node, at + 1); return r.getBoundingClientRect(); };
        const first = nodes[0], last = nodes[nodes.length - 1];
        const start = first.textContent.search(/\\S/), end = last.textContent.trimEnd().length - 1;
        return {right: main.right - letter(first, start).right, left: letter(last, end).left - main.left,
                direction: getComputedStyle(element).direction};
    };
    const back = document.querySelector('.govuk-back-link');
    let arrow = null;
    if (back) {
        const before = getComputedStyle(back, '::before');
        const [a, b, c, d] = (before.transform.match(/matrix\\(([^)]*)\\)/) || ['', '1,0,0,1'])[1].split(',').map(Number);
        // The chevron is drawn by two borders meeting at a corner; turned, the corner points the arrow's way.
        const x = parseFloat(before.borderLeftWidth) > 0 ? -1 : 1, y = parseFloat(before.borderTopWidth) > 0 ? -1 : 1;
        const link = back.getBoundingClientRect();
        arrow = {x: a * x + c * y, y: b * x + d * y, atRight: parseFloat(before.right) < link.width / 2,
                 linkRight: main.right - link.right, linkLeft: link.left - main.left};
    }
    return {heading: box(heading), paragraph: box('main p.govuk-body'), arrow,
            scrollWidth: document.documentElement.scrollWidth, width: document.documentElement.clientWidth,
            direction: getComputedStyle(document.documentElement).direction};
}"""

# The first and last group of digits of the first phone number link, left to right as drawn.
DIGITS = """() => {
    const link = [...document.querySelectorAll('main a[href^="tel:"]')].find(a => a.textContent.trim().includes(' '));
    const node = [...link.childNodes].find(n => n.nodeType === Node.TEXT_NODE && n.textContent.includes(' '));
    const text = node.textContent, first = text.indexOf(text.trim().split(' ')[0]);
    const last = text.lastIndexOf(' ') + 1;
    const rect = (start, end) => { const r = document.createRange(); r.setStart(node, start); r.setEnd(node, end); return r.getBoundingClientRect(); };
    return {number: text.trim(), first: rect(first, first + 2).left, last: rect(last, last + 2).left,
            direction: getComputedStyle(link).direction};
}"""


@pytest.fixture(params=["javascript", "no-javascript"])
def phone(request, browser, live_server):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True,
                                  java_script_enabled=request.param == "javascript")
    visit = Visit(context.new_page(), live_server)
    yield visit
    visit.close()


def test_an_urdu_page_is_mirrored_and_an_english_one_is_not(phone):
    phone.open("/ur/services/bromsgrove-baby-cafe")
    urdu = phone.page.evaluate(LOOK, "main h2")
    assert urdu["direction"] == "rtl"
    assert urdu["scrollWidth"] <= urdu["width"]  # no sideways scrolling at 390 px
    # "What it is" sits against the right edge of the column.
    assert urdu["heading"]["direction"] == "rtl" and urdu["heading"]["right"] < 2 < urdu["heading"]["left"]
    arrow = urdu["arrow"]
    assert arrow["linkRight"] < 2 < arrow["linkLeft"]  # the back link at the right
    assert arrow["atRight"] and arrow["x"] > 0.9 and abs(arrow["y"]) < 0.1  # its arrow at its right, pointing right

    phone.open("/services/bromsgrove-baby-cafe")
    english = phone.page.evaluate(LOOK, "main h2")
    assert english["direction"] == "ltr"
    arrow = english["arrow"]
    assert arrow["linkLeft"] < 2 < arrow["linkRight"]
    assert not arrow["atRight"] and arrow["x"] < -0.9 and abs(arrow["y"]) < 0.1  # at the left, pointing left


@pytest.mark.parametrize("path", ["/ur/pages/urgent-help", "/ur/start-for-life/crying-and-soothing", "/ur/start-for-life/feeling-unsafe-at-home"])
def test_urdu_text_is_right_aligned_and_phone_numbers_read_left_to_right(phone, path):
    phone.open(path)
    look = phone.page.evaluate(LOOK, "main h2")
    assert look["scrollWidth"] <= look["width"]
    for part in ("heading", "paragraph"):
        assert look[part]["direction"] == "rtl" and look[part]["right"] < 2 < look[part]["left"], (part, look[part])
    digits = phone.page.evaluate(DIGITS)
    assert digits["direction"] == "ltr"
    assert digits["first"] < digits["last"], digits  # "01632 960100", never "960100 01632"


def test_the_urdu_list_prints_mirrored(phone):
    phone.open("/ur/shortlist?s=bromsgrove-baby-cafe,kinship-care-advice-line")
    phone.page.emulate_media(media="print")
    look = phone.page.evaluate(LOOK, "main h1")
    assert look["direction"] == "rtl"
    assert look["heading"]["right"] < 2 < look["heading"]["left"]
    pdf = phone.page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000


# The addresses GOV.UK Frontend prints after links on paper, as the page gives them: (link, address).
PRINTED_ADDRESSES = """() => [...document.querySelectorAll('main a[href^="/"]')]
    .filter(a => getComputedStyle(a, '::after').content.includes('/') || getComputedStyle(a, '::after').content.includes('attr'))
    .map(a => a.getAttribute('href'))"""


def lines_as_drawn(pdf):
    """Each line of a PDF's Latin letters, digits and signs, left to right as drawn (Urdu letters left out)."""
    import pypdfium2

    lines = []
    for page in pypdfium2.PdfDocument(pdf):
        text = page.get_textpage()
        rows = {}
        for at in range(text.count_chars()):
            character = text.get_text_range(at, 1)
            if not character.strip() or ord(character) >= 0x0600:
                continue
            left, bottom, _, top = text.get_charbox(at)
            row = next((y for y in rows if abs(y - (bottom + top) / 2) <= 3), (bottom + top) / 2)
            rows.setdefault(row, []).append((left, character))
        lines += ["".join(character for _, character in sorted(rows[y])) for y in sorted(rows, reverse=True)]
    return lines


def test_on_paper_an_urdu_pages_link_addresses_read_left_to_right(phone):
    """Before, "(/ur/services?category=stop-smoking)" was printed ")ur/services?category=stop-smoking/(" after
    its Urdu link: the address took the page's direction."""
    phone.open("/ur/start-for-life/safe-sleep")
    phone.page.emulate_media(media="print")
    addresses = phone.page.evaluate(PRINTED_ADDRESSES)
    assert len(addresses) >= 5, addresses  # the page's "see all services" and related pages
    lines = lines_as_drawn(phone.page.pdf(format="A4"))
    # An address may be broken over two lines (after a hyphen or a slash): its start and its last word are
    # each found in order, its brackets outside.
    for address in addresses:
        last_word = re.split(r"[-/?=]", address)[-1]
        assert any(f"({address[:5]}" in line for line in lines), (address, lines)
        assert any(f"{last_word})" in line for line in lines), (address, lines)
