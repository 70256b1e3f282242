"""Reading pages as a person would: parse the HTML and look at what is shown."""

from bs4 import BeautifulSoup


def parse(response):
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def text_of(element):
    return " ".join(element.get_text(" ").split()) if element is not None else ""


def heading(soup):
    return text_of(soup.find("h1"))


def result_names(soup):
    return [text_of(h2.find("a")) for h2 in soup.select(".app-result h2")]


def result_count(soup):
    """The number in "123 services" above the results."""
    return int(text_of(soup.find(id="result-count")).split()[0])
