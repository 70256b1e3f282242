"""The journey's answers in words: for a parent or carer, and for a young person in their own.

The self-referral form and the staff pages name a family's needs with these too.
"""

from flask_babel import lazy_gettext as _l

from app.journey.rules import NEEDS

WHO_LABELS = {
    "parent": _l("I am a parent or carer"),
    "expecting": _l("I am expecting a baby"),
    "young-person": _l("I am a young person (11 to 18, or up to 25 with special educational needs)"),
    "professional": _l("I work with families"),
}
AGE_LABELS = {
    "pregnancy": _l("We are expecting a baby"), "under-1": _l("Under 1"), "1-to-4": _l("1 to 4"),
    "5-to-10": _l("5 to 10"), "11-to-15": _l("11 to 15"), "16-to-18": _l("16 to 18"),
    "19-to-25": _l("19 to 25, with special educational needs or a disability"),
}
NEED_LABELS = {  # (for a parent or carer, for a young person)
    "baby-and-pregnancy": (_l("Pregnancy or a new baby"), _l("Pregnancy or having a baby")),
    "feeding-and-sleep": (_l("Feeding, eating or sleep"), _l("Eating or sleep")),
    "behaviour": (_l("My child’s behaviour"), _l("Getting angry or into trouble")),
    "childs-feelings": (_l("My child’s feelings or worries"), _l("How I feel, or things I worry about")),
    "my-mental-health": (_l("My own mental health"), _l("My mental health")),
    "arguments-at-home": (_l("Arguments at home"), _l("Arguments at home")),
    "hurts-or-frightens": (_l("Someone at home hurts or frightens me"), _l("Someone at home hurts or frightens me")),
    "money-housing-work": (_l("Money, housing or work"), _l("Money, housing or work")),
    "school": (_l("School or nursery, and going every day"), _l("School or college, and going every day")),
    "send": (_l("Special educational needs or a disability"), _l("Special educational needs or a disability")),
    "caring": (_l("Caring for someone"), _l("Looking after someone at home")),
    "alcohol-or-drugs": (_l("Alcohol, drugs or gambling"), _l("Alcohol or drugs: mine or someone else’s")),
    "things-to-do": (_l("Things to do"), _l("Things to do")),
    "something-else": (_l("Something else"), _l("Something else")),
}
IMPACT_LABELS = {  # (for a family, for a young person)
    "a-little": (_l("A little"), _l("A little")),
    "quite-a-lot": (_l("Quite a lot"), _l("Quite a lot")),
    "struggling": (_l("We are struggling to cope"), _l("I am struggling to cope")),
}
ACCESS_NAMES = {
    "drop-in": _l("Drop in: you do not need to book"),
    "self-referral": _l("Contact them yourself"),
    "professional-referral": _l("Ask a professional, like a health visitor or teacher, to refer you"),
}
YOUNG_ACCESS_NAMES = {
    **ACCESS_NAMES,
    "professional-referral": _l("Ask someone who works with you, like a teacher or school nurse, to refer you"),
}


def access_names(young):
    """How to get into a service, in the asker's words."""
    return YOUNG_ACCESS_NAMES if young else ACCESS_NAMES


def need_labels(young, needs=NEEDS):
    """(need, label) in the asker's words: a young person's own, or a parent's."""
    return [(need, NEED_LABELS[need][1 if young else 0]) for need in needs]
