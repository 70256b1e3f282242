"""tests/pages.py reads a page as a person would: these are the meanings the other tests rely on."""

import re

from tests.pages import parse, text_of

PAGE = """<!DOCTYPE html>
<html lang="en"><head><title>Error: Find a service</title>
<script>var hidden = "not words";</script><style>p { color: red }</style></head>
<body class="govuk-template__body js">
<!-- a comment is not read -->
<main id="main-content">
  <h1 class="govuk-heading-l">Find a <strong>service</strong></h1>
  <div class="govuk-form-group govuk-form-group--error">
    <input id="postcode" name="postcode" type="text" value="zz" disabled>
  </div>
  <a href="/shortlist" data-your-list>Your list <span class="count">(3)</span></a>
  <a href="tel:01632960000" class="govuk-link app-phone">01632 960000</a>
  <h2>Cost</h2><p>Free</p>
  <template><p>kept for later</p></template>
  <svg><path d="M 0 0" stroke="black"></path></svg>
</main>
<footer><a href="/pages/privacy">Privacy</a></footer>
</body></html>"""


def test_text_is_what_is_shown():
    page = parse(PAGE)
    words = text_of(page)
    assert "Find a service" in words and "Free" in words
    assert "not words" not in words and "color" not in words and "comment" not in words
    assert "kept for later" not in words  # inside a template
    assert text_of(page.find("h1")) == "Find a service"
    assert page.find("script").string == 'var hidden = "not words";'  # but a script's own text is its own


def test_finding_by_tag_attributes_classes_and_words():
    page = parse(PAGE)
    assert page.title.string == "Error: Find a service"
    assert page.find("a", attrs={"data-your-list": True})["href"] == "/shortlist"
    assert page.find(class_="app-phone").get("class") == ["govuk-link", "app-phone"]
    assert page.find("a", href=re.compile("^tel:")).string == "01632 960000"
    assert page.find("path", stroke=True)["d"] == "M 0 0"
    assert text_of(page.find("h2", string="Cost").find_next_sibling()) == "Free"
    assert page.find("h2", string="Price") is None
    assert [text_of(a) for a in page.find_all("a")] == ["Your list (3)", "01632 960000", "Privacy"]
    assert "".join(page.find("a").find_all(string=True, recursive=False)).strip() == "Your list"
    assert page.find("html").name == "html" and page.find("nothing") is None


def test_selecting_with_css():
    page = parse(PAGE)
    assert [a["href"] for a in page.select("main a[href^='tel:'], footer a")] == ["tel:01632960000", "/pages/privacy"]
    main = page.select_one("#main-content")
    assert main.select("main") == []  # an element's own selector finds only what is inside it
    assert page.select("html")[0].name == "html"  # the page's finds the page itself
    assert page.select_one("input:not([type=hidden])")["value"] == "zz"


def test_around_an_element():
    page = parse(PAGE)
    field = page.find(id="postcode")
    assert field.has_attr("disabled") and not field.has_attr("checked")
    assert field.find_parent(class_="govuk-form-group--error") is not None
    assert [node.name for node in field.parents] == ["div", "main", "body", "html", "[document]"]
    assert any("govuk-form-group--error" in node.get("class", []) for node in field.parents)
    assert field.find_parent("form") is None


def test_an_empty_answer_is_an_empty_page():
    page = parse("")
    assert page.find("h1") is None and text_of(page) == ""
