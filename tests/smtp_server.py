"""A real SMTP server for tests (aiosmtpd on 127.0.0.1, a port the OS picks) and what it received."""

from __future__ import annotations

import asyncio
import email
import email.policy
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP as SMTPServer
from aiosmtpd.smtp import Envelope, Session


class _EphemeralController(Controller):
    """aiosmtpd's threaded controller, listening on a port the OS picks (port=0)."""

    def _trigger_server(self) -> None:
        assert isinstance(self.server, asyncio.Server)
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


@dataclass
class Mailbox:
    """What the SMTP server received; addresses in ``refuse`` get a permanent 550."""

    port: int = 0
    received: list[Envelope] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)

    async def handle_RCPT(
        self, server: SMTPServer, session: Session, envelope: Envelope, address: str, rcpt_options: list[str]
    ) -> str:
        if address in self.refuse:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTPServer, session: Session, envelope: Envelope) -> str:
        self.received.append(envelope)
        return "250 Message accepted for delivery"

    def only_message(self) -> tuple[Envelope, EmailMessage]:
        assert len(self.received) == 1
        envelope = self.received[0]
        assert isinstance(envelope.content, bytes)
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        return envelope, parsed


def run_mailbox(**controller_kwargs: Any) -> Iterator[Mailbox]:
    box = Mailbox()
    controller = _EphemeralController(box, hostname="127.0.0.1", port=0, **controller_kwargs)
    controller.start()
    box.port = controller.port
    try:
        yield box
    finally:
        controller.stop()


def messages(box: Mailbox) -> list[EmailMessage]:
    """Every message received so far, parsed (Hangul headers and bodies decoded)."""
    out = []
    for envelope in box.received:
        assert isinstance(envelope.content, bytes)
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        out.append(parsed)
    return out
