"""Reading pages as a person would: parse the HTML and look at what is shown.

Pages are parsed with lxml (about a quarter quicker than Python's own parser; the fuzz
tests read thousands of pages); whether the HTML is valid is checked apart, with
html5lib in strict mode (tests/content/test_pages.py).
"""

from bs4 import BeautifulSoup


def parse(response):
    return BeautifulSoup(response.get_data(as_text=True), "lxml")


def text_of(element):
    return " ".join(element.get_text(" ").split()) if element is not None else ""


def heading(soup):
    return text_of(soup.find("h1"))


def result_names(soup):
    return [text_of(h2.find("a")) for h2 in soup.select(".app-result h2")]


def result_count(soup):
    """The number in "123 services" above the results."""
    return int(text_of(soup.find(id="result-count")).split()[0])
