"""The built CSS and JavaScript, served by WhiteNoise before a request reaches Flask.

``assets/build.py`` names each file with a hash of its content and writes a
gzip and a Brotli copy beside it. A hashed name never changes its content, so
browsers may keep it for a year without asking again (``immutable``); other
files get an hour. WhiteNoise sends the compressed copy a browser asks for, with
``Vary: Accept-Encoding``, and never compresses on the fly. The site's security
headers go on these answers too.
"""

import re

from whitenoise import WhiteNoise

YEAR = 365 * 24 * 3600
HASHED = re.compile(r"\.[0-9a-f]{10}\.")


def init_app(app, headers):
    def add_headers(sent, path, url):
        if HASHED.search(url):
            sent["Cache-Control"] = f"public, max-age={YEAR}, immutable"
        for name, value in headers.items():
            sent.setdefault(name, value)

    app.wsgi_app = WhiteNoise(
        app.wsgi_app, root=app.static_folder, prefix="static/", max_age=3600,
        autorefresh=bool(app.debug or app.testing), add_headers_function=add_headers,
    )
