"""Small pieces of the domain that several features share.

Postcodes, the three boxes of a date input and whole numbers typed into forms:
plain Python (the postcode table aside), below every feature. Features import
these; these import no feature.
"""
