"""Reading the list as a person sees it: what is shown, not what is hidden."""

from urllib.parse import urlencode, urlsplit

from tests.pages import parse, text_of


def shown(element):
    """The element's text, or ``None`` when it (or a parent) is hidden."""
    if element is None:
        return None
    for node in [element, *element.parents]:
        if getattr(node, "has_attr", None) and node.has_attr("hidden"):
            return None
    return text_of(element)


def your_list(page):
    """"Your list (3)" from the header, or ``None`` when the header shows no list."""
    return shown(page.find("a", attrs={"data-your-list": True}))


def toggle(page, slug):
    """The text a sighted person reads on a service's "Add to list" link, and where it goes."""
    link = page.find("a", attrs={"data-list-toggle": slug})
    seen = "".join(link.find_all(string=True, recursive=False)).strip()
    return seen, link["href"]


def card_names(page):
    return [text_of(title) for title in page.select(".app-handout__service .govuk-summary-card__title")]


def list_banner(page):
    """The "Your list is full" message, if there is one."""
    return text_of(page.select_one(".govuk-notification-banner")) or None


def follow(client, href, query=None):
    """Open a link (or send a GET form with ``query``) and parse the page; it must be there."""
    parts = urlsplit(href)
    url = parts.path + ("?" + (urlencode(query) if query is not None else parts.query) if query or parts.query else "")
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return parse(response)


def submit(client, page, **typed):
    """Send the search form as a browser would: its hidden fields (unless disabled) and what was typed."""
    form = page.select_one("form.app-filters")
    fields = {f["name"]: f.get("value", "") for f in form.select("input[type=hidden]") if not f.has_attr("disabled")}
    return follow(client, form["action"], {**fields, **typed})


def card_action(page, slug, word):
    """The link of a service card's action ("Move up", "Remove" …)."""
    for link in page.select(f"#service-{slug} .govuk-summary-card__actions a"):
        if text_of(link).startswith(word):
            return link["href"]
    return None


def qr_text(svg):
    """Read a QR code drawn as segno draws it (one path of 1-unit-wide horizontal strokes) with zxing-cpp."""
    import re

    import numpy
    import zxingcpp

    size = int(svg["viewbox"].split()[2])
    pixels = numpy.full((size * 4, size * 4), 255, dtype=numpy.uint8)  # 4 pixels a module
    x = y = 0.0
    for command, first, second in re.findall(r"([MmHh])\s*(-?[\d.]+)(?:[\s,]+(-?[\d.]+))?", svg.find("path", stroke=True)["d"]):
        if command == "M":
            x, y = float(first), float(second)
        elif command == "m":
            x, y = x + float(first), y + float(second)
        else:  # a dark run along the row: "h" is relative, "H" absolute
            end = x + float(first) if command == "h" else float(first)
            row = int(y)  # the stroke is centred on y + 0.5
            pixels[row * 4:(row + 1) * 4, int(x) * 4:int(end) * 4] = 0
            x = end
    return [barcode.text for barcode in zxingcpp.read_barcodes(pixels)]
