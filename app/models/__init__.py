"""Database models, one module per aggregate, named after Open Referral UK (HSDS 3.0)."""

from app.models.analytics import DailyCount, DailySalt, DailyVisitor
from app.models.directory_version import DirectoryVersion
from app.models.feed import Feed
from app.models.geo import Postcode
from app.models.job_run import JobRun
from app.models.location import Accessibility, Address, Location
from app.models.organization import Organization
from app.models.referral import OutboxMessage, Referral, ReferralAudit, ReferralDraft, ReferralEvent
from app.models.service import (
    Attribute,
    Contact,
    CostOption,
    FormerSlug,
    Funding,
    Language,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
)
from app.models.service_change import ServiceChange, ServiceVersion
from app.models.service_report import ServiceReport
from app.models.staff import PasswordReset, RecoveryCode, StaffAudit, StaffSession, StaffUser
from app.models.taxonomy import Taxonomy, TaxonomyTerm

__all__ = [
    "Accessibility",
    "Address",
    "Attribute",
    "Contact",
    "CostOption",
    "DailyCount",
    "DailySalt",
    "DailyVisitor",
    "DirectoryVersion",
    "Feed",
    "FormerSlug",
    "Funding",
    "JobRun",
    "Language",
    "Location",
    "Organization",
    "OutboxMessage",
    "PasswordReset",
    "Phone",
    "Postcode",
    "Referral",
    "RecoveryCode",
    "ReferralAudit",
    "ReferralDraft",
    "ReferralEvent",
    "Schedule",
    "Service",
    "ServiceArea",
    "ServiceAtLocation",
    "ServiceChange",
    "ServiceReport",
    "ServiceVersion",
    "StaffAudit",
    "StaffSession",
    "StaffUser",
    "Taxonomy",
    "TaxonomyTerm",
]
