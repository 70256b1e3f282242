"""What the logs never hold: a visitor's address, what they searched for, or values from a database statement."""

import logging
import socket
import threading

from sqlalchemy import text
from werkzeug.serving import make_server

from app.extensions import db

SECRET_EMAIL = "someone.private@example.org"


class Kept(logging.Handler):
    def __init__(self):
        super().__init__()
        self.lines = []

    def emit(self, record):
        self.lines.append(self.format(record))


def raw_request(port, target):
    """Send a request line exactly as given (quotes, spaces and all), as a script might."""
    with socket.create_connection(("127.0.0.1", port)) as connection:
        connection.sendall(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        while connection.recv(65536):
            pass


def test_the_development_servers_request_log_holds_no_query_or_address(app):
    kept = Kept()
    werkzeug = logging.getLogger("werkzeug")
    werkzeug.addHandler(kept)
    level = werkzeug.level
    werkzeug.setLevel(logging.INFO)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        for target in ('/services?q="family+support"&postcode=WR1+2AB',
                       "/services?q=%22family%20support%22&postcode=WR1%202AB",
                       "/services?q='family support'&postcode=WR1 2AB",
                       '/services?q=x"%20HTTP/1.1"&postcode=WR1+2AB'):
            raw_request(server.port, target)
    finally:
        server.shutdown()
        werkzeug.removeHandler(kept)
        werkzeug.setLevel(level)
    logged = "\n".join(kept.lines)
    assert logged.count("/services") >= 4, logged
    for secret in ("family", "WR1", "2AB", "postcode", "127.0.0.1"):
        assert secret not in logged, (secret, logged)


def test_a_database_error_logged_holds_no_values_from_the_statement(app, caplog):
    with app.app_context():
        try:
            db.session.execute(text("SELECT id FROM no_such_table WHERE email = :email"), {"email": SECRET_EMAIL})
        except Exception as error:  # what the error handler would log
            app.logger.exception("Unhandled error")
            message = str(error)
        finally:
            db.session.rollback()
    assert "no_such_table" in message
    assert SECRET_EMAIL not in message
    assert SECRET_EMAIL not in caplog.text
