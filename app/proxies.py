"""Proxies and hosts: whom to believe about the client's address and the site's name.

``TRUSTED_PROXIES`` is how many proxies (a load balancer, then nginx, say) stand
in front of the site. Each adds itself to ``X-Forwarded-For``; Werkzeug's
ProxyFix takes that many from the right, so rate limits count the real client,
and no one can escape them by sending the header themselves. With none (the
default) the header is ignored. ``TRUSTED_HOSTS`` is Flask's: in production a
request for any name but the site's own (``SITE_URL``) gets a 400.
"""

from urllib.parse import urlsplit

from werkzeug.middleware.proxy_fix import ProxyFix


def init_app(app):
    proxies = app.config["TRUSTED_PROXIES"]
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)


def trusted_hosts(site_url, more):
    """The site's own host name, and any others given (comma-separated), for Flask's TRUSTED_HOSTS."""
    hosts = [urlsplit(site_url).hostname or ""] + [host.strip() for host in more.split(",") if host.strip()]
    return [host for host in hosts if host]
