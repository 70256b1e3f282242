"""Ways to pass a list on without the server sending anything: a link, an email, a text, a QR code."""

from functools import lru_cache
from urllib.parse import quote

import segno
from markupsafe import Markup


def mailto(subject, body):
    """A ``mailto:`` link that opens the visitor's own email with no recipient filled in."""
    return f"mailto:?subject={quote(subject)}&body={quote(body)}"


def sms(body):
    """An ``sms:`` link that opens the phone's messages with the text written (``?&`` suits both iOS and Android)."""
    return f"sms:?&body={quote(body)}"


# Printed, a code is drawn at 0.45 mm a module or more, its quiet zone included (a phone's camera
# reads that easily from paper): the size of its box by the modules a side, up to version 14 (73);
# a finer code (a long list) is drawn larger still. The sizes are in assets/scss/_family-hub.scss.
PRINTED_SIZES = ((41, "small"), (57, "medium"), (73, "large"))


@lru_cache(maxsize=512)
def qr_code(url, label):
    """The URL as a QR code: an inline SVG image, black on white, sized by its container.

    Returns the SVG and the size it is printed at ("small", "medium", "large", or "dense" for a
    long list's finer code). The same list is drawn once (a page with its QR code is shown, printed,
    shown again).
    """
    code = segno.make(url, error="m", micro=False)
    svg = code.svg_inline(border=4, omitsize=True, dark="#0b0c0c", light="#ffffff",
                          svgclass="app-qr__code", lineclass=None)
    # segno writes the SVG; the label is escaped before it goes in.
    image = Markup(svg.replace("<svg ", Markup('<svg role="img" aria-label="{}" ').format(label), 1))
    modules = code.symbol_size(border=0)[0]
    return image, next((size for most, size in PRINTED_SIZES if modules <= most), "dense")
