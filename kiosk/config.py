"""Configuration: a TOML file plus environment overrides, and the demo facility.

Order of precedence (later wins): built-in defaults (or the demo facility with ``--demo``),
the TOML file (``--config`` / ``KIOSK_CONFIG`` / ``<data dir>/kiosk.toml``), environment
variables (``KIOSK_DATABASE_URL``, ``KIOSK_FACILITY_NAME``, ``KIOSK_SERVICES``,
``KIOSK_COUNTERS``, ``KIOSK_LANGUAGE``, ``KIOSK_DATA_DIR``, ``KIOSK_CENTRAL_URL``,
``KIOSK_NODE_ID``, ``KIOSK_NODE_TAG``, ``KIOSK_FEEDBACK_KEY``).
"""

from __future__ import annotations

import os
import re
import socket
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import platformdirs

from kiosk.accessibility.modes import Modes
from kiosk.accessibility.sizes import Screen
from kiosk.accessibility.speech import ENGINES as SPEECH_ENGINES
from kiosk.domain.auth import AuthPolicy
from kiosk.domain.facility import Service
from kiosk.domain.staff import Role, StaffUser
from kiosk.paths import asset
from kiosk.secrets import SecretFileError, central_url, check_private, has_password, read_secret

APP_NAME = "counter-kiosk"


class ConfigError(Exception):
    """The configuration cannot be used; the message says which file and field."""


@dataclass(frozen=True)
class CounterConfig:
    number: int
    staff_ko: str = ""
    staff_en: str = ""


@dataclass(frozen=True)
class BoardConfig:
    """The calling board's spoken calls (``[board]``)."""

    volume: float = 0.8
    """0–1: the chime's and the voice's loudness."""
    rate: int = 150
    """Words per minute; slower than guidance (165): a call is heard across a hall, once."""
    english: bool = False
    """Read every call in English too, after the Korean."""
    letters: Mapping[str, str] = field(default_factory=dict)
    """How letters (or whole service codes) are read in Korean, over the defaults: ``A = "에이"``."""
    voice: str = ""
    """An espeak-ng voice variant for calls (``f3``: a female voice, ``m2``...); empty: the default."""


@dataclass(frozen=True)
class Config:
    facility_ko: str = "민원실"
    facility_en: str = "Service Center"
    facility_id: str = "main"
    """Short and unique in the corporation: stamped on every ticket, note and survey answer, so the
    central database's report can be cut by facility (``[facility] id``)."""
    opens: time = time(9, 0)
    closes: time = time(18, 0)
    """Opening hours (local): presence coverage in the performance report counts these hours."""
    language: str = "ko"
    timezone: str = "Asia/Seoul"
    day_starts_at: time = time(4, 0)
    services: tuple[Service, ...] = ()
    counters: tuple[CounterConfig, ...] = ()
    data_dir: Path = field(default_factory=lambda: Path(platformdirs.user_data_dir(APP_NAME)))
    database_url: str | None = None
    idle_seconds: int = 60
    idle_warning_seconds: int = 20
    no_show_after_recalls: int = 2
    default_service_minutes: float = 5.0
    demo: bool = False
    source: Path | None = None
    status_url: str = "kiosk://ticket/{day}/{number}"
    """QR codes on tickets encode this, filled with the business day and the ticket number."""
    modes: Modes = field(default_factory=Modes)
    """Accessibility modes on by default at this kiosk (each visitor starts from these)."""
    screen: Screen = field(default_factory=Screen)
    """The display's physical size and mounting height (for millimetre rules and low screen)."""
    central_url: str | None = None
    """The facility's central PostgreSQL database; without it the node runs on its own store."""
    node_id: str = field(default_factory=lambda: socket.gethostname())
    """This kiosk's or counter's name, unique in the facility (the key its changes are sent under)."""
    node_tag: str = ""
    """Short and unique in the facility: it marks the numbers issued while offline (``A-K1-001``)."""
    sync_interval_seconds: float = 2.0
    central_password_file: Path | None = None
    """The central database's password, in a file only its owner may read (``[sync] password_file``)."""
    central_sslmode: str | None = None
    central_sslrootcert: str | None = None
    """TLS to the central database, passed through to libpq (``[sync] sslmode``, ``sslrootcert``)."""
    feedback_key: str | None = None
    """The voice box's encryption key (``KIOSK_FEEDBACK_KEY``); else read from ``feedback_key_file``."""
    feedback_key_file: Path | None = None
    """Default ``<data dir>/feedback.key``, made (mode 0600) on first start. Never in a database."""
    feedback_retention_days: int = 365
    feedback_alert_to: str = ""
    feedback_teams: tuple[str, ...] = ("민원팀", "시설운영팀", "고객지원팀", "감사팀")
    notify: Mapping[str, Any] = field(default_factory=dict)
    """The ``[notify]`` table: SMTP and SMS gateway settings (``kiosk.services.notify``)."""
    staff: tuple[StaffUser, ...] = ()
    """Staff identities and roles (``[[staff]]``); ``--as USER`` and the console's inbox use them."""
    staff_pin_hashes: Mapping[str, str] = field(default_factory=dict, repr=False)
    """Each staff member's argon2id PIN hash by id (``[[staff]] pin_hash``, from ``kiosk staff hash-pin``):
    in the configuration, so every kiosk PC signs staff in offline. Never logged or printed."""
    auth: AuthPolicy = field(default_factory=AuthPolicy)
    """Staff sign-in: wrong PINs before a lock, its length, the idle session limit (``[security]``)."""
    charter_file: Path | None = None
    """The facility's service charter (S14), shown in turn on the kiosk's idle screen."""
    printer: Mapping[str, Any] = field(default_factory=dict)
    """The ``[printer]`` table (``kiosk.printing.config``): the kiosk's ticket printer, if any."""
    board: BoardConfig = field(default_factory=BoardConfig)
    """The calling board's spoken calls: volume, rate, English, letter names (``[board]``)."""
    speech_engine: str = "auto"
    """``[speech] engine``: "espeak-ng", "pyttsx3" (SAPI5 on Windows), or "auto": espeak-ng when
    installed, else pyttsx3 (``kiosk.accessibility.speech.make_synthesizer``)."""

    @property
    def key_path(self) -> Path:
        return self.feedback_key_file or self.data_dir / "feedback.key"

    @property
    def offline_tag(self) -> str:
        if self.node_tag:
            return self.node_tag
        return "".join(ch for ch in self.node_id.upper() if ch.isalnum())[-4:] or "N"

    @property
    def db_url(self) -> str:
        if self.database_url:
            return self.database_url
        name = "demo.sqlite3" if self.demo else "kiosk.sqlite3"
        return f"sqlite:///{self.data_dir / name}"

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def facility(self, lang: str) -> str:
        return self.facility_ko if lang == "ko" else self.facility_en


DEMO_SERVICES = (
    Service(
        "A",
        "인허가 신청",
        "Permits and licences",
        "시설 사용 허가, 도로 점용, 주차 허가",
        "Facility use, road occupancy, parking permits",
        "permit",
        "대기석에서 기다리시다가 안내되는 창구로 가십시오",
        "Please wait in the seating area until your counter is called",
    ),
    Service(
        "B",
        "요금 납부",
        "Payments",
        "사용료·관리비 납부, 영수증 발급",
        "Fees and charges, receipts",
        "payment",
        "대기석에서 기다리시다가 안내되는 창구로 가십시오",
        "Please wait in the seating area until your counter is called",
    ),
    Service(
        "C",
        "일반 상담",
        "General enquiries",
        "안내, 서류 발급, 그 밖의 문의",
        "Information, documents, other questions",
        "enquiry",
        "대기석에서 기다리시다가 안내되는 창구로 가십시오",
        "Please wait in the seating area until your counter is called",
    ),
)

DEMO_COUNTERS = (
    CounterConfig(1, "김서연 주무관", "Kim Seo-yeon"),
    CounterConfig(2, "이준호 주무관", "Lee Jun-ho"),
    CounterConfig(3, "박지민 대리", "Park Ji-min"),
    CounterConfig(4, "최유나 주임", "Choi Yu-na"),
)


DEMO_STAFF = (
    StaffUser("kim", Role.COUNTER, "김서연", "민원팀"),
    StaffUser("lee", Role.LEAD, "이준호", "민원팀"),
    StaffUser("park", Role.LEAD, "박지민", "시설운영팀"),
    StaffUser("choi", Role.ADMIN, "최유나", ""),
    StaffUser("jung", Role.AUDIT, "정하늘", "감사팀"),
)

DEMO_PINS = {"kim": "1111", "lee": "2222", "park": "3333", "choi": "4444", "jung": "5555"}
"""The demo staff's PINs (README); only the demo configuration holds their hashes."""

DEMO_PIN_HASHES = {
    # ``kiosk staff hash-pin`` of DEMO_PINS, computed once: hashing at start-up would cost ~0.1 s each.
    "kim": "$argon2id$v=19$m=65536,t=3,p=4$kAVlgHUS9i1Kvq0k7I+oVQ$9NtKRpdI0APuWLW6GQIWTiCBLS6jq5fST9ZciE0B21o",
    "lee": "$argon2id$v=19$m=65536,t=3,p=4$oypJsvTFbB0biGKZR7/Ytg$gkZO/ziDt3PZ+yNbQdALJ5LRYNyNSkuenVCeRDGHmWI",
    "park": "$argon2id$v=19$m=65536,t=3,p=4$yBHuBoYVd91uI9AeaNLP6g$uYhUKIGAsLYXp7YWgOUzR4L7DykyrbcHnZZ8KNAiiZc",
    "choi": "$argon2id$v=19$m=65536,t=3,p=4$2qTkUHyW+XulpJqBBRTVhA$CdqwYfAnNCHpdjyeu8lX0mA4SmNrrO3NpQTJdkfx4cI",
    "jung": "$argon2id$v=19$m=65536,t=3,p=4$jPphlcVhlTEIDk8bjdytWA$NJoGzSrKGojXpE1AoJsS3Vji+EifeBfztWfBtOn40Ps",
}


def demo_config(base: Config) -> Config:
    return replace(
        base,
        staff=DEMO_STAFF,
        staff_pin_hashes=DEMO_PIN_HASHES,
        charter_file=asset("charter", "demo.toml"),
        # No printer on a demo machine: each ticket is printed to a PNG file in the data folder.
        printer={"kind": "png", "path": str(base.data_dir / "printed")},
        facility_ko="한빛시설관리공단 민원실",
        facility_en="Hanbit Facilities Corporation Service Center",
        facility_id="hanbit",
        services=DEMO_SERVICES,
        counters=DEMO_COUNTERS,
        demo=True,
    )


def _parse_time(value: str, where: str) -> time:
    try:
        hours, minutes = value.split(":")
        return time(int(hours), int(minutes))
    except ValueError:
        raise ConfigError(f"{where}: expected HH:MM, got {value!r}") from None


def _private(path: Path, what: str) -> None:
    try:
        check_private(path, what)
    except SecretFileError as exc:
        raise ConfigError(str(exc)) from None


def _central(cfg: Config, env: Mapping[str, str]) -> str:
    """The central URL with its password (environment, else the private password file) and TLS options."""
    assert cfg.central_url is not None
    try:
        password = env.get("KIOSK_CENTRAL_PASSWORD")
        if password is None and cfg.central_password_file is not None:
            password = read_secret(cfg.central_password_file, "[sync] password_file")
        return central_url(
            cfg.central_url, password=password, sslmode=cfg.central_sslmode, sslrootcert=cfg.central_sslrootcert
        )
    except SecretFileError as exc:
        raise ConfigError(str(exc)) from None


def _facility_id(value: str, where: str) -> str:
    value = value.strip()
    if not value or len(value) > 16 or not all(ch.isascii() and (ch.isalnum() or ch in "-_") for ch in value):
        raise ConfigError(f"{where}: 1 to 16 letters, digits, '-' or '_' (got {value!r})")
    return value


def _strings(table: Mapping[str, Any], key: str, where: str) -> list[str]:
    """A list of strings (``["a", "b"]``), else ``ConfigError`` naming the key."""
    value = table[key]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}.{key}: a list of strings expected, got {value!r}")
    return value


def _table(data: Mapping[str, Any], key: str, where: str) -> Mapping[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, Mapping):
        raise ConfigError(f"{where}: [{key}] must be a table")
    return value


def _number(table: Mapping[str, Any], key: str, kind: type[int] | type[float], where: str) -> Any:
    """``table[key]`` as a number; a typo in the file is a ``ConfigError``, never a traceback."""
    value = table[key]
    try:
        if isinstance(value, bool):
            raise TypeError
        return kind(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{where}.{key}: a number expected, got {value!r}") from None


def _service(entry: Mapping[str, Any], where: str) -> Service:
    if not isinstance(entry, Mapping):
        raise ConfigError(f"{where}: a table ([[services]]) expected, got {entry!r}")
    try:
        code = str(entry["code"]).strip().upper()
        name_ko = str(entry["name_ko"])
    except KeyError as exc:
        raise ConfigError(f"{where}: missing field {exc.args[0]!r}") from None
    if not (code.isascii() and code.isalpha() and 1 <= len(code) <= 2):
        raise ConfigError(f"{where}.code: one or two letters expected, got {code!r}")
    return Service(
        code=code,
        name_ko=name_ko,
        name_en=str(entry.get("name_en", name_ko)),
        help_ko=str(entry.get("help_ko", "")),
        help_en=str(entry.get("help_en", "")),
        icon=str(entry.get("icon", "enquiry")),
        location_ko=str(entry.get("location_ko", "")),
        location_en=str(entry.get("location_en", "")),
    )


def _board(table: Mapping[str, Any], where: str) -> BoardConfig:
    default = BoardConfig()
    volume = _number(table, "volume", float, where) if "volume" in table else default.volume
    if not 0.0 <= volume <= 1.0:
        raise ConfigError(f"{where}.volume: 0 to 1 expected, got {volume!r}")
    rate = _number(table, "rate", int, where) if "rate" in table else default.rate
    if not 80 <= rate <= 300:
        raise ConfigError(f"{where}.rate: 80 to 300 words per minute expected, got {rate!r}")
    english = table.get("english", default.english)
    if not isinstance(english, bool):
        raise ConfigError(f"{where}.english: true or false expected, got {english!r}")
    letters = _table(table, "letters", where)
    for key, value in letters.items():
        if not (key.isascii() and key.isalpha() and 1 <= len(key) <= 2) or not isinstance(value, str) or not value:
            raise ConfigError(f"{where}.letters: a letter or code = how it is read expected, got {key} = {value!r}")
    voice = str(table.get("voice", default.voice))
    if voice and not re.fullmatch(r"[a-z]{1,8}[0-9]{0,2}", voice):
        raise ConfigError(f"{where}.voice: an espeak-ng variant such as 'f3' or 'm2' expected, got {voice!r}")
    return BoardConfig(volume, rate, english, {k.upper(): v for k, v in letters.items()}, voice)


def _speech_engine(table: Mapping[str, Any], where: str) -> str:
    """``[speech] engine``: one of ``SPEECH_ENGINES``, else ``ConfigError`` naming the file and key."""
    value = table.get("engine", "auto")
    if value not in SPEECH_ENGINES:
        choices = ", ".join(repr(e) for e in SPEECH_ENGINES)
        raise ConfigError(f"{where}.engine: {choices} expected, got {value!r}")
    return str(value)


def _pin_hashes(entries: list[Mapping[str, Any]], where: str) -> dict[str, str]:
    """``id -> pin_hash`` of the ``[[staff]]`` entries that have one (the hash itself is never shown)."""
    hashes: dict[str, str] = {}
    for i, entry in enumerate(entries):
        value = entry.get("pin_hash", "")
        if value == "":
            continue
        if not isinstance(value, str) or not value.startswith("$argon2id$"):
            raise ConfigError(f"{where}[{i}].pin_hash: an argon2id hash from 'kiosk staff hash-pin' expected")
        hashes[str(entry["id"])] = value
    return hashes


def _security(table: Mapping[str, Any], where: str) -> AuthPolicy:
    """``[security]``: staff sign-in limits, each a whole number in a sensible range."""
    default = AuthPolicy()
    limits: dict[str, tuple[type[int] | type[float], float, float, str]] = {
        "max_tries": (int, 1, 100, "wrong PINs before the account locks"),
        "lockout_minutes": (int, 1, 24 * 60, "minutes an account stays locked"),
        "session_idle_minutes": (float, 0.05, 8 * 60, "minutes without input before staff are signed out"),
    }
    values: dict[str, Any] = {}
    for key, (kind, lo, hi, meaning) in limits.items():
        if key not in table:
            continue
        value = table[key]
        whole = isinstance(value, int) and not isinstance(value, bool)
        number = whole or (kind is float and isinstance(value, float))
        if not number or not lo <= value <= hi:
            expected = "a whole number" if kind is int else "a number"
            raise ConfigError(f"{where}.{key}: {expected} from {lo:g} to {hi:g} ({meaning}) expected, got {value!r}")
        values[key] = kind(value)
    return AuthPolicy(
        max_tries=values.get("max_tries", default.max_tries),
        lockout_minutes=values.get("lockout_minutes", default.lockout_minutes),
        session_idle_minutes=values.get("session_idle_minutes", default.session_idle_minutes),
    )


def _apply_file(cfg: Config, path: Path) -> Config:
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"{path}: configuration file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: {exc}") from None
    changes: dict[str, Any] = {"source": path}
    fac = _table(data, "facility", str(path))
    for key, attr in (
        ("name_ko", "facility_ko"),
        ("name_en", "facility_en"),
        ("language", "language"),
        ("timezone", "timezone"),
    ):
        if key in fac:
            changes[attr] = str(fac[key])
    if "day_starts_at" in fac:
        changes["day_starts_at"] = _parse_time(str(fac["day_starts_at"]), f"{path}: facility.day_starts_at")
    if "id" in fac:
        changes["facility_id"] = _facility_id(str(fac["id"]), f"{path}: facility.id")
    for key in ("opens", "closes"):
        if key in fac:
            changes[key] = _parse_time(str(fac[key]), f"{path}: facility.{key}")
    if changes.get("opens", cfg.opens) >= changes.get("closes", cfg.closes):
        raise ConfigError(f"{path}: facility.opens must be before facility.closes")
    kiosk = _table(data, "kiosk", str(path))
    for key in ("idle_seconds", "idle_warning_seconds"):
        if key in kiosk:
            changes[key] = _number(kiosk, key, int, f"{path}: kiosk")
    if "status_url" in kiosk:
        changes["status_url"] = str(kiosk["status_url"])
    access = _table(data, "accessibility", str(path))
    if "modes" in access:
        try:
            changes["modes"] = Modes.parse(_strings(access, "modes", f"{path}: accessibility"))
        except ValueError as exc:
            raise ConfigError(f"{path}: accessibility.modes: {exc}") from None
    if "screen" in data:
        scr = _table(data, "screen", str(path))
        try:
            default = Screen()
            changes["screen"] = Screen(
                width_px=int(scr.get("width_px", default.width_px)),
                height_px=int(scr.get("height_px", default.height_px)),
                width_mm=float(scr.get("width_mm", default.width_mm)),
                height_mm=float(scr.get("height_mm", default.height_mm)),
                bottom_mm=float(scr.get("bottom_mm", default.bottom_mm)),
            )
        except (TypeError, ValueError):
            raise ConfigError(f"{path}: screen: numbers expected (width_mm, height_mm, bottom_mm...)") from None
    queue = _table(data, "queue", str(path))
    if "no_show_after_recalls" in queue:
        changes["no_show_after_recalls"] = _number(queue, "no_show_after_recalls", int, f"{path}: queue")
    if "default_service_minutes" in queue:
        changes["default_service_minutes"] = _number(queue, "default_service_minutes", float, f"{path}: queue")
    sync = _table(data, "sync", str(path))
    for key in ("central_url", "node_id", "node_tag"):
        if key in sync:
            changes[key] = str(sync[key])
    if "interval_seconds" in sync:
        changes["sync_interval_seconds"] = _number(sync, "interval_seconds", float, f"{path}: sync")
    if "password_file" in sync:
        changes["central_password_file"] = (path.parent / str(sync["password_file"])).expanduser()
    for key in ("sslmode", "sslrootcert"):
        if key in sync:
            changes[f"central_{key}"] = str(sync[key])
    notify_table = data.get("notify")
    if has_password(str(sync.get("central_url", ""))) or (
        isinstance(notify_table, dict) and notify_table.get("smtp_password")
    ):
        _private(path, "configuration file (it holds a password)")
    feedback = _table(data, "feedback", str(path))
    if "key_file" in feedback:
        changes["feedback_key_file"] = (path.parent / str(feedback["key_file"])).expanduser()
    if "retention_days" in feedback:
        changes["feedback_retention_days"] = _number(feedback, "retention_days", int, f"{path}: feedback")
    if "alert_to" in feedback:
        changes["feedback_alert_to"] = str(feedback["alert_to"])
    if "teams" in feedback:
        changes["feedback_teams"] = tuple(_strings(feedback, "teams", f"{path}: feedback"))
    if "board" in data:
        changes["board"] = _board(_table(data, "board", str(path)), f"{path}: board")
    if "speech" in data:
        changes["speech_engine"] = _speech_engine(_table(data, "speech", str(path)), f"{path}: speech")
    if "notify" in data:
        changes["notify"] = dict(_table(data, "notify", str(path)))
    if "printer" in data:
        changes["printer"] = dict(_table(data, "printer", str(path)))
    if "charter" in kiosk:
        changes["charter_file"] = (path.parent / str(kiosk["charter"])).expanduser()
    if "staff" in data:
        try:
            changes["staff"] = tuple(
                StaffUser(str(u["id"]), Role(str(u["role"])), str(u.get("name", "")), str(u.get("team", "")))
                for u in data["staff"]
            )
        except (KeyError, ValueError, TypeError):
            roles = ", ".join(r.value for r in Role)
            raise ConfigError(f"{path}: staff: each needs an 'id' and a 'role' ({roles})") from None
        changes["staff_pin_hashes"] = _pin_hashes(data["staff"], f"{path}: staff")
    if "security" in data:
        changes["auth"] = _security(_table(data, "security", str(path)), f"{path}: security")
    database = _table(data, "database", str(path))
    if "url" in database:
        changes["database_url"] = str(database["url"])
    if "services" in data:
        if not isinstance(data["services"], list):
            raise ConfigError(f"{path}: services: a list of [[services]] tables expected")
        changes["services"] = tuple(_service(s, f"{path}: services[{i}]") for i, s in enumerate(data["services"]))
    if "counters" in data:
        try:
            changes["counters"] = tuple(
                CounterConfig(int(c["number"]), str(c.get("staff_ko", "")), str(c.get("staff_en", "")))
                for c in data["counters"]
            )
        except (KeyError, ValueError, TypeError):
            raise ConfigError(f"{path}: counters: each needs an integer 'number'") from None
    return replace(cfg, **changes)


def _parse_services_env(value: str) -> tuple[Service, ...]:
    """``A=인허가|Permits;B=요금 납부|Payments``."""
    services = []
    for i, part in enumerate(p for p in value.split(";") if p.strip()):
        code, _, names = part.partition("=")
        name_ko, _, name_en = names.partition("|")
        services.append(
            _service(
                {"code": code, "name_ko": name_ko.strip(), "name_en": name_en.strip() or name_ko.strip()},
                f"KIOSK_SERVICES[{i}]",
            )
        )
    return tuple(services)


def _parse_counters_env(value: str) -> tuple[CounterConfig, ...]:
    """``4`` (counters 1..4) or ``1,2,5``."""
    try:
        numbers = [int(v) for v in value.split(",") if v.strip()]
    except ValueError:
        raise ConfigError(f"KIOSK_COUNTERS: expected a number or a comma-separated list, got {value!r}") from None
    if len(numbers) == 1 and "," not in value:
        numbers = list(range(1, numbers[0] + 1))
    return tuple(CounterConfig(n) for n in numbers)


def load_config(
    path: str | Path | None = None,
    *,
    demo: bool = False,
    data_dir: str | Path | None = None,
    env: Mapping[str, str] | None = None,
) -> Config:
    env = os.environ if env is None else env
    cfg = Config()
    directory = data_dir or env.get("KIOSK_DATA_DIR")
    if directory:
        cfg = replace(cfg, data_dir=Path(directory).expanduser())
    if demo:
        cfg = demo_config(cfg)
    file = path or env.get("KIOSK_CONFIG")
    if file:
        cfg = _apply_file(cfg, Path(file).expanduser())
    elif (cfg.data_dir / "kiosk.toml").is_file():
        cfg = _apply_file(cfg, cfg.data_dir / "kiosk.toml")
    if env.get("KIOSK_CENTRAL_URL"):
        cfg = replace(cfg, central_url=env["KIOSK_CENTRAL_URL"])
    if env.get("KIOSK_NODE_ID"):
        cfg = replace(cfg, node_id=env["KIOSK_NODE_ID"])
    if env.get("KIOSK_NODE_TAG"):
        cfg = replace(cfg, node_tag=env["KIOSK_NODE_TAG"])
    if cfg.central_url and not cfg.central_url.startswith("postgresql"):
        raise ConfigError(f"central_url: a postgresql+psycopg:// URL expected, got {cfg.central_url!r}")
    if cfg.central_url:
        cfg = replace(cfg, central_url=_central(cfg, env))
    if env.get("KIOSK_FEEDBACK_KEY"):
        cfg = replace(cfg, feedback_key=env["KIOSK_FEEDBACK_KEY"])
    if env.get("KIOSK_DATABASE_URL"):
        cfg = replace(cfg, database_url=env["KIOSK_DATABASE_URL"])
    if env.get("KIOSK_FACILITY_NAME"):
        cfg = replace(cfg, facility_ko=env["KIOSK_FACILITY_NAME"], facility_en=env["KIOSK_FACILITY_NAME"])
    if env.get("KIOSK_LANGUAGE"):
        cfg = replace(cfg, language=env["KIOSK_LANGUAGE"])
    if env.get("KIOSK_SERVICES"):
        cfg = replace(cfg, services=_parse_services_env(env["KIOSK_SERVICES"]))
    if env.get("KIOSK_COUNTERS"):
        cfg = replace(cfg, counters=_parse_counters_env(env["KIOSK_COUNTERS"]))
    if cfg.language not in ("ko", "en"):
        raise ConfigError(f"language: 'ko' or 'en' expected, got {cfg.language!r}")
    try:
        ZoneInfo(cfg.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"timezone: unknown time zone {cfg.timezone!r}") from None
    codes = [s.code for s in cfg.services]
    if len(codes) != len(set(codes)):
        raise ConfigError("services: two services share one code")
    return cfg
