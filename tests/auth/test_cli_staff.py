"""``kiosk staff``: hash a PIN for the configuration, list accounts, unlock one, through the real CLI.

Each call is its own process on one data directory, as an administrator's shell runs it.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from argon2 import PasswordHasher

from kiosk.bootstrap import bootstrap
from kiosk.config import load_config
from kiosk.domain.auth import AccountLocked, LoginFailed
from tests.cli_run import ok, refused, run

FORBIDDEN, BAD_INPUT = 9, 2
ACCOUNT_FIELDS = {"id", "role", "name", "team", "has_pin", "locked_until", "failures"}


def test_hash_pin_prints_a_hash_that_signs_the_person_in(tmp_path: Path) -> None:
    out = run(tmp_path, "staff", "hash-pin", stdin=b"802413\n802413\n", demo=False)
    assert out.returncode == 0, out.stderr.decode()
    pin_hash = out.stdout.decode().strip()
    assert pin_hash.startswith("$argon2id$") and "802413" not in out.stdout.decode() + out.stderr.decode()
    assert PasswordHasher().verify(pin_hash, "802413")
    # pasted into [[staff]] pin_hash, it is that person's PIN on any kiosk of the facility
    config = tmp_path / "kiosk.toml"
    config.write_text(f'[[staff]]\nid = "han"\nrole = "admin"\npin_hash = "{pin_hash}"\n', encoding="utf-8")
    app = bootstrap(load_config(config, data_dir=tmp_path, env={}))
    try:
        assert app.auth is not None and app.auth.login("han", "802413").user.id == "han"
    finally:
        app.close()
    pin_file = tmp_path / "pin.txt"
    pin_file.write_text("24680135\n", encoding="utf-8")
    from_file = ok(tmp_path, "staff", "hash-pin", "--pin-file", str(pin_file), demo=False)
    assert set(from_file) == {"pin_hash"} and PasswordHasher().verify(from_file["pin_hash"], "24680135")
    assert PasswordHasher().verify(
        ok(tmp_path, "staff", "hash-pin", "--pin-file", "-", stdin=b"1357\n")["pin_hash"], "1357"
    )


def test_hash_pin_refuses_what_cannot_be_a_pin(tmp_path: Path) -> None:
    assert "다릅니다" in refused(tmp_path, BAD_INPUT, "staff", "hash-pin", stdin=b"1234\n4321\n")
    assert "4 to 12 digits" in refused(tmp_path, BAD_INPUT, "staff", "hash-pin", stdin=b"12\n12\n", lang="en")
    assert "spaces" in refused(tmp_path, BAD_INPUT, "staff", "hash-pin", stdin=b"12 34\n12 34\n", lang="en")
    assert "twice" in refused(tmp_path, BAD_INPUT, "staff", "hash-pin", stdin=b"1234", lang="en")
    missing = refused(tmp_path, BAD_INPUT, "staff", "hash-pin", "--pin-file", str(tmp_path / "nope.txt"), lang="en")
    assert "nope.txt" in missing


def test_list_shows_who_has_a_pin_and_who_is_locked_and_unlock_clears_it(tmp_path: Path) -> None:
    accounts = ok(tmp_path, "staff", "list")
    assert [a["id"] for a in accounts] == ["kim", "lee", "park", "choi", "jung"]
    assert all(set(a) == ACCOUNT_FIELDS and a["has_pin"] and a["locked_until"] is None for a in accounts)
    assert "$argon2" not in run(tmp_path, "staff", "list", "--json").stdout.decode()

    app = bootstrap(load_config(demo=True, data_dir=tmp_path, env={}))
    try:
        assert app.auth is not None
        for _ in range(5):
            with contextlib.suppress(LoginFailed, AccountLocked):
                app.auth.login("park", "0000")
    finally:
        app.close()
    [park] = [a for a in ok(tmp_path, "staff", "list") if a["id"] == "park"]
    assert park["locked_until"] is not None and park["failures"] == 5
    text = run(tmp_path, "--lang", "en", "staff", "list").stdout.decode()
    assert "park" in text and "locked until" in text

    assert "(팀장)" in refused(tmp_path, FORBIDDEN, "staff", "unlock", "park", "--as", "lee")  # a team lead may not
    assert refused(tmp_path, FORBIDDEN, "staff", "unlock", "park", "--as", "nobody")
    unlocked = ok(tmp_path, "staff", "unlock", "park", "--as", "choi")
    assert unlocked["id"] == "park" and unlocked["locked_until"] is None
    [park] = [a for a in ok(tmp_path, "staff", "list") if a["id"] == "park"]
    assert park["locked_until"] is None and park["failures"] == 0
    audit = ok(tmp_path, "feedback", "audit", "--as", "jung")
    assert any(e["action"] == "staff.unlocked" and e["actor"] == "choi" and e["subject"] == "park" for e in audit)
