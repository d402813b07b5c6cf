"""Telling visitors the answer to what they left in the voice box, by e-mail or by text message.

A visitor who left a contact and consented is told the answer, or why it is late and the new date
(seeds S10/S11). The use cases hand a :class:`Notice` to a :class:`Notifier`; which channel carries
it follows from the address the visitor typed: an e-mail address goes by SMTP, a Korean mobile
number through the facility's SMS/LMS gateway over HTTP. Every failure is a :class:`NotifyError`
that says why and whether trying again later can help, so the caller can keep the notice queued
(a full mailbox, a gateway outage) or tell staff to fix the contact (a refused recipient, a
landline number) instead of retrying forever.

Standard library only (smtplib, email, urllib): no runtime dependency, no Qt.
"""

from __future__ import annotations

import json
import re
import smtplib
import ssl
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from http.client import HTTPException, HTTPMessage
from typing import IO, Any, Literal, Protocol

SMS_MAX_CHARS = 2000
"""The longest body the SMS gateway is given (an LMS); longer ones are refused, never cut."""

_SMTP_CONFIG_KEYS = ("smtp_host", "smtp_port", "smtp_sender", "smtp_username", "smtp_password", "smtp_starttls")
_SMS_CONFIG_KEYS = ("sms_url", "sms_api_key", "sms_sender")
CONFIG_KEYS = _SMTP_CONFIG_KEYS + _SMS_CONFIG_KEYS
"""The keys of the ``[notify]`` table."""


@dataclass(frozen=True)
class Notice:
    """One message to one visitor."""

    to: str
    """An e-mail address or a phone number, as the visitor typed it."""
    subject: str
    body: str
    """Plain text. A text message has no subject line, so the body must make sense on its own."""
    kind: str
    """What it tells: ``"answer"``, ``"delay"``, ..."""
    reference: str
    """The receipt number the visitor was given (so staff can find the case from a reply)."""


class NotifyError(Exception):
    """A notice was not sent.

    ``retryable`` is true when the same notice may go through later unchanged (the server is down,
    busy or slow); false when something must change first (the address, the text, the settings).
    """

    def __init__(self, reason: str, *, retryable: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable

    def __repr__(self) -> str:
        return f"NotifyError({self.reason!r}, retryable={self.retryable})"


class NotifyConfigError(ValueError):
    """The ``[notify]`` settings cannot be used; the message names the field."""


class Notifier(Protocol):
    def send(self, notice: Notice) -> None:
        """Deliver ``notice`` to its gateway or server, or raise :class:`NotifyError`."""
        ...


# -- addresses ------------------------------------------------------------------------------------

_EMAIL = re.compile(r"[^@\s<>(),;:\"\[\]\\]+@[^@\s<>(),;:\"\[\]\\]+\.[^@\s<>(),;:\"\[\]\\.]+")
_PHONE_SEPARATORS = re.compile(r"[\s\-‐‑‒–—−.()]")  # what people type between the digits
_MOBILE = re.compile(r"010[0-9]{8}|01[16789][0-9]{7,8}")


def is_email(address: str) -> bool:
    """True for a plain ``name@domain.tld`` address (no display name, no spaces)."""
    return _EMAIL.fullmatch(address.strip()) is not None


def normalize_mobile(number: str) -> str | None:
    """A Korean mobile number as bare digits (``01012345678``), or None if ``number`` is not one.

    Accepts what staff and visitors type: ``010-1234-5678``, ``010 1234 5678``, ``01012345678``,
    ``+82 10 1234 5678``, ``+82-010-1234-5678``, ``0082 10...``. Landlines and representative
    numbers (02-..., 1588-...) cannot receive a text message, so they are not mobile numbers here.
    """
    compact = _PHONE_SEPARATORS.sub("", number.strip())
    for prefix in ("+82", "0082"):
        if compact.startswith(prefix):
            rest = compact[len(prefix) :]
            compact = rest if rest.startswith("0") else "0" + rest
            break
    return compact if _MOBILE.fullmatch(compact) else None


def address_kind(address: str) -> Literal["email", "phone"] | None:
    """Which channel can reach ``address``: ``"email"``, ``"phone"`` (a mobile number) or None."""
    if is_email(address):
        return "email"
    if normalize_mobile(address) is not None:
        return "phone"
    return None


# -- e-mail ---------------------------------------------------------------------------------------


def _smtp_text(exc: smtplib.SMTPResponseException) -> str:
    raw = exc.smtp_error
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    return f"{exc.smtp_code} {text}".strip()


class SmtpNotifier:
    """Sends a notice as a UTF-8 e-mail through an SMTP server (a relay or the facility's own).

    ``starttls`` upgrades the connection before anything is sent and refuses to go on in clear
    text if the server cannot; ``username``/``password`` log in after that.
    """

    def __init__(
        self,
        host: str,
        port: int,
        sender: str,
        username: str | None = None,
        password: str | None = None,
        starttls: bool = False,
        timeout: float = 10,
        *,
        local_hostname: str | None = None,
    ) -> None:
        if not host:
            raise NotifyConfigError("SMTP host is empty")
        if not is_email(parseaddr(sender)[1]):
            raise NotifyConfigError(f"SMTP sender is not an e-mail address: {sender!r}")
        if password is not None and username is None:
            raise NotifyConfigError("SMTP password given without a user name")
        self.host = host
        self.port = port
        self.sender = sender
        self.username = username
        self.password = password
        self.starttls = starttls
        self.timeout = timeout
        self.local_hostname = local_hostname
        """The name given in EHLO; None asks the operating system (its fully qualified name)."""

    def message(self, notice: Notice) -> EmailMessage:
        """The e-mail for ``notice``: Hangul in the subject is RFC 2047-encoded, the body is UTF-8
        in base64, so no relay can mangle it."""
        if not is_email(notice.to):
            raise NotifyError(f"not an e-mail address: {notice.to!r}", retryable=False)
        domain = parseaddr(self.sender)[1].rpartition("@")[2]
        msg = EmailMessage()
        try:
            msg["From"] = self.sender
            msg["To"] = notice.to.strip()
            msg["Subject"] = notice.subject
            msg["Date"] = formatdate(localtime=True)
            msg["Message-ID"] = make_msgid(domain=domain)
            msg["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies to this
            msg["X-Kiosk-Kind"] = notice.kind
            msg["X-Kiosk-Reference"] = notice.reference
            msg.set_content(notice.body, charset="utf-8", cte="base64")
        except ValueError as exc:  # a line break in a header value, a lone surrogate in the text
            raise NotifyError(f"the e-mail cannot be built: {exc}", retryable=False) from None
        return msg

    def send(self, notice: Notice) -> None:
        msg = self.message(notice)
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout, local_hostname=self.local_hostname) as smtp:
                if self.starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if self.username is not None:
                    smtp.login(self.username, self.password or "")
                refused = smtp.send_message(msg)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            details = "; ".join(
                f"{code} {text.decode('utf-8', 'replace') if isinstance(text, bytes) else text}"
                for code, text in exc.recipients.values()
            )
            retryable = bool(codes) and all(400 <= code < 500 for code in codes)
            raise NotifyError(f"the mail server refused the recipient: {details}", retryable=retryable) from None
        except smtplib.SMTPNotSupportedError as exc:
            raise NotifyError(f"the mail server does not support this: {exc}", retryable=False) from None
        except smtplib.SMTPResponseException as exc:
            # 4xx: try again later (greylisting, a full queue); 5xx: permanent (bad login, refused).
            retryable = 400 <= exc.smtp_code < 500
            raise NotifyError(f"the mail server said {_smtp_text(exc)}", retryable=retryable) from None
        except ssl.SSLCertVerificationError as exc:
            raise NotifyError(f"the mail server's certificate is not trusted: {exc}", retryable=False) from None
        except (smtplib.SMTPException, OSError) as exc:
            # Refused or dropped connections, timeouts, a server that is down or restarting.
            what = type(exc).__name__
            raise NotifyError(
                f"the mail server {self.host}:{self.port} cannot be reached: {what}: {exc}", retryable=True
            ) from None
        if refused:
            raise NotifyError(f"the mail server refused the recipient: {refused}", retryable=False)


# -- text messages --------------------------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirected POST would arrive as a GET without its body and look "sent": never follow."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        return None


def _gateway_message(raw: bytes, fallback: str) -> str:
    """The gateway's own explanation from an error response: a JSON ``message``/``error``, or its text."""
    text = raw.decode("utf-8", "replace").strip()
    try:
        data = json.loads(text)
    except ValueError:
        return text[:300] or fallback
    if isinstance(data, dict):
        for key in ("message", "error_description", "error", "detail", "reason", "msg"):
            value = data.get(key)
            if isinstance(value, dict):
                value = value.get("message")
            if isinstance(value, str) and value.strip():
                return value.strip()
    return text[:300] or fallback


class SmsGatewayNotifier:
    """Sends a notice as a text message (SMS/LMS) through an HTTP gateway.

    ``POST url`` with ``{"to", "from", "text", "reference"}`` as JSON and ``Authorization: Bearer
    api_key``; any 2xx means the gateway took it. ``to`` is the visitor's mobile number as bare
    digits. The subject is not sent (text messages have none).
    """

    def __init__(self, url: str, api_key: str, sender: str, timeout: float = 10) -> None:
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise NotifyConfigError(f"SMS gateway URL must be http:// or https://, got {url!r}")
        if not api_key:
            raise NotifyConfigError("SMS gateway API key is empty")
        if not sender:
            raise NotifyConfigError("SMS sender number is empty")
        self.url = url
        self.api_key = api_key
        self.sender = sender
        self.timeout = timeout
        self._opener = urllib.request.build_opener(_NoRedirect())

    def payload(self, notice: Notice) -> dict[str, str]:
        """The JSON the gateway is sent for ``notice``; refuses what no text message can carry."""
        number = normalize_mobile(notice.to)
        if number is None:
            raise NotifyError(f"not a mobile phone number: {notice.to!r}", retryable=False)
        if not notice.body.strip():
            raise NotifyError("the text message is empty", retryable=False)
        if len(notice.body) > SMS_MAX_CHARS:
            raise NotifyError(
                f"the text message is {len(notice.body)} characters long; at most {SMS_MAX_CHARS} can be sent",
                retryable=False,
            )
        return {"to": number, "from": self.sender, "text": notice.body, "reference": notice.reference}

    def send(self, notice: Notice) -> None:
        data = json.dumps(self.payload(notice), ensure_ascii=False).encode("utf-8")
        request = urllib.request.Request(
            self.url,
            data=data,
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Accept": "application/json",
                "Authorization": f"Bearer {self.api_key}",
                "User-Agent": "counter-kiosk",
            },
        )
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                response.read()
        except urllib.error.HTTPError as exc:
            try:
                raw = exc.read(65536)
            except (OSError, HTTPException):
                raw = b""
            message = _gateway_message(raw, str(exc.reason))
            # 408 (request timeout) and 429 (too many requests) pass; other 4xx need a change first.
            retryable = exc.code >= 500 or exc.code in (408, 429)
            raise NotifyError(f"the SMS gateway answered {exc.code}: {message}", retryable=retryable) from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            retryable = isinstance(reason, OSError) and not isinstance(reason, ssl.SSLCertVerificationError)
            raise NotifyError(f"the SMS gateway cannot be reached: {reason}", retryable=retryable) from None
        except (OSError, HTTPException) as exc:  # a timeout or a dropped connection while reading
            what = type(exc).__name__
            raise NotifyError(f"the SMS gateway did not answer: {what}: {exc}", retryable=True) from None


# -- routing --------------------------------------------------------------------------------------


class RoutingNotifier:
    """Sends each notice through the channel its address calls for: e-mail or text message."""

    def __init__(self, email: Notifier | None, sms: Notifier | None) -> None:
        self.email = email
        self.sms = sms

    def channel(self, address: str) -> Notifier | None:
        """The notifier that would carry a notice to ``address``, or None."""
        kind = address_kind(address)
        if kind == "email":
            return self.email
        if kind == "phone":
            return self.sms
        return None

    def can_reach(self, address: str) -> bool:
        """Whether a notice to ``address`` has a channel (ask before promising the visitor a reply)."""
        return self.channel(address) is not None

    def send(self, notice: Notice) -> None:
        kind = address_kind(notice.to)
        if kind is None:
            raise NotifyError(f"neither an e-mail address nor a mobile phone number: {notice.to!r}", retryable=False)
        target = self.channel(notice.to)
        if target is None:
            channel = "e-mail" if kind == "email" else "text messages"
            raise NotifyError(f"no {channel} channel is configured", retryable=False)
        target.send(notice)


# -- configuration --------------------------------------------------------------------------------


def _text(table: Mapping[str, Any], key: str) -> str | None:
    value = table.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise NotifyConfigError(f"notify.{key}: text expected, got {value!r}")
    return value.strip() or None


def _flag(table: Mapping[str, Any], key: str) -> bool:
    value = table.get(key, False)
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "yes", "on", "1", "false", "no", "off", "0", ""):
        return value.strip().lower() in ("true", "yes", "on", "1")
    raise NotifyConfigError(f"notify.{key}: true or false expected, got {value!r}")


def _port(table: Mapping[str, Any], key: str, default: int) -> int:
    value = table.get(key)
    if value is None or value == "":
        return default
    try:
        if isinstance(value, bool | float):
            raise TypeError
        port = int(value)
    except (TypeError, ValueError):
        raise NotifyConfigError(f"notify.{key}: a port number expected, got {value!r}") from None
    if not 1 <= port <= 65535:
        raise NotifyConfigError(f"notify.{key}: a port number (1-65535) expected, got {port}")
    return port


def notifier_from_config(mapping: Mapping[str, Any]) -> Notifier | None:
    """The notifier the ``[notify]`` table describes, or None when it configures no channel.

    E-mail needs ``smtp_host`` and ``smtp_sender`` (``smtp_port`` defaults to 587 with
    ``smtp_starttls``, else 25); text messages need ``sms_url``, ``sms_api_key`` and ``sms_sender``.
    A half-configured channel or an unknown key is a :class:`NotifyConfigError`, never silence.
    """
    unknown = sorted(set(mapping) - set(CONFIG_KEYS))
    if unknown:
        raise NotifyConfigError(f"notify: unknown setting(s) {', '.join(unknown)}; known: {', '.join(CONFIG_KEYS)}")

    email: SmtpNotifier | None = None
    host = _text(mapping, "smtp_host")
    sender = _text(mapping, "smtp_sender")
    username = _text(mapping, "smtp_username")
    password = _text(mapping, "smtp_password")
    starttls = _flag(mapping, "smtp_starttls")
    port = _port(mapping, "smtp_port", 587 if starttls else 25)
    if host is None:
        for key, value in (("smtp_sender", sender), ("smtp_username", username), ("smtp_password", password)):
            if value is not None:
                raise NotifyConfigError(f"notify.smtp_host: missing, but notify.{key} is set")
    else:
        if sender is None:
            raise NotifyConfigError("notify.smtp_sender: required when notify.smtp_host is set")
        if password is not None and username is None:
            raise NotifyConfigError("notify.smtp_username: required when notify.smtp_password is set")
        try:
            email = SmtpNotifier(host, port, sender, username, password, starttls)
        except NotifyConfigError as exc:
            raise NotifyConfigError(f"notify: {exc}") from None

    sms: SmsGatewayNotifier | None = None
    sms_values = {key: _text(mapping, key) for key in _SMS_CONFIG_KEYS}
    if any(value is not None for value in sms_values.values()):
        missing = [key for key, value in sms_values.items() if value is None]
        if missing:
            raise NotifyConfigError(
                f"notify.{missing[0]}: required for text messages (sms_url, sms_api_key and sms_sender go together)"
            )
        try:
            sms = SmsGatewayNotifier(
                str(sms_values["sms_url"]), str(sms_values["sms_api_key"]), str(sms_values["sms_sender"])
            )
        except NotifyConfigError as exc:
            raise NotifyConfigError(f"notify: {exc}") from None

    if email is None and sms is None:
        return None
    return RoutingNotifier(email, sms)
