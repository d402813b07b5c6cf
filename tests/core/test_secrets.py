"""Secrets: a password or key that every local account can read is refused at start, with the fix;
the central password comes from the environment or a private file, and TLS options reach libpq."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from kiosk.bootstrap import bootstrap
from kiosk.config import ConfigError, load_config

CENTRAL = "postgresql+psycopg://kiosk@db.example.kr:5432/central"


def write(path: Path, text: str, mode: int) -> Path:
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)
    return path


def test_the_central_password_comes_from_a_private_file_with_tls_options(tmp_path: Path) -> None:
    write(tmp_path / "central.pw", "s3cret-Pw\n", 0o600)
    config = write(
        tmp_path / "kiosk.toml",
        f'[sync]\ncentral_url = "{CENTRAL}"\npassword_file = "central.pw"\n'
        'sslmode = "verify-full"\nsslrootcert = "/etc/kiosk/ca.pem"\n',
        0o644,  # no secret in it: may be readable
    )
    url = make_url(load_config(config, env={}).central_url or "")
    assert url.password == "s3cret-Pw"
    assert url.query == {"sslmode": "verify-full", "sslrootcert": "/etc/kiosk/ca.pem"}
    # The environment wins over the file (a service manager's credential store).
    env_url = make_url(load_config(config, env={"KIOSK_CENTRAL_PASSWORD": "from-env"}).central_url or "")
    assert env_url.password == "from-env"


@pytest.mark.parametrize(
    ("files", "what"),
    [
        ({"central.pw": ("pw\n", 0o644)}, "password_file"),
        ({}, "configuration file"),
    ],
)
def test_a_world_readable_secret_is_refused_with_the_fix(tmp_path: Path, files: dict, what: str) -> None:
    for name, (text, mode) in files.items():
        write(tmp_path / name, text, mode)
    body = (
        f'[sync]\ncentral_url = "{CENTRAL}"\npassword_file = "central.pw"\n'
        if files
        else '[sync]\ncentral_url = "postgresql+psycopg://kiosk:inline-pw@db.example.kr/central"\n'
    )
    config = write(tmp_path / "kiosk.toml", body, 0o644)
    with pytest.raises(ConfigError) as caught:
        load_config(config, env={})
    message = str(caught.value)
    assert what in message and "chmod 600" in message and "every local account" in message
    assert "inline-pw" not in message  # the secret itself is never repeated


def test_a_world_readable_voice_box_key_stops_the_start(tmp_path: Path) -> None:
    key = write(tmp_path / "feedback.key", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n", 0o644)
    config = load_config(demo=True, data_dir=tmp_path, env={})
    with pytest.raises(ConfigError, match="chmod 600"):
        bootstrap(config, sync_on_start=False)
    key.chmod(0o600)
    bootstrap(config, sync_on_start=False).close()


def test_the_cli_refuses_with_exit_8_and_one_sentence(tmp_path: Path) -> None:
    write(tmp_path / "central.pw", "pw\n", 0o604)
    config = write(tmp_path / "kiosk.toml", f'[sync]\ncentral_url = "{CENTRAL}"\npassword_file = "central.pw"\n', 0o600)
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    out = subprocess.run(
        [sys.executable, "-m", "kiosk", "--config", str(config), "--data-dir", str(tmp_path), "queue"],
        capture_output=True,
        env=env,
        timeout=60,
    )
    assert out.returncode == 8
    err = out.stderr.decode()
    assert "chmod 600" in err and "Traceback" not in err


@pytest.mark.postgres
def test_sslmode_reaches_the_driver(postgres_url: str, tmp_path: Path) -> None:
    """The local server has no TLS: ``require`` is refused by the server's answer (the option got
    through), ``disable`` connects."""
    from sqlalchemy import text

    from kiosk.store.engine import make_engine

    for mode, works in (("disable", True), ("require", False)):
        config = write(
            tmp_path / f"{mode}.toml", f'[sync]\ncentral_url = "{postgres_url}"\nsslmode = "{mode}"\n', 0o600
        )
        engine = make_engine(load_config(config, env={}).central_url or "")
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            connected = True
        except Exception as exc:
            connected = False
            assert "SSL" in str(exc)
        finally:
            engine.dispose()
        assert connected is works
