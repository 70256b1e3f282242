"""The journey's rules: from what a family told us to what fits them. Plain functions, no Flask.

The rules themselves are content (``content/journey/rules.toml``), so editors can
change what is suggested without a developer. This module reads them, checks
them against the site's pages and the directory's categories, and applies them.
"""

import tomllib
from dataclasses import dataclass, field
from itertools import zip_longest
from pathlib import Path

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
    line: int = 0  # where the rule starts in the file, for the check

    def applies(self, who, bands):
        return (not self.who or who in self.who) and (not self.ages or bool(set(self.ages) & set(bands)))


@dataclass(frozen=True)
class Rules:
    rules: tuple
    default_pages: tuple = ()
    path: Path | None = None


@dataclass(frozen=True)
class Answers:
    who: str
    bands: tuple  # the children's age bands (the young person's own, for a young person)
    needs: tuple
    impact: str


@dataclass(frozen=True)
class Advice:
    pages: tuple = ()  # things you can do now, most relevant first
    universal: tuple = ()  # category codes, services for everyone
    targeted: tuple = ()  # category codes, shown when the needs affect the family quite a lot or more
    refer: bool = False  # suggest a self-referral to the district's Early Help Family Support team
    safety_first: bool = False  # someone at home hurts or frightens them: safety advice comes first
    needs: tuple = field(default=())


def band_for_age(years):
    """The age band of a child (or young person) of this many whole years."""
    if years < 1:
        return "under-1"
    for band, top in (("1-to-4", 4), ("5-to-10", 10), ("11-to-15", 15), ("16-to-18", 18), ("19-to-25", 25)):
        if years <= top:
            return band
    return None


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
                line=starts[index] if index < len(starts) else 0,
            )
        )
    defaults = data.get("defaults", {})
    return Rules(tuple(rules), _strings(defaults, "pages") if isinstance(defaults, dict) else (), path)


def _strings(item, key):
    value = item.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RulesError(f"'{key}' must be a list of words in quotes")
    return tuple(value)


def check_rules(rules, pages, categories):
    """Problems as (line, message): unknown needs, ages, people, pages, categories or impacts."""
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
    for page in rules.default_pages:
        if page not in pages:
            problems.append((0, f"Unknown default page '{page}'"))
    for need in NEEDS:
        if not any(rule.need == need for rule in rules.rules):
            problems.append((0, f"No rule for the need '{need}': every need needs at least one"))
    return problems


def advise(rules, answers):
    """What fits: pages to read now, services to look at, and whether to suggest a self-referral."""
    matched = [
        rule
        for need in answers.needs
        for rule in rules.rules
        if rule.need == need and rule.applies(answers.who, answers.bands)
    ]
    more_help = IMPACTS.index(answers.impact) >= IMPACTS.index("quite-a-lot")
    # Pages take turns need by need, so each need chosen gets its first pages among the 5 shown.
    by_need = [[page for rule in matched if rule.need == need for page in rule.pages] for need in answers.needs]
    pages = _unique(page for turn in zip_longest(*by_need) for page in turn if page)
    pages = _unique(pages + tuple(p for p in rules.default_pages if len(pages) < FEWEST_PAGES))
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
    )


def _unique(items):
    return tuple(dict.fromkeys(items))
