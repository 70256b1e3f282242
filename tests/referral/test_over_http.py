"""The families of the HTTP tests follow a redirect as a browser does."""

import socket
import threading

from tests.referral.over_http import Family


def serve(answers):
    """A server that sends each answer in turn on a new connection, then closes it."""
    listener = socket.create_server(("127.0.0.1", 0))

    def run():
        for answer in answers:
            connection, _ = listener.accept()
            with connection:
                connection.recv(65536)
                connection.sendall(answer)
        listener.close()

    threading.Thread(target=run, daemon=True).start()
    return listener.getsockname()[1]


def test_a_redirect_cut_off_after_its_headers_still_leads_to_the_next_page():
    # The server that sent "See other" died before its body, as gunicorn can between its two writes.
    cut = b"HTTP/1.1 303 See Other\r\nLocation: /refer/sent\r\nContent-Length: 209\r\nConnection: close\r\n\r\n"
    body = b"<p>Your reference</p>"
    sent = b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(body), body)
    port = serve([cut, sent])
    assert Family(port).open("/refer/check", {"csrf_token": "x"}) == ("/refer/sent", "<p>Your reference</p>")
