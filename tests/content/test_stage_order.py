"""The order of a stage's pages: those with a priority there first, by number, then the rest A–Z."""

from app.content.library import Library, Page, read_priority


def page(slug, title, stages=("birth-to-6-months",), priority=(), language="en"):
    return Page("start-for-life", slug, language, title, "", "", stages=stages, priority=priority)


def library_of(*pages):
    return Library({(p.section, p.slug, p.language): p for p in pages})


def slugs(pages):
    return [p.slug for p in pages]


def test_pages_with_a_priority_come_first_by_number_and_the_rest_a_to_z():
    library = library_of(
        page("bonding", "Bonding and play"),
        page("weaning", "Weaning", priority=(("6-to-12-months", 1),)),  # a priority in another stage only
        page("safe-sleep", "Safe sleep", priority=(("birth-to-6-months", 1),)),
        page("crying", "Crying and soothing", priority=(("birth-to-6-months", 3),)),
        page("feeding", "Feeding", priority=(("birth-to-6-months", 2),)),
        page("adoption", "Adoption"),
        page("toilet", "Toilet training", stages=("2-to-4-years",), priority=(("2-to-4-years", 1),)),
    )
    assert slugs(library.in_stage("birth-to-6-months", "en")) == [
        "safe-sleep", "feeding", "crying", "adoption", "bonding", "weaning",
    ]
    assert slugs(library.in_stage("2-to-4-years", "en")) == ["toilet"]


def test_start_here_holds_only_the_first_few_pages_with_a_priority():
    library = library_of(
        *(page(f"p{n}", f"Page {n}", priority=(("pregnancy", n),), stages=("pregnancy",)) for n in (7, 1, 3, 2, 9, 4)),
        page("a", "A page with no priority", stages=("pregnancy",)),
    )
    first, rest = library.stage_groups("pregnancy", "en", count=5)
    assert slugs(first) == ["p1", "p2", "p3", "p4", "p7"]
    assert slugs(rest) == ["p9", "a"]
    few, others = library_of(page("a", "A"), page("b", "B")).stage_groups("birth-to-6-months", "en")
    assert few == [] and slugs(others) == ["a", "b"]  # no priorities: no "Start here", all A–Z


def test_a_translation_keeps_the_english_order_and_shows_its_own_title():
    library = library_of(
        page("safe-sleep", "Safe sleep", priority=(("birth-to-6-months", 1),)),
        page("safe-sleep", "Bezpieczny sen", language="pl"),  # no priority of its own
        page("bonding", "Bonding"),
        page("crying", "Crying"),
        page("crying", "Płacz", language="pl"),
    )
    shown = library.in_stage("birth-to-6-months", "pl")
    assert [p.title for p in shown] == ["Bezpieczny sen", "Bonding", "Płacz"]


def test_the_priority_front_matter_is_read_and_each_mistake_named():
    stages = ["pregnancy", "birth-to-6-months"]
    assert read_priority(None, stages) == ((), [])
    assert read_priority({"pregnancy": 2, "birth-to-6-months": 1}, stages) == (
        (("birth-to-6-months", 1), ("pregnancy", 2)), [],
    )
    good, problems = read_priority({"newborn": 1, "pregnancy": 0, "birth-to-6-months": True, "2-to-4-years": 1}, stages)
    assert good == ()
    assert problems[0].startswith("Unknown stage 'newborn' in 'priority'")
    assert problems[1] == "The priority for pregnancy must be a whole number from 1 (most important), not '0'"
    assert problems[2].startswith("The priority for birth-to-6-months must be a whole number")  # yes/no is not a number
    assert problems[3].startswith("'priority' gives 2-to-4-years a number, but the page is not in that stage")
    assert read_priority([1, 2], stages)[1] == [
        "'priority' must give each stage a number, like {pregnancy: 1, birth-to-6-months: 3}"
    ]
