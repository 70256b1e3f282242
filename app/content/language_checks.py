"""``flask content check`` on the words of the settings and the category names in every language.

A text with no translation in an enabled language is a warning (the English is
shown). A translation that drops a ``{placeholder}`` of the English, adds one,
or loses a number (a phone number, 999, "24 hours") is an error: a family
reading it would be told something else.
"""

import re
import tomllib
from pathlib import Path

from app.content.problems import Problem, line_of
from app.site_settings import TRANSLATED_TEXTS, is_language_table, language_tables, read_settings_file

PLACEHOLDER = re.compile(r"\{\w+\}")
NUMBER = re.compile(r"\d+(?:[ .:]\d+)*")


def check_languages(report, content_dir, settings, category_codes):
    names = {language.code: language.name for language in settings.languages}
    if (Path(content_dir) / "settings.toml").exists():
        _check_settings(report, Path(content_dir) / "settings.toml", names)
    _check_categories(report, Path(content_dir) / "directory" / "categories.toml", names, category_codes)


def text_problems(english, translation):
    """What a translation of ``english`` lost or added that it must not: a list of messages."""
    problems = []
    wanted, found = set(PLACEHOLDER.findall(english)), set(PLACEHOLDER.findall(translation))
    if wanted - found:
        problems.append(f"lacks {', '.join(sorted(wanted - found))}")
    if found - wanted:
        problems.append(f"has {', '.join(sorted(found - wanted))}, which the English does not")
    numbers = [number for number in NUMBER.findall(english) if number not in translation]
    if numbers:
        problems.append(f"lacks the number {', '.join(numbers)}")
    return problems


def _check_settings(report, path, names):
    lines = path.read_text(encoding="utf-8").splitlines()
    raw = read_settings_file(path)
    seen = {}
    for key, value in language_tables(raw):
        english = value["en"] if isinstance(value, dict) else value
        # The nth table of the same key (helplines' descriptions) is found after the one before it.
        line = seen[key] = line_of(lines, _toml_string(english), seen.get(key, 0) + 1)
        if not is_language_table(value):
            if key in TRANSLATED_TEXTS and len(names) > 1:
                report.problems.append(Problem(path, line, f"{key} is in English only: write it as a table with "
                                                           "en = and a line for each language", error=False))
            continue
        _check_table(report, path, lines, line, key, value, names)


def _check_categories(report, path, names, category_codes):
    if not path.exists():
        return
    lines = path.read_text(encoding="utf-8").splitlines()
    try:
        raw = tomllib.loads("\n".join(lines))
    except tomllib.TOMLDecodeError as error:
        report.problems.append(Problem(path, 1, f"The category names cannot be read: {error}"))
        return
    for code, table in raw.items():
        line = line_of(lines, f"[{code}]")
        if code not in category_codes:
            report.problems.append(Problem(path, line, f"Unknown category '{code}': use a category code from the directory"))
            continue
        if not isinstance(table, dict) or not all(isinstance(text, str) for text in table.values()):
            report.problems.append(Problem(path, line, f"[{code}] must hold one line for each language, like pl = \"…\""))
            continue
        _check_table(report, path, lines, line, code, {"en": "", **table}, names)
    for code in sorted(category_codes - set(raw)):
        report.problems.append(Problem(path, 1, f"The category '{code}' has no names in other languages: "
                                                "it is shown in English", error=False))


def _check_table(report, path, lines, line, key, table, names):
    for code, text in table.items():
        if code != "en" and code not in names:
            report.problems.append(Problem(path, line, f"{key} has a text in '{code}', which is not a language the "
                                                       "site offers ([[languages]])", error=False))
        elif code != "en" and table["en"]:
            for problem in text_problems(table["en"], text):
                found = line_of(lines, _toml_string(text), line)
                report.problems.append(Problem(path, found, f"{key}: the {names[code]} text {problem}"))
    for code, name in names.items():
        if code != "en" and not table.get(code, "").strip():
            report.problems.append(Problem(path, line, f"{key} has no {name} text ({code} = \"…\"): the English is shown",
                                           error=False))


def _toml_string(text):
    return text.replace("\\", "\\\\").replace('"', '\\"')[:40]
