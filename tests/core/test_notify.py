"""Voice-box replies reach the visitor: e-mail through a real SMTP server (aiosmtpd), text messages
through a real HTTP gateway (http.server), both on 127.0.0.1 with ephemeral ports.

What staff and visitors notice: the Hangul arrives readable, the right person gets it, and a
failure says whether it will go through later (keep it queued) or needs a fix (tell staff).
"""

from __future__ import annotations

import email
import email.policy
import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.smtp import SMTP as SMTPServer
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword, Session

from kiosk.services.notify import (
    SMS_MAX_CHARS,
    Notice,
    NotifyConfigError,
    NotifyError,
    RoutingNotifier,
    SmsGatewayNotifier,
    SmtpNotifier,
    normalize_mobile,
    notifier_from_config,
)
from tests.smtp_server import Mailbox, run_mailbox

SENDER = "한빛시설관리공단 민원실 <minwon@hanbit.example.go.kr>"
SUBJECT = "[접수 20261125-0007] 고객의 소리 답변 안내"
BODY = (
    "김민수 님, 남겨 주신 의견에 답변드립니다.\n"
    "2층 화장실 손잡이는 12월 2일(수)까지 교체하겠습니다.\n"
    "Thank you for your feedback.\n"
)


def notice(to: str, **changes: Any) -> Notice:
    fields: dict[str, Any] = {
        "to": to,
        "subject": SUBJECT,
        "body": BODY,
        "kind": "answer",
        "reference": "20261125-0007",
    }
    fields.update(changes)
    return Notice(**fields)


def free_port() -> int:
    """A port nothing listens on (bound once by the OS, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# -- a real SMTP server -----------------------------------------------------------------------------


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    yield from run_mailbox()


def _authenticate(
    server: SMTPServer, session: Session, envelope: Envelope, mechanism: str, auth_data: Any
) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (b"kiosk", b"s3cret")
    return AuthResult(success=ok, handled=False)  # not handled: the server answers 535 itself


@pytest.fixture
def auth_mailbox() -> Iterator[Mailbox]:
    """A server that insists on a login (over plain TCP: this is loopback)."""
    yield from run_mailbox(authenticator=_authenticate, auth_required=True, auth_require_tls=False)


def smtp(box: Mailbox, **kwargs: Any) -> SmtpNotifier:
    return SmtpNotifier("127.0.0.1", box.port, SENDER, timeout=2, local_hostname="kiosk-1", **kwargs)


# -- e-mail -----------------------------------------------------------------------------------------


def test_email_arrives_with_hangul_subject_and_body_intact(mailbox: Mailbox) -> None:
    smtp(mailbox).send(notice("visitor@example.com"))

    envelope, msg = mailbox.only_message()
    assert envelope.mail_from == "minwon@hanbit.example.go.kr"
    assert envelope.rcpt_tos == ["visitor@example.com"]
    assert msg["To"] == "visitor@example.com"
    assert msg["Subject"] == SUBJECT
    assert msg["From"].addresses[0].display_name == "한빛시설관리공단 민원실"
    assert msg.get_content_type() == "text/plain"
    assert msg.get_content_charset() == "utf-8"
    assert msg.get_content() == BODY
    # Encoded words and base64: the whole message is 7-bit, so no relay on the way can mangle it.
    assert isinstance(envelope.content, bytes) and envelope.content.isascii()


def test_email_has_message_id_date_and_reference(mailbox: Mailbox) -> None:
    notifier = smtp(mailbox)
    notifier.send(notice("visitor@example.com"))
    notifier.send(notice("visitor@example.com", kind="delay"))

    ids = []
    for envelope in mailbox.received:
        assert isinstance(envelope.content, bytes)
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert msg["Message-ID"].startswith("<") and msg["Message-ID"].endswith("@hanbit.example.go.kr>")
        assert parsedate_to_datetime(msg["Date"]).tzinfo is not None
        assert msg["X-Kiosk-Reference"] == "20261125-0007"
        assert msg["Auto-Submitted"] == "auto-generated"
        ids.append(msg["Message-ID"])
    assert len(set(ids)) == 2, "every e-mail gets its own Message-ID"


def test_refused_recipient_is_not_retryable(mailbox: Mailbox) -> None:
    mailbox.refuse.add("nobody@example.com")

    with pytest.raises(NotifyError) as caught:
        smtp(mailbox).send(notice("nobody@example.com"))

    assert caught.value.retryable is False
    assert "550" in caught.value.reason and "User unknown" in caught.value.reason
    assert mailbox.received == []


def test_mail_server_down_is_retryable() -> None:
    notifier = SmtpNotifier("127.0.0.1", free_port(), SENDER, timeout=1, local_hostname="kiosk-1")

    with pytest.raises(NotifyError) as caught:
        notifier.send(notice("visitor@example.com"))

    assert caught.value.retryable is True
    assert "cannot be reached" in caught.value.reason


def test_mail_server_that_never_greets_times_out_retryably() -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)  # the kernel accepts the connection; nobody ever says 220
        notifier = SmtpNotifier("127.0.0.1", listener.getsockname()[1], SENDER, timeout=0.3, local_hostname="kiosk-1")
        with pytest.raises(NotifyError) as caught:
            notifier.send(notice("visitor@example.com"))

    assert caught.value.retryable is True


# aiosmtpd warns that AUTH without TLS is unsafe; on loopback in a test that is the point.
insecure_auth_ok = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")


@insecure_auth_ok
def test_login_then_send(auth_mailbox: Mailbox) -> None:
    smtp(auth_mailbox, username="kiosk", password="s3cret").send(notice("visitor@example.com"))

    _, msg = auth_mailbox.only_message()
    assert msg["Subject"] == SUBJECT


@insecure_auth_ok
def test_wrong_password_is_not_retryable(auth_mailbox: Mailbox) -> None:
    with pytest.raises(NotifyError) as caught:
        smtp(auth_mailbox, username="kiosk", password="wrong").send(notice("visitor@example.com"))

    assert caught.value.retryable is False
    assert "535" in caught.value.reason
    assert auth_mailbox.received == []


def test_starttls_never_falls_back_to_clear_text(mailbox: Mailbox) -> None:
    """The server offers no STARTTLS: the notifier stops rather than send in the clear."""
    with pytest.raises(NotifyError) as caught:
        smtp(mailbox, starttls=True).send(notice("visitor@example.com"))

    assert caught.value.retryable is False
    assert "STARTTLS" in caught.value.reason
    assert mailbox.received == []


def test_line_break_in_subject_cannot_add_headers(mailbox: Mailbox) -> None:
    with pytest.raises(NotifyError) as caught:
        smtp(mailbox).send(notice("visitor@example.com", subject="답변\r\nBcc: someone@example.net"))

    assert caught.value.retryable is False
    assert mailbox.received == []


def test_email_notifier_refuses_a_phone_number(mailbox: Mailbox) -> None:
    with pytest.raises(NotifyError) as caught:
        smtp(mailbox).send(notice("010-1234-5678"))

    assert caught.value.retryable is False
    assert mailbox.received == []


# -- a real SMS gateway -----------------------------------------------------------------------------


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8"))


@dataclass
class Gateway:
    """What the gateway received, and how it answers (``hold`` makes it wait before answering)."""

    url: str = ""
    status: int = 202
    reply: dict[str, Any] = field(default_factory=lambda: {"id": "msg-1", "status": "queued"})
    extra_headers: dict[str, str] = field(default_factory=dict)
    hold: bool = False
    release: threading.Event = field(default_factory=threading.Event)
    received: list[Received] = field(default_factory=list)


class _GatewayServer(ThreadingHTTPServer):
    daemon_threads = True
    gateway: Gateway

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that timed out and left: expected in the timeout test


class _GatewayHandler(BaseHTTPRequestHandler):
    server: _GatewayServer

    def _answer(self) -> None:
        gateway = self.server.gateway
        length = int(self.headers.get("Content-Length") or 0)
        gateway.received.append(Received(self.command, self.path, dict(self.headers.items()), self.rfile.read(length)))
        if gateway.hold:
            gateway.release.wait(5)
        payload = json.dumps(gateway.reply, ensure_ascii=False).encode("utf-8")
        self.send_response(gateway.status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in gateway.extra_headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    do_POST = _answer
    do_GET = _answer

    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test output quiet: the base class prints every request to stderr."""


@pytest.fixture
def gateway() -> Iterator[Gateway]:
    server = _GatewayServer(("127.0.0.1", 0), _GatewayHandler)
    gw = Gateway(url=f"http://127.0.0.1:{server.server_address[1]}/v1/messages")
    server.gateway = gw
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield gw
    finally:
        gw.release.set()
        server.shutdown()
        server.server_close()
        thread.join(2)


def sms(gw: Gateway, timeout: float = 2) -> SmsGatewayNotifier:
    return SmsGatewayNotifier(gw.url, "key-123", "02-1234-5678", timeout=timeout)


def test_sms_posts_json_with_bearer_key(gateway: Gateway) -> None:
    sms(gateway).send(notice("010-9876-5432"))

    assert len(gateway.received) == 1
    request = gateway.received[0]
    assert (request.method, request.path) == ("POST", "/v1/messages")
    assert request.headers["Authorization"] == "Bearer key-123"
    assert request.headers["Content-Type"].startswith("application/json")
    assert request.json() == {
        "to": "01098765432",
        "from": "02-1234-5678",
        "text": BODY,
        "reference": "20261125-0007",
    }


def test_sms_400_is_not_retryable_and_carries_the_gateways_message(gateway: Gateway) -> None:
    gateway.status = 400
    gateway.reply = {"error": {"code": "E_SENDER", "message": "등록되지 않은 발신번호입니다"}}

    with pytest.raises(NotifyError) as caught:
        sms(gateway).send(notice("01098765432"))

    assert caught.value.retryable is False
    assert "400" in caught.value.reason
    assert "등록되지 않은 발신번호입니다" in caught.value.reason


@pytest.mark.parametrize(
    ("status", "retryable"),
    [(401, False), (422, False), (429, True), (500, True), (503, True)],
)
def test_sms_status_decides_retry(gateway: Gateway, status: int, retryable: bool) -> None:
    gateway.status = status
    gateway.reply = {"message": f"status {status} from the gateway"}

    with pytest.raises(NotifyError) as caught:
        sms(gateway).send(notice("01098765432"))

    assert caught.value.retryable is retryable
    assert f"status {status} from the gateway" in caught.value.reason


def test_sms_gateway_timeout_is_retryable(gateway: Gateway) -> None:
    gateway.hold = True

    with pytest.raises(NotifyError) as caught:
        sms(gateway, timeout=0.3).send(notice("01098765432"))

    assert caught.value.retryable is True
    assert len(gateway.received) == 1


def test_sms_gateway_down_is_retryable() -> None:
    notifier = SmsGatewayNotifier(f"http://127.0.0.1:{free_port()}/send", "key-123", "0212345678", timeout=1)

    with pytest.raises(NotifyError) as caught:
        notifier.send(notice("01098765432"))

    assert caught.value.retryable is True


def test_sms_redirect_is_not_taken_for_sent(gateway: Gateway) -> None:
    """A POST that is redirected would arrive as an empty GET; it must fail, not count as sent."""
    gateway.status = 302
    gateway.extra_headers = {"Location": "/elsewhere"}

    with pytest.raises(NotifyError) as caught:
        sms(gateway).send(notice("01098765432"))

    assert caught.value.retryable is False
    assert [r.method for r in gateway.received] == ["POST"]


def test_sms_too_long_is_refused_before_sending(gateway: Gateway) -> None:
    notifier = sms(gateway)
    notifier.send(notice("01098765432", body="가" * SMS_MAX_CHARS))  # the limit itself still goes

    with pytest.raises(NotifyError) as caught:
        notifier.send(notice("01098765432", body="가" * (SMS_MAX_CHARS + 1)))

    assert caught.value.retryable is False
    assert str(SMS_MAX_CHARS) in caught.value.reason
    assert len(gateway.received) == 1


def test_sms_refuses_a_landline(gateway: Gateway) -> None:
    with pytest.raises(NotifyError) as caught:
        sms(gateway).send(notice("02-123-4567"))

    assert caught.value.retryable is False
    assert gateway.received == []


# -- routing ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "digits"),
    [
        ("010-1234-5678", "01012345678"),
        ("01012345678", "01012345678"),
        ("010 1234 5678", "01012345678"),
        ("+82 10 1234 5678", "01012345678"),
        ("+82-10-1234-5678", "01012345678"),
        ("+82 010-1234-5678", "01012345678"),
        (" 011-234-5678 ", "0112345678"),
        ("02-123-4567", None),
        ("1588-1234", None),
        ("010-1234-567", None),
        ("+1 415 555 0100", None),
        ("visitor@example.com", None),
    ],
)
def test_mobile_numbers_as_people_type_them(typed: str, digits: str | None) -> None:
    assert normalize_mobile(typed) == digits


def test_routing_sends_email_by_smtp_and_phone_by_sms(mailbox: Mailbox, gateway: Gateway) -> None:
    router = RoutingNotifier(email=smtp(mailbox), sms=sms(gateway))

    router.send(notice("visitor@example.com"))
    router.send(notice("+82 10 1234 5678", kind="delay"))
    router.send(notice("010-2222-3333"))

    _, msg = mailbox.only_message()
    assert msg["To"] == "visitor@example.com"
    assert [r.json()["to"] for r in gateway.received] == ["01012345678", "01022223333"]


def test_routing_without_a_fitting_channel_refuses(mailbox: Mailbox) -> None:
    router = RoutingNotifier(email=smtp(mailbox), sms=None)

    assert router.can_reach("visitor@example.com")
    assert not router.can_reach("010-1234-5678")
    with pytest.raises(NotifyError) as caught:
        router.send(notice("010-1234-5678"))
    assert caught.value.retryable is False
    assert "text messages" in caught.value.reason
    assert mailbox.received == []


@pytest.mark.parametrize("address", ["02-123-4567", "김민수", "", "visitor@", "visitor at example.com"])
def test_routing_refuses_what_is_neither_email_nor_mobile(mailbox: Mailbox, gateway: Gateway, address: str) -> None:
    router = RoutingNotifier(email=smtp(mailbox), sms=sms(gateway))

    with pytest.raises(NotifyError) as caught:
        router.send(notice(address))

    assert caught.value.retryable is False
    assert mailbox.received == [] and gateway.received == []


# -- configuration ----------------------------------------------------------------------------------


def test_config_without_channels_gives_none() -> None:
    assert notifier_from_config({}) is None
    assert notifier_from_config({"smtp_host": "", "sms_url": "", "smtp_starttls": False}) is None


def test_config_builds_working_channels(mailbox: Mailbox, gateway: Gateway) -> None:
    notifier = notifier_from_config(
        {
            "smtp_host": "127.0.0.1",
            "smtp_port": mailbox.port,
            "smtp_sender": SENDER,
            "sms_url": gateway.url,
            "sms_api_key": "key-123",
            "sms_sender": "02-1234-5678",
        }
    )
    assert notifier is not None

    notifier.send(notice("visitor@example.com"))
    notifier.send(notice("010-1234-5678"))

    _, msg = mailbox.only_message()
    assert msg["Subject"] == SUBJECT
    assert gateway.received[0].headers["Authorization"] == "Bearer key-123"


def test_config_email_only_cannot_text() -> None:
    notifier = notifier_from_config({"smtp_host": "mail.example.go.kr", "smtp_sender": "minwon@example.go.kr"})

    assert isinstance(notifier, RoutingNotifier)
    assert isinstance(notifier.email, SmtpNotifier) and notifier.email.port == 25
    assert not notifier.can_reach("010-1234-5678")


def test_config_starttls_defaults_to_submission_port() -> None:
    notifier = notifier_from_config(
        {"smtp_host": "mail.example.go.kr", "smtp_sender": "minwon@example.go.kr", "smtp_starttls": True}
    )

    assert isinstance(notifier, RoutingNotifier) and isinstance(notifier.email, SmtpNotifier)
    assert (notifier.email.port, notifier.email.starttls) == (587, True)


@pytest.mark.parametrize(
    ("table", "named"),
    [
        ({"smtp_host": "mail.example.go.kr"}, "notify.smtp_sender"),
        ({"smtp_sender": "minwon@example.go.kr"}, "notify.smtp_host"),
        ({"smtp_host": "mail.example.go.kr", "smtp_sender": "minwon@example.go.kr", "smtp_port": "abc"}, "smtp_port"),
        ({"smtp_host": "mail.example.go.kr", "smtp_sender": "not an address"}, "sender"),
        ({"sms_url": "http://127.0.0.1:9/send", "sms_sender": "0212345678"}, "notify.sms_api_key"),
        ({"sms_url": "ftp://gateway/send", "sms_api_key": "k", "sms_sender": "0212345678"}, "http"),
        ({"smtp_hots": "mail.example.go.kr"}, "smtp_hots"),
    ],
)
def test_config_mistakes_name_the_field(table: dict[str, Any], named: str) -> None:
    with pytest.raises(NotifyConfigError, match=named):
        notifier_from_config(table)
