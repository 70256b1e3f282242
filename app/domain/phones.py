"""Phone numbers as a family taps them: every number shown is a ``tel:`` link.

``PHONE_NUMBER`` finds the UK numbers the site shows (``01632 960000``,
``0808 2000 247``, ``0800 1111``, ``116 123``, 999 and 111) in text that an editor
wrote; ``tel_link`` makes one number a link and ``link_phones`` does it for every
number in a piece of plain text, escaping the rest.
"""

import re

from markupsafe import Markup, escape

PHONE_NUMBER = re.compile(
    r"(?<![\w£$€.,:/-])"
    r"(?:\+44 ?\d{2,4}(?: ?\d{3,6}){1,2}|0\d{2,4}(?: \d{3,6}){1,2}|0\d{9,10}|116 ?\d{3}|999|111)"
    r"(?![\w/-]|[.,]\d)"
)


def tel_href(number):
    """``tel:`` and the number's digits (and a leading +)."""
    number = str(number)
    return "tel:" + ("+" if number.strip().startswith("+") else "") + re.sub(r"\D", "", number)


def tel_link(number, classes="govuk-link"):
    """The number as a link that calls it; nothing for no number."""
    if not number:
        return ""
    return Markup('<a class="{}" href="{}">{}</a>').format(classes, tel_href(number), str(number))


def link_phones(text):
    """Plain ``text``, escaped, with each phone number in it a link that calls it."""
    text = "" if text is None else str(text)
    parts, at = [], 0
    for found in PHONE_NUMBER.finditer(text):
        parts += [escape(text[at:found.start()]), tel_link(found.group(0))]
        at = found.end()
    parts.append(escape(text[at:]))
    return Markup("").join(parts)
