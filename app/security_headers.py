"""Security headers on every response, with the Content-Security-Policy built from a dict."""

import base64
import hashlib
import re
from importlib import resources

# The GOV.UK Frontend page template starts <body> with one tiny inline script
# that marks the page as able to run JavaScript; it is allowed by its hash only.
_TEMPLATE_SCRIPT = re.compile(r"<script[^>]*>(.*?)</script>", re.S)


def template_script_hash():
    template = resources.files("govuk_frontend_jinja").joinpath("templates/template.html").read_text()
    script = _TEMPLATE_SCRIPT.search(template).group(1)
    digest = hashlib.sha256(script.encode()).digest()
    return "'sha256-" + base64.b64encode(digest).decode() + "'"


def content_security_policy(script_hashes=()):
    policy = {
        "default-src": ["'self'"],
        "script-src": ["'self'", *script_hashes],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
    return "; ".join(f"{directive} {' '.join(sources)}" for directive, sources in policy.items())


def security_headers(app):
    """The headers every answer carries, pages and static files alike."""
    headers = {
        "Content-Security-Policy": content_security_policy([template_script_hash()]),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "X-Frame-Options": "DENY",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
        "Cross-Origin-Opener-Policy": "same-origin",
    }
    if app.config.get("SEND_HSTS"):
        headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    return headers


def init_app(app, headers):
    """Put ``headers`` (``security_headers(app)``) on every answer the app makes."""

    names = {name.lower() for name in headers}
    every = list(headers.items())

    @app.after_request
    def add_security_headers(response):
        # One pass over the answer's headers instead of a setdefault (a pass each) per header.
        present = {name.lower() for name in response.headers.keys()} & names
        response.headers.extend(every if not present else [(n, v) for n, v in every if n.lower() not in present])
        return response
