"""The council's site settings, read from ``content/settings.toml``.

Nothing council-specific lives in code: the name, brand colour, districts and
their postcode districts, team contacts, urgent help numbers and languages all
come from that file.

A value families read may be written in each language, as a table of language
codes (``[council.family_information_hours]`` with ``en = …``, ``pl = …``).
The settings are read once for each enabled language, each such table becoming
the language's text (or the English, where the language has none):
``settings.in_language("pl")``, or ``current_settings()`` for the request's.
"""

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app

from app.languages import current_language

# The values families read: each should be a table with a text in every enabled language.
TRANSLATED_TEXTS = (
    "council.family_information_hours",
    "urgent_help.emergency_text",
    "urgent_help.childrens_front_door_name",
    "urgent_help.childrens_front_door_hours",
    "helplines.description",
    "referral.professional_how",
    "referral.partners",
)
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})?$")

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


class SettingsError(ValueError):
    """The settings file is missing something or holds a bad value."""


@dataclass(frozen=True)
class PostcodeDistrict:
    code: str
    latitude: float
    longitude: float


@dataclass(frozen=True)
class District:
    name: str
    slug: str
    team_phone: str
    team_email: str
    postcode_districts: tuple[PostcodeDistrict, ...]


@dataclass(frozen=True)
class Helpline:
    name: str
    number: str
    description: str


@dataclass(frozen=True)
class SiteLanguage:
    code: str
    name: str
    direction: str = "ltr"


@dataclass(frozen=True)
class SiteSettings:
    council: dict
    urgent_help: dict
    helplines: tuple[Helpline, ...]
    languages: tuple[SiteLanguage, ...]
    districts: tuple[District, ...]
    referral: dict = field(default_factory=dict)
    _by_outward_code: dict = field(default_factory=dict, repr=False, compare=False)
    _in_languages: dict = field(default_factory=dict, repr=False, compare=False)

    def in_language(self, code):
        """These settings with their texts in the language ``code`` (English where it has none)."""
        return self._in_languages.get(code, self)

    @property
    def language_codes(self):
        return [language.code for language in self.languages]

    def language(self, code):
        for language in self.languages:
            if language.code == code:
                return language
        return self.languages[0]

    def district(self, slug):
        for district in self.districts:
            if district.slug == slug:
                return district
        return None

    def district_for_postcode(self, postcode):
        """The district whose postcode districts include this postcode's outward code."""
        if not postcode:
            return None
        outward = postcode.strip().upper().split(" ")[0]
        found = self._by_outward_code.get(outward)
        return found[0] if found else None

    def postcode_district(self, outward_code):
        """(district, postcode district) for an outward code such as "WR1", or None outside the area."""
        return self._by_outward_code.get((outward_code or "").strip().upper())

    def district_named(self, name):
        wanted = (name or "").strip().casefold()
        for district in self.districts:
            if wanted in (district.name.casefold(), district.slug):
                return district
        return None


def current_settings():
    """The site settings in the language of this request."""
    return current_app.extensions["site_settings"].in_language(current_language())


def read_settings_file(path: Path) -> dict:
    try:
        return tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SettingsError(f"No settings file at {path}") from None
    except tomllib.TOMLDecodeError as error:
        raise SettingsError(f"{path} is not valid TOML: {error}") from None


def is_language_table(value):
    """``{en = "…", pl = "…"}``: one text in several languages."""
    return (
        isinstance(value, dict)
        and "en" in value
        and all(isinstance(key, str) and LANGUAGE_CODE.match(key) for key in value)
        and all(isinstance(text, str) for text in value.values())
    )


def localised(raw, code):
    """The settings as read, with every language table replaced by its text in ``code`` (or in English)."""
    if is_language_table(raw):
        return raw.get(code) or raw["en"]
    if isinstance(raw, dict):
        return {key: localised(value, code) for key, value in raw.items()}
    if isinstance(raw, list):
        return [localised(value, code) for value in raw]
    return raw


def language_tables(raw, path=""):
    """(dotted path, value) of every text families read, and every language table, in the file's order."""
    if is_language_table(raw) or (isinstance(raw, str) and path in TRANSLATED_TEXTS):
        yield path, raw
    elif isinstance(raw, dict):
        for key, value in raw.items():
            yield from language_tables(value, f"{path}.{key}" if path else key)
    elif isinstance(raw, list):
        for value in raw:
            yield from language_tables(value, path)


def load_settings(path: Path) -> SiteSettings:
    raw = read_settings_file(path)
    english = _build(localised(raw, "en"))
    languages = {language.code: _build(localised(raw, language.code)) for language in english.languages}
    for settings in languages.values():
        settings._in_languages.update(languages)
    return languages["en"]


def _build(raw) -> SiteSettings:
    council = _section(raw, "council")
    for key in ("name", "site_name", "brand_colour", "family_information_phone", "exit_page_url"):
        if not council.get(key):
            raise SettingsError(f"[council] needs {key}")
    if not HEX_COLOUR.match(council["brand_colour"]):
        raise SettingsError("[council] brand_colour must be a colour like #005a70")

    districts = tuple(
        District(
            name=d["name"],
            slug=d["slug"],
            team_phone=d["team_phone"],
            team_email=d["team_email"],
            postcode_districts=tuple(
                PostcodeDistrict(p["code"].upper(), float(p["latitude"]), float(p["longitude"]))
                for p in d["postcode_districts"]
            ),
        )
        for d in raw.get("districts", [])
    )
    if not districts:
        raise SettingsError("The settings need at least one [[districts]] entry")
    languages = tuple(SiteLanguage(**language) for language in raw.get("languages", []))
    if not languages or languages[0].code != "en":
        raise SettingsError("The first [[languages]] entry must be English (code = \"en\")")
    by_outward = {p.code: (d, p) for d in districts for p in d.postcode_districts}
    return SiteSettings(
        council=council,
        urgent_help=_section(raw, "urgent_help"),
        helplines=tuple(Helpline(**h) for h in raw.get("helplines", [])),
        languages=languages,
        districts=districts,
        referral=_referral(raw.get("referral", {})),
        _by_outward_code=by_outward,
    )


def _referral(section):
    partners = section.get("partners", [])
    if not isinstance(partners, list) or not all(isinstance(name, str) and name for name in partners):
        raise SettingsError("[referral] partners must be a list of service names")
    return {
        "partners": partners,
        "professional_how": str(section.get("professional_how", "")),
        "professional_url": str(section.get("professional_url", "")),
    }


def _section(raw, name):
    section = raw.get(name)
    if not isinstance(section, dict):
        raise SettingsError(f"The settings need a [{name}] section")
    return section
