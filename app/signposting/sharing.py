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


DENSE = 73  # modules a side (version 14) beyond which a printed code is drawn larger, to stay easy to scan


@lru_cache(maxsize=512)
def qr_code(url, label):
    """The URL as a QR code: an inline SVG image, black on white, sized by its container.

    Returns the SVG and whether the code is dense (a long list makes a finer code).
    The same list is drawn once (a page with its QR code is shown, printed, shown again).
    """
    code = segno.make(url, error="m", micro=False)
    svg = code.svg_inline(border=4, omitsize=True, dark="#0b0c0c", light="#ffffff",
                          svgclass="app-qr__code", lineclass=None)
    # segno writes the SVG; the label is escaped before it goes in.
    image = Markup(svg.replace("<svg ", Markup('<svg role="img" aria-label="{}" ').format(label), 1))
    return image, code.symbol_size(border=0)[0] > DENSE
