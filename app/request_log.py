"""The development server's request log, without the visitor's address or query strings.

Werkzeug writes a line for each request, starting with the client's address and
holding the full request line, query string and all (a search, a postcode).
This filter rewrites each line of the ``werkzeug`` logger before it is written.
In production, gunicorn writes no access log unless asked (see the README).
"""

import logging
import re

_ADDRESS = re.compile(r"^\S+ - - \[")
# From a "?" to the request line's " HTTP/1.1" (or to the end of a line that has
# none): a query can hold quotes and spaces, so nothing in it may end the cut.
_QUERY = re.compile(r"\?.*?(?=\s+HTTP/\d(?:\.\d)?\b|$)", re.MULTILINE)


class WithoutPersonalData(logging.Filter):
    def filter(self, record):
        try:
            message = record.getMessage()
        except Exception:  # a record that cannot be formatted is written as it is
            return True
        message = _ADDRESS.sub("- - - [", message)
        record.msg, record.args = _QUERY.sub("", message), ()
        return True


def init_app(app):
    werkzeug = logging.getLogger("werkzeug")
    if not any(isinstance(found, WithoutPersonalData) for found in werkzeug.filters):
        werkzeug.addFilter(WithoutPersonalData())
