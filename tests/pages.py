"""Reading pages as a person would: parse the HTML and look at what is shown.

Pages are parsed by lxml (libxml2) and searched with CSS selectors (cssselect)
or by tag and attributes. ``Node`` offers the few ways of reading a page that
the tests use (``select``, ``find``, ``get_text``, ``parent`` …), with the
meanings Beautiful Soup gives them, which the tests were first written against:
building Beautiful Soup's tree in Python took 15 ms for a results page, lxml's
takes under 1 ms, and the suite reads some fifteen thousand pages. Whether the
HTML is valid is checked apart, with html5lib in strict mode
(tests/content/test_pages.py).

One difference from Beautiful Soup: an attribute written without a value
(``<input disabled>``) reads as its own name (``"disabled"``), not as ``""``.
Ask ``has_attr`` whether it is there.
"""

import re
from functools import cache

import lxml.html
from cssselect import HTMLTranslator
from lxml import etree

# Attributes that hold a list of words: read as lists, as Beautiful Soup reads them.
LISTS = {"class", "rel", "rev", "accept-charset", "headers", "accesskey", "dropzone"}
# Text inside these is not part of the words of what contains them.
NOT_SHOWN = {"script", "style", "template"}

_TRANSLATOR = HTMLTranslator()


@cache
def _selector(css, including_self):
    prefix = "descendant-or-self::" if including_self else "descendant::"
    return etree.XPath(_TRANSLATOR.css_to_xpath(css, prefix=prefix))


def _is_element(el):
    return isinstance(el.tag, str)


def _attrs(el):
    return {name: value.split() if name in LISTS else value for name, value in el.attrib.items()}


def _strings(el, inside=False):
    """The text of ``el`` and everything in it, piece by piece, as a person reads it."""
    if el.tag not in NOT_SHOWN or not inside:
        if el.text:
            yield el.text
        for child in el:
            if _is_element(child):
                yield from _strings(child, inside=True)
            if child.tail:
                yield child.tail


def _children(el):
    """Its text and elements in order (comments left out, the text after them kept)."""
    if el.text:
        yield el.text
    for child in el:
        if _is_element(child):
            yield child
        if child.tail:
            yield child.tail


def _string(el):
    """Beautiful Soup's ``.string``: the one piece of text inside, however deep, or None."""
    contents = list(_children(el))
    if len(contents) != 1:
        return None
    only = contents[0]
    return only if isinstance(only, str) else _string(only)


def _matches_value(actual, wanted, words):
    if wanted is True:
        return actual is not None
    if wanted is None or wanted is False:
        return actual is None
    if actual is None:
        return False
    if isinstance(wanted, (list, tuple, set)):
        return any(_matches_value(actual, one, words) for one in wanted)
    if isinstance(wanted, re.Pattern):
        return bool(wanted.search(actual)) or (words and any(wanted.search(w) for w in actual.split()))
    return actual == wanted or (words and wanted in actual.split())


def _matcher(name=None, attrs=None, string=None, **kwargs):
    wanted = dict(attrs or {})
    if "class_" in kwargs:
        wanted["class"] = kwargs.pop("class_")
    wanted.update(kwargs)
    if isinstance(name, str):
        names = {name}
    elif name is None or name is True:
        names = None
    else:
        names = set(name)

    def match(el):
        if not _is_element(el) or (names is not None and el.tag not in names):
            return False
        for key, value in wanted.items():
            if not _matches_value(el.get(key), value, key in LISTS):
                return False
        if string is not None and not _matches_value(_string(el), string, False):
            return False
        return True

    return match


class Node:
    """An element of a page (or the whole page), read as Beautiful Soup reads one."""

    __slots__ = ("_el", "_document")

    def __init__(self, el, document=False):
        self._el, self._document = el, document

    # What it is
    @property
    def name(self):
        return "[document]" if self._document else self._el.tag

    @property
    def attrs(self):
        return {} if self._document else _attrs(self._el)

    def get(self, key, default=None):
        return self.attrs.get(key, default)

    def __getitem__(self, key):
        return self.attrs[key]

    def has_attr(self, key):
        return not self._document and key in self._el.attrib

    # Its words
    def get_text(self, separator="", strip=False):
        pieces = _strings(self._el)
        if strip:
            pieces = (piece.strip() for piece in pieces)
            pieces = (piece for piece in pieces if piece)
        return separator.join(pieces)

    @property
    def string(self):
        return _string(self._el)

    # Around it
    @property
    def parent(self):
        if self._document:
            return None
        up = self._el.getparent()
        return Node(up) if up is not None else Node(self._el, document=True)

    @property
    def parents(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    # Finding inside it
    def _candidates(self, recursive=True):
        if self._document:
            return self._el.iter() if recursive else iter([self._el])
        if recursive:
            descendants = self._el.iter()
            next(descendants)  # not itself
            return descendants
        return iter(self._el)

    def find_all(self, name=None, attrs=None, recursive=True, string=None, limit=None, **kwargs):
        if name is None and not attrs and not kwargs and string is not None:  # pieces of text
            if recursive:
                pieces = _strings(self._el)
            else:
                pieces = (piece for piece in ([] if self._document else _children(self._el)) if isinstance(piece, str))
            return [piece for piece in pieces if _matches_value(piece, string, False)][:limit]
        match = _matcher(name, attrs, string, **kwargs)
        found = []
        for el in self._candidates(recursive):
            if match(el):
                found.append(Node(el))
                if limit and len(found) == limit:
                    break
        return found

    def find(self, name=None, attrs=None, recursive=True, string=None, **kwargs):
        found = self.find_all(name, attrs, recursive, string, limit=1, **kwargs)
        return found[0] if found else None

    def select(self, css):
        return [Node(el) for el in _selector(css, self._document)(self._el)]

    def select_one(self, css):
        found = _selector(css, self._document)(self._el)
        return Node(found[0]) if found else None

    def find_parent(self, name=None, attrs=None, **kwargs):
        match = _matcher(name, attrs, **kwargs)
        return next((node for node in self.parents if not node._document and match(node._el)), None)

    def find_next_sibling(self, name=None, attrs=None, **kwargs):
        match = _matcher(name, attrs, **kwargs)
        el = None if self._document else self._el.getnext()
        while el is not None and not match(el):
            el = el.getnext()
        return Node(el) if el is not None else None

    def __getattr__(self, name):  # page.title, page.body: the first such element
        if name.startswith("_"):
            raise AttributeError(name)
        return self.find(name)

    # Comparing and showing
    def __eq__(self, other):
        return isinstance(other, Node) and other._el is self._el and other._document == self._document

    def __hash__(self):
        return hash((id(self._el), self._document))

    def __bool__(self):
        return True

    def __str__(self):
        return lxml.html.tostring(self._el, encoding="unicode", with_tail=False)

    __repr__ = __str__


def parse(response):
    """The page a response (or a string of HTML) holds."""
    markup = response if isinstance(response, (str, bytes)) else response.get_data(as_text=True)
    if not markup.strip():
        return Node(lxml.html.document_fromstring("<html></html>"), document=True)
    return Node(lxml.html.document_fromstring(markup), document=True)


def text_of(element):
    return " ".join(element.get_text(" ").split()) if element is not None else ""


def heading(soup):
    return text_of(soup.find("h1"))


def result_names(soup):
    return [text_of(h2.find("a")) for h2 in soup.select(".app-result h2")]


def result_count(soup):
    """The number in "123 services" above the results."""
    return int(text_of(soup.find(id="result-count")).split()[0])
