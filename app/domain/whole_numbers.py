"""Whole numbers typed into a form: an age, a page, a day of the month."""


def is_whole_number(text):
    """Digits 0 to 9 only: "²" and "٣" are digits to ``str.isdigit`` but not to ``int``'s users here."""
    return text.isascii() and text.isdigit()
