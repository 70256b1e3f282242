"""Flask's signed-cookie session, without its cost on the many requests that carry no cookie.

Public pages set no cookie, so nearly every request comes without one; Flask
built its signer (an itsdangerous serializer) for each of them anyway, about a
tenth of the time a page from the cache takes. Without a session cookie the
session is simply empty, as Flask's own would be; with one, Flask reads it.
"""

from flask.sessions import SecureCookieSessionInterface


class CookieSessions(SecureCookieSessionInterface):
    def open_session(self, app, request):
        if app.secret_key and not request.cookies.get(self.get_cookie_name(app)):
            return self.session_class()
        return super().open_session(app, request)
