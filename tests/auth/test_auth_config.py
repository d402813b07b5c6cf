"""``[security]`` and ``[[staff]] pin_hash`` in the configuration file: used as written, refused clearly."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.config import DEMO_PIN_HASHES, ConfigError, load_config
from kiosk.domain.auth import AuthPolicy
from kiosk.services.auth import hash_secret


def config_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_security_settings_are_read(tmp_path: Path) -> None:
    path = config_file(tmp_path, "[security]\nmax_tries = 3\nlockout_minutes = 30\nsession_idle_minutes = 2.5\n")
    cfg = load_config(path, data_dir=tmp_path, env={})
    assert cfg.auth == AuthPolicy(max_tries=3, lockout_minutes=30, session_idle_minutes=2.5)
    assert load_config(data_dir=tmp_path / "none", env={}).auth == AuthPolicy(5, 15, 5.0)  # the defaults


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ('max_tries = "five"', "max_tries"),
        ("max_tries = 0", "max_tries"),
        ("max_tries = 2.5", "max_tries"),
        ("lockout_minutes = -1", "lockout_minutes"),
        ("lockout_minutes = true", "lockout_minutes"),
        ("session_idle_minutes = 0", "session_idle_minutes"),
        ('session_idle_minutes = "5"', "session_idle_minutes"),
    ],
)
def test_a_bad_security_value_is_refused_with_file_and_key(tmp_path: Path, line: str, key: str) -> None:
    path = config_file(tmp_path, f"[security]\n{line}\n")
    with pytest.raises(ConfigError) as bad:
        load_config(path, data_dir=tmp_path, env={})
    message = str(bad.value)
    assert str(path) in message and f"security.{key}" in message and "expected" in message


def test_pin_hashes_come_from_the_staff_table(tmp_path: Path) -> None:
    pin_hash = hash_secret("97531")
    path = config_file(
        tmp_path,
        f'[[staff]]\nid = "han"\nrole = "admin"\nname = "한지우"\npin_hash = "{pin_hash}"\n\n'
        '[[staff]]\nid = "oh"\nrole = "counter"\n',
    )
    cfg = load_config(path, demo=True, data_dir=tmp_path, env={})
    assert dict(cfg.staff_pin_hashes) == {"han": pin_hash}  # the file's staff replace the demo's, PINs too
    assert pin_hash not in repr(cfg)  # a printed configuration never shows a hash
    assert dict(load_config(demo=True, data_dir=tmp_path / "demo", env={}).staff_pin_hashes) == DEMO_PIN_HASHES


def test_a_pin_hash_that_is_not_argon2id_is_refused_without_showing_it(tmp_path: Path) -> None:
    path = config_file(tmp_path, '[[staff]]\nid = "han"\nrole = "admin"\npin_hash = "1234"\n')
    with pytest.raises(ConfigError) as bad:
        load_config(path, data_dir=tmp_path, env={})
    message = str(bad.value)
    assert "staff[0].pin_hash" in message and "kiosk staff hash-pin" in message and "1234" not in message
