"""Codes the data is written in: the Family Hub taxonomies that services' attributes point into, and the statuses the public sees."""

CATEGORIES = "family-hub-categories"
NEED_LEVELS = "family-hub-need-levels"
ACCESS = "family-hub-access"
DELIVERY = "family-hub-delivery"
ELIGIBILITY = "family-hub-eligibility"
FEATURES = "family-hub-features"

PREGNANCY = "pregnancy"
OPEN_ON_BANK_HOLIDAYS = "open-on-bank-holidays"

# Statuses shown to the public; "inactive" and "defunct" services are hidden.
LISTED_STATUSES = ("active", "temporarily closed")
