"""The order of the self-referral's pages, and which are done (plain functions, no Flask).

``answers`` is the draft's dictionary. A parent or carer is asked about their
children; a young person about themselves. Every page must be done before
"Check your answers".
"""

MOST_CHILDREN, MOST_ADULTS = 10, 8

ORDER = {
    "parent": ("who", "children", "adults", "address", "help", "tried", "language", "contact", "safe-contact", "consent"),
    "young-person": ("who", "about-you", "adults", "address", "help", "tried", "language", "contact", "safe-contact", "consent"),
}


def steps_for(answers):
    return ORDER.get(answers.get("who"), ("who",))


def is_done(step, answers):
    if step == "who":
        return answers.get("who") in ORDER
    if step == "children":
        return bool(answers.get("children")) and answers.get("children_done", False)
    if step == "adults":
        return answers.get("adults_done", False)
    return step in answers


def first_not_done(answers):
    """The first page still to answer, or "check" when all are done."""
    for step in steps_for(answers):
        if not is_done(step, answers):
            return step
    return "check"


def step_after(step, answers):
    """Where "Continue" goes from this page."""
    order = steps_for(answers)
    if step not in order:
        return first_not_done(answers)
    following = order.index(step) + 1
    if following < len(order):
        return order[following]
    return "check"


def may_visit(step, answers):
    """A page can be opened when every page before it is done (no skipping ahead by URL)."""
    order = steps_for(answers)
    if step == "check":
        return first_not_done(answers) == "check"
    if step not in order:
        return False
    return all(is_done(earlier, answers) for earlier in order[: order.index(step)])


def relevant(answers):
    """The answers that belong to the pages this person was asked (after changing who is asking)."""
    leave_out = {"about-you"} if answers.get("who") == "parent" else {"children", "children_done"}
    return {key: value for key, value in answers.items() if key not in leave_out}
