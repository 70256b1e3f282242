from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import Date, DateTime, ForeignKey, Integer, Numeric, String, Text, Time
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.feed import Feed
from app.models.location import Location
from app.models.organization import Organization
from app.models.taxonomy import TaxonomyTerm

_CHILDREN = "all, delete-orphan"


class Service(db.Model):
    """A service a family can use (HSDS ``service``).

    Need level, ways in, delivery and eligibility are ``attributes``: links to
    terms of the Family Hub taxonomies, as HSDS intends.
    """

    __tablename__ = "service"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    organization_id: Mapped[str | None] = mapped_column(ForeignKey("organization.id"), index=True)
    name: Mapped[str] = mapped_column(String(255))
    description: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str | None] = mapped_column(String(500))
    email: Mapped[str | None] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(20), default="active", index=True)
    fees: Mapped[str | None] = mapped_column(Text)
    accreditations: Mapped[str | None] = mapped_column(Text)
    minimum_age: Mapped[int | None] = mapped_column(Integer)
    maximum_age: Mapped[int | None] = mapped_column(Integer)
    assured_date: Mapped[date | None] = mapped_column(Date)
    assurer_email: Mapped[str | None] = mapped_column(String(255))
    alert: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Pulled from another organisation's feed; None for the council's own services.
    feed_id: Mapped[str | None] = mapped_column(ForeignKey("feed.id"), index=True)

    organization: Mapped[Organization | None] = relationship()
    feed: Mapped[Feed | None] = relationship()
    phones: Mapped[list["Phone"]] = relationship(cascade=_CHILDREN, order_by="Phone.id")
    contacts: Mapped[list["Contact"]] = relationship(cascade=_CHILDREN, order_by="Contact.id")
    schedules: Mapped[list["Schedule"]] = relationship(cascade=_CHILDREN, order_by="Schedule.id")
    service_areas: Mapped[list["ServiceArea"]] = relationship(cascade=_CHILDREN, order_by="ServiceArea.id")
    service_at_locations: Mapped[list["ServiceAtLocation"]] = relationship(
        cascade=_CHILDREN, order_by="ServiceAtLocation.id", back_populates="service"
    )
    languages: Mapped[list["Language"]] = relationship(cascade=_CHILDREN, order_by="Language.id")
    cost_options: Mapped[list["CostOption"]] = relationship(cascade=_CHILDREN, order_by="CostOption.id")
    funding: Mapped[list["Funding"]] = relationship(cascade=_CHILDREN, order_by="Funding.id")
    attributes: Mapped[list["Attribute"]] = relationship(cascade=_CHILDREN, order_by="Attribute.id")

    def terms(self, taxonomy_code):
        """The service's terms from one taxonomy, e.g. ``family-hub-access``."""
        return [a.taxonomy_term for a in self.attributes if a.taxonomy_term.taxonomy.code == taxonomy_code]


class Phone(db.Model):
    __tablename__ = "phone"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    service_id: Mapped[str | None] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"), index=True)
    contact_id: Mapped[str | None] = mapped_column(ForeignKey("contact.id", ondelete="CASCADE"), index=True)
    number: Mapped[str] = mapped_column(String(40))
    description: Mapped[str | None] = mapped_column(Text)


class Contact(db.Model):
    __tablename__ = "contact"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"), index=True)
    name: Mapped[str | None] = mapped_column(String(255))
    title: Mapped[str | None] = mapped_column(String(255))
    email: Mapped[str | None] = mapped_column(String(255))

    phones: Mapped[list[Phone]] = relationship(cascade=_CHILDREN, order_by="Phone.id")


class Schedule(db.Model):
    """A weekly session: the days in ``byday`` (e.g. ``MO,WE``) from opens_at to closes_at."""

    __tablename__ = "schedule"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"), index=True)
    freq: Mapped[str | None] = mapped_column(String(10))
    interval: Mapped[int | None] = mapped_column(Integer)
    byday: Mapped[str | None] = mapped_column(String(40))
    opens_at: Mapped[time | None] = mapped_column(Time)
    closes_at: Mapped[time | None] = mapped_column(Time)
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    description: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    attending_type: Mapped[str | None] = mapped_column(Text)


class ServiceArea(db.Model):
    """Where a service is offered; for the directory, a district's name."""

    __tablename__ = "service_area"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"), index=True)
    name: Mapped[str | None] = mapped_column(String(255))
    extent: Mapped[str | None] = mapped_column(Text)
    extent_type: Mapped[str | None] = mapped_column(String(20))
    uri: Mapped[str | None] = mapped_column(String(500))


class ServiceAtLocation(db.Model):
    __tablename__ = "service_at_location"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"), index=True)
    location_id: Mapped[str] = mapped_column(ForeignKey("location.id"), index=True)

    location: Mapped[Location] = relationship()
    service: Mapped[Service] = relationship(back_populates="service_at_locations")


class Language(db.Model):
    __tablename__ = "language"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"), index=True)
    name: Mapped[str | None] = mapped_column(String(120))
    code: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)


class CostOption(db.Model):
    __tablename__ = "cost_option"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"), index=True)
    option: Mapped[str | None] = mapped_column(Text)
    amount: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    amount_description: Mapped[str | None] = mapped_column(Text)
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)


class Funding(db.Model):
    __tablename__ = "funding"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"), index=True)
    source: Mapped[str | None] = mapped_column(Text)


class Attribute(db.Model):
    """A link from a service to a taxonomy term (HSDS ``attribute``)."""

    __tablename__ = "attribute"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"), index=True)
    taxonomy_term_id: Mapped[str] = mapped_column(ForeignKey("taxonomy_term.id"), index=True)
    link_type: Mapped[str | None] = mapped_column(String(50))

    taxonomy_term: Mapped[TaxonomyTerm] = relationship(lazy="joined")


class FormerSlug(db.Model):
    """A slug a service no longer answers to: it was renamed (and has a new slug) or it was removed.

    Links made earlier, such as a family's list of services, keep working: a renamed
    service is found by its id, and a removed one is named as no longer available.
    """

    __tablename__ = "former_slug"

    slug: Mapped[str] = mapped_column(String(120), primary_key=True)
    service_id: Mapped[str] = mapped_column(String(36), index=True)  # no foreign key: the service may be gone
    name: Mapped[str] = mapped_column(String(255))  # the service's name when it lost the slug
    retired_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
