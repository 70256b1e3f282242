"""The directory as an Open Referral UK API (HSDS 3.0, UK profile), under ``/api``.

Open, as the profile asks: no key, ``Access-Control-Allow-Origin: *`` on every
answer, JSON errors, and caching headers (``ETag``, ``Last-Modified``,
``Cache-Control``) so that consumers can ask again cheaply. Only services the
site lists appear, and nothing about referrals, staff or visits.
"""

from flask import Blueprint, request
from werkzeug.routing import BaseConverter

from app import errors

bp = Blueprint("api", __name__, url_prefix="/api")


class IdConverter(BaseConverter):
    """An id in a path (``<id:service_id>``): up to 64 printable characters. Anything else is not an id
    of ours and gets the 404 without a query (PostgreSQL refuses a NUL in text)."""

    regex = r"[^/\x00-\x1f\x7f]{1,64}"


@bp.record_once
def _ids(state):
    state.app.url_map.converters["id"] = IdConverter


def is_api_path(path):
    return path == bp.url_prefix or path.startswith(bp.url_prefix + "/")


@bp.record_once
def _errors_in_json(state):
    errors.json_errors(state.app, bp.url_prefix)


@bp.after_app_request
def _open_to_every_site(response):
    # On every answer under /api, errors and unknown addresses included.
    if is_api_path(request.path):
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers.setdefault("Cache-Control", "no-store")
    return response


from app.api import views  # noqa: E402,F401
