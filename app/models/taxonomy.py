from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db


class Taxonomy(db.Model):
    """A vocabulary of terms, such as the service categories (HSDS ``taxonomy``)."""

    __tablename__ = "taxonomy"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    code: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    description: Mapped[str] = mapped_column(Text, default="")
    uri: Mapped[str | None] = mapped_column(String(500))
    version: Mapped[str | None] = mapped_column(String(50))

    terms: Mapped[list["TaxonomyTerm"]] = relationship(back_populates="taxonomy")


class TaxonomyTerm(db.Model):
    """One term; categories have two levels through ``parent_id``."""

    __tablename__ = "taxonomy_term"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    taxonomy_id: Mapped[str] = mapped_column(ForeignKey("taxonomy.id"), index=True)
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("taxonomy_term.id"), index=True)
    term: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(255))
    description: Mapped[str] = mapped_column(Text, default="")
    term_uri: Mapped[str | None] = mapped_column(String(500))

    taxonomy: Mapped[Taxonomy] = relationship(back_populates="terms")
    parent: Mapped["TaxonomyTerm | None"] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list["TaxonomyTerm"]] = relationship(
        back_populates="parent", order_by="TaxonomyTerm.name"
    )

    __table_args__ = (db.UniqueConstraint("taxonomy_id", "term", name="uq_taxonomy_term_code"),)
