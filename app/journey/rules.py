"""The journey's rules: from what a family told us to what fits them. Plain functions, no Flask.

The rules themselves are content (``content/journey/rules.toml``), so editors can
change what is suggested without a developer. This module reads them, checks
them against the site's pages and the directory's categories, and applies them.

What fits whom: a page fits the people it is written for (``[readers]`` in the
rules file; Start for Life pages are for parents and people expecting) and, for
a Start for Life page, the ages of its stages. A service fits the ages of the
children (a young person's own age) by the directory's ``minimum_age`` and
``maximum_age``; the directory writes a group for babies up to their first
birthday as 0 to 1, so a service whose last year is the first year of a band
does not fit that band. A service only for adults fits a parent's own need
(a rule ``about = "adult"``), never a child's.
"""

import tomllib
from dataclasses import dataclass, field
from itertools import zip_longest
from pathlib import Path

from app.content.stages import stage_named

WHO = ("parent", "expecting", "young-person", "professional")
IMPACTS = ("a-little", "quite-a-lot", "struggling")  # how much the needs affect the family, least first
REFER_FROM = (*IMPACTS, "never")
AGE_BANDS = ("pregnancy", "under-1", "1-to-4", "5-to-10", "11-to-15", "16-to-18", "19-to-25")
NEEDS = (
    "baby-and-pregnancy",
    "feeding-and-sleep",
    "behaviour",
    "childs-feelings",
    "my-mental-health",
    "arguments-at-home",
    "hurts-or-frightens",
    "money-housing-work",
    "school",
    "send",
    "caring",
    "alcohol-or-drugs",
    "things-to-do",
    "something-else",
)
FAMILY = ("parent", "expecting", "young-person")  # who can reach a result
PERSON_BANDS = {  # the age bands each person can give: a young person gives their own age
    "parent": AGE_BANDS,
    "expecting": ("pregnancy",),
    "young-person": ("11-to-15", "16-to-18", "19-to-25"),
}
PERSON_WORDS = {"parent": "a parent or carer", "expecting": "someone expecting a baby",
                "young-person": "a young person", "professional": "a professional"}
BAND_YEARS = {"pregnancy": (0, 0), "under-1": (0, 0), "1-to-4": (1, 4), "5-to-10": (5, 10), "11-to-15": (11, 15),
              "16-to-18": (16, 18), "19-to-25": (19, 25)}
ABOUT = ("children", "adult")  # whose need a rule is about: the children's (the young person's own), or the adult's
ADULT_AGE = 18  # a service whose youngest age is this or more is only for adults
PARENTS_READ = ("parent", "expecting")  # who a page is for when the rules do not say
DOMESTIC_ABUSE = "hurts-or-frightens"
MOST_PAGES = 5
FEWEST_PAGES = 2


class RulesError(ValueError):
    """The rules file cannot be read."""


@dataclass(frozen=True)
class Rule:
    need: str
    ages: tuple = ()  # age bands it applies to; empty for any
    who: tuple = ()  # who is asking; empty for anyone
    pages: tuple = ()  # "start-for-life/safe-sleep", "pages/urgent-help" …
    universal: tuple = ()  # category codes of services open to every family
    targeted: tuple = ()  # category codes of services for families who need more help
    refer: str = "never"  # suggest a self-referral from this impact up
    about: str = "children"  # "adult": the need is the adult's own, so services only for adults fit it
    line: int = 0  # where the rule starts in the file, for the check

    def applies(self, who, bands):
        return (not self.who or who in self.who) and (not self.ages or bool(set(self.ages) & set(bands)))

    def people(self):
        """Who the rule can apply to: those it names (or every family member) who can give one of its ages."""
        return tuple(who for who in self.who or FAMILY
                     if who in PERSON_BANDS and (not self.ages or set(self.ages) & set(PERSON_BANDS[who])))


@dataclass(frozen=True)
class Rules:
    rules: tuple
    default_pages: tuple = ()  # shown when the rules find too few pages, to those without defaults of their own
    path: Path | None = None
    person_defaults: dict = field(default_factory=dict)  # who → their own default pages
    readers: dict = field(default_factory=dict)  # page → who it is written for, where the file says
    helplines: dict = field(default_factory=dict)  # who → names of helplines (in the site settings) always shown

    def defaults_for(self, who):
        return self.person_defaults.get(who, self.default_pages)

    def readers_of(self, page):
        """Who a page is written for: as the rules file says, else parents and people expecting."""
        return self.readers.get(page, PARENTS_READ)


@dataclass(frozen=True)
class Answers:
    who: str
    bands: tuple  # the children's age bands (the young person's own, for a young person)
    needs: tuple
    impact: str
    age: int | None = None  # a young person's own age, in whole years


@dataclass(frozen=True)
class Advice:
    pages: tuple = ()  # things you can do now, most relevant first
    universal: tuple = ()  # category codes, services for everyone
    targeted: tuple = ()  # category codes, shown when the needs affect the family quite a lot or more
    refer: bool = False  # suggest a self-referral to the district's Early Help Family Support team
    safety_first: bool = False  # someone at home hurts or frightens them: safety advice comes first
    needs: tuple = field(default=())
    own_needs: tuple = ()  # category codes offered for the adult's own need: services only for adults fit them
    helplines: tuple = ()  # names of helplines in the site settings to show to this person


def band_for_age(years):
    """The age band of a child (or young person) of this many whole years."""
    if years < 1:
        return "under-1"
    for band, top in (("1-to-4", 4), ("5-to-10", 10), ("11-to-15", 15), ("16-to-18", 18), ("19-to-25", 25)):
        if years <= top:
            return band
    return None


def bands_for_stages(stages):
    """The age bands Start for Life stages are for. Someone expecting is getting ready for the first
    months, so a stage from birth fits pregnancy too."""
    bands = set()
    for slug in stages:
        stage = stage_named(slug)
        if stage is None:
            continue
        if stage.from_months is None or stage.from_months == 0:
            bands.add("pregnancy")
        if stage.from_months is not None:
            bands |= {band for band, (low, high) in BAND_YEARS.items() if band != "pregnancy"
                      and stage.from_months < (high + 1) * 12 and low * 12 < stage.to_months}
    return frozenset(bands)


def only_for_adults(minimum_age):
    return minimum_age is not None and minimum_age >= ADULT_AGE


def service_fits_band(minimum_age, maximum_age, for_pregnancy, band):
    """A service with these ages fits a child in this band (pregnancy counts as before birth, age 0)."""
    low = 0 if minimum_age is None else minimum_age
    high = 200 if maximum_age is None else maximum_age
    if band == "pregnancy" and for_pregnancy:
        return True
    youngest, oldest = BAND_YEARS[band]
    shared_from, shared_to = max(low, youngest), min(high, oldest)
    if shared_from > shared_to:
        return False
    # "0 to 1" is a group for babies up to their first birthday: it does not fit a 1-to-4-year-old
    return not (shared_from == shared_to == high and low < high and youngest < oldest)


def service_fits(minimum_age, maximum_age, for_pregnancy, who, bands, own_need=False, age=None):
    """A service fits the person asking: a young person by their own age (``age``, else their band); a parent
    or someone expecting by their children's ages, or, for a service only for adults, when the need is the
    adult's own."""
    if who != "young-person" and only_for_adults(minimum_age):
        return own_need
    if age is not None:
        return (minimum_age or 0) <= age <= (200 if maximum_age is None else maximum_age)
    return any(service_fits_band(minimum_age, maximum_age, for_pregnancy, band) for band in bands)


def load_rules(path):
    """The rules from a TOML file; ``RulesError`` says what is wrong with its shape."""
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise RulesError(str(error)) from error
    starts = [number for number, line in enumerate(text.splitlines(), 1) if line.strip() == "[[rule]]"]
    rules = []
    for index, item in enumerate(data.get("rule", [])):
        if not isinstance(item, dict) or not isinstance(item.get("need"), str):
            raise RulesError(f"rule {index + 1} has no need")
        rules.append(
            Rule(
                need=item["need"],
                ages=_strings(item, "ages"),
                who=_strings(item, "who"),
                pages=_strings(item, "pages"),
                universal=_strings(item, "universal"),
                targeted=_strings(item, "targeted"),
                refer=str(item.get("refer", "never")),
                about=str(item.get("about", "children")),
                line=starts[index] if index < len(starts) else 0,
            )
        )
    defaults = _table(data, "defaults")
    person_defaults = {who: _strings(_table(defaults, who), "pages") for who, value in defaults.items()
                       if isinstance(value, dict)}
    return Rules(
        tuple(rules),
        _strings(defaults, "pages"),
        path,
        person_defaults=person_defaults,
        readers={page: _strings(_table(data, "readers"), page) for page in _table(data, "readers")},
        helplines={who: _strings(_table(data, "helplines"), who) for who in _table(data, "helplines")},
    )


def _table(data, key):
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise RulesError(f"'{key}' must be a table, like [{key}]")
    return value


def _strings(item, key):
    value = item.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RulesError(f"'{key}' must be a list of words in quotes")
    return tuple(value)


def check_rules(rules, pages, categories, page_ages=None, services=None, helplines=None):
    """Problems as (line, message): unknown needs, ages, people, pages, categories, impacts or helplines,
    and pages or categories that do not fit the people and ages a rule is for.

    ``page_ages`` maps a page to the age bands it is for (Start for Life pages, by their stages);
    ``services`` are the directory's services as (category codes, minimum age, maximum age, for pregnancy);
    ``helplines`` are the names of the site settings' helplines. Each is checked only when given.
    """
    page_ages = page_ages or {}
    problems = []
    for rule in rules.rules:
        def add(message, rule=rule):
            problems.append((rule.line, message))

        if rule.need not in NEEDS:
            add(f"Unknown need '{rule.need}': use one of {', '.join(NEEDS)}")
        for band in rule.ages:
            if band not in AGE_BANDS:
                add(f"Unknown age '{band}': use one of {', '.join(AGE_BANDS)}")
        for who in rule.who:
            if who not in WHO:
                add(f"Unknown person '{who}': use one of {', '.join(WHO)}")
        for page in rule.pages:
            if page not in pages:
                add(f"Unknown page '{page}': use start-for-life/<name> or pages/<name> of a page that exists")
        for code in rule.universal + rule.targeted:
            if code not in categories:
                add(f"Unknown category '{code}': use a category code from the directory")
        if rule.refer not in REFER_FROM:
            add(f"Unknown refer '{rule.refer}': use one of {', '.join(REFER_FROM)}")
        if rule.about not in ABOUT:
            add(f"Unknown about '{rule.about}': use one of {', '.join(ABOUT)}")
        for message in _unfit(rules, rule, page_ages, services):
            add(message)
    for who in (None, *rules.person_defaults):
        shown_to = (who,) if who else tuple(person for person in FAMILY if person not in rules.person_defaults)
        for page in rules.defaults_for(who):
            if page not in pages:
                problems.append((0, f"Unknown default page '{page}'"))
            for person in shown_to:
                if person in WHO and person not in rules.readers_of(page):
                    problems.append((0, f"The default page '{page}' is not written for {PERSON_WORDS[person]}: "
                                        "give them defaults of their own, like [defaults.{person}]"))
        if who is not None and who not in WHO:
            problems.append((0, f"Unknown person '{who}' in [defaults.{who}]: use one of {', '.join(WHO)}"))
    for page, readers in rules.readers.items():
        if page not in pages:
            problems.append((0, f"Unknown page '{page}' in [readers]"))
        for who in readers:
            if who not in WHO:
                problems.append((0, f"Unknown person '{who}' in [readers] for '{page}': use one of {', '.join(WHO)}"))
    for who, names in rules.helplines.items():
        if who not in WHO:
            problems.append((0, f"Unknown person '{who}' in [helplines]: use one of {', '.join(WHO)}"))
        for name in names:
            if helplines is not None and name not in helplines:
                problems.append((0, f"Unknown helpline '{name}': use the name of a [[helplines]] in settings.toml"))
    for need in NEEDS:
        if not any(rule.need == need for rule in rules.rules):
            problems.append((0, f"No rule for the need '{need}': every need needs at least one"))
    return problems


def _unfit(rules, rule, page_ages, services):
    """What a rule offers that fits none of its ages, or someone it applies to cannot use."""
    people = rule.people()
    if not people:
        if set(rule.who) <= set(WHO) and set(rule.ages) <= set(AGE_BANDS):
            yield f"This rule can never apply: none of {', '.join(rule.who)} can give the ages {', '.join(rule.ages)}"
        return
    bands = [band for band in rule.ages or AGE_BANDS if band in AGE_BANDS
             and any(band in PERSON_BANDS[who] for who in people)]
    ages = ", ".join(bands)
    for page in rule.pages:
        for who in people:
            if who not in rules.readers_of(page):
                yield (f"The page '{page}' is not written for {PERSON_WORDS[who]}: offer it only to those it is for "
                       f"(who = [...]), or say who reads it in [readers]")
        if rule.about != "adult" and page_ages.get(page) and not set(page_ages[page]) & set(bands):
            yield f"The page '{page}' is for {', '.join(b for b in AGE_BANDS if b in page_ages[page])}, none of this rule's ages ({ages})"
    if services is None:
        return
    for code in _unique(rule.universal + rule.targeted):
        found = [service for service in services if code in service[0]]
        if found and not any(
            service_fits(low, high, pregnancy, who, [band for band in bands if band in PERSON_BANDS[who]],
                         own_need=rule.about == "adult")
            for _codes, low, high, pregnancy in found for who in people
        ):
            yield f"No service in the category '{code}' is for this rule's ages ({ages}) in the directory"


def advise(rules, answers, page_ages=None):
    """What fits: pages to read now, services to look at, and whether to suggest a self-referral.

    Only pages written for the person asking are offered, and of Start for Life pages (``page_ages``:
    page → the age bands it is for) only those for the children's ages, unless the rule is about the
    adult's own need (their safety, their mental health).
    """
    page_ages = page_ages or {}

    def fits(page, rule=None):
        return answers.who in rules.readers_of(page) and (
            (rule is not None and rule.about == "adult")
            or not page_ages.get(page) or bool(set(page_ages[page]) & set(answers.bands)))

    matched = [
        rule
        for need in answers.needs
        for rule in rules.rules
        if rule.need == need and rule.applies(answers.who, answers.bands)
    ]
    more_help = IMPACTS.index(answers.impact) >= IMPACTS.index("quite-a-lot")
    # Pages take turns need by need, so each need chosen gets its first pages among the 5 shown.
    by_need = [[page for rule in matched if rule.need == need for page in rule.pages if fits(page, rule)]
               for need in answers.needs]
    pages = _unique(page for turn in zip_longest(*by_need) for page in turn if page)
    pages = _unique(pages + tuple(p for p in rules.defaults_for(answers.who) if len(pages) < FEWEST_PAGES and fits(p)))
    universal = _unique(code for rule in matched for code in rule.universal)
    targeted = _unique(code for rule in matched for code in rule.targeted if code not in universal) if more_help else ()
    refer = any(
        rule.refer != "never" and IMPACTS.index(answers.impact) >= IMPACTS.index(rule.refer) for rule in matched
    )
    return Advice(
        pages=pages[:MOST_PAGES],
        universal=universal,
        targeted=targeted,
        refer=refer,
        safety_first=DOMESTIC_ABUSE in answers.needs,
        needs=answers.needs,
        own_needs=_unique(code for rule in matched if rule.about == "adult" for code in rule.universal + rule.targeted),
        helplines=rules.helplines.get(answers.who, ()),
    )


def _unique(items):
    return tuple(dict.fromkeys(items))
