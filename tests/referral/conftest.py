"""A real SMTP server (aiosmtpd) on this machine, and apps whose email goes to it."""

import socket
import threading

import pytest
from aiosmtpd.controller import Controller


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Mailbox:
    """Records every message the server accepts."""

    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.messages.append({
                "to": list(envelope.rcpt_tos),
                "text": envelope.content.decode("utf-8", "replace"),
            })
        return "250 Message accepted for delivery"


class SmtpServer:
    def __init__(self):
        self.port = free_port()
        self.mailbox = Mailbox()
        self.controller = None

    def start(self):
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def messages(self):
        return list(self.mailbox.messages)


@pytest.fixture
def smtp():
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def mail_app(app_with, smtp):
    """An app on the test database whose email goes to the local SMTP server."""
    return app_with(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port)
