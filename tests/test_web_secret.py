"""The console's session key: the config's, else GOVWATCH_WEB_SECRET, else one generated once into a
0600 file beside the database (beside the config for a database that is not a file)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from core.config import loads
from govwatch.web.secret import ENV_VAR, SecretError, key_file, secret_key


def config(tmp_path: Path, extra: str = "", url: str = "") -> object:
    url = url or f"sqlite:///{tmp_path / 'data' / 'gw.db'}"
    (tmp_path / "data").mkdir(exist_ok=True)
    return loads(f'[database]\nurl = "{url}"\n{extra}', tmp_path / "govwatch.toml")


def test_generated_once_beside_the_database_readable_by_its_owner_only(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)
    made = config(tmp_path)
    first = secret_key(made)
    path = tmp_path / "data" / "gw.db.web-secret"
    assert key_file(made) == path and len(first) >= 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert secret_key(made) == first  # kept: sessions survive a restart
    assert list((tmp_path / "data").iterdir()) == [path]  # nothing left aside


def test_the_config_then_the_environment_win(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VAR, "from-the-environment-0123")
    assert secret_key(config(tmp_path)) == "from-the-environment-0123"
    assert secret_key(config(tmp_path, '[web]\nsecret_key = "from-the-config-file-0123"\n')) == "from-the-config-file-0123"
    assert not (tmp_path / "data" / "gw.db.web-secret").exists()


def test_a_database_that_is_no_file_keeps_it_beside_the_config(tmp_path: Path) -> None:
    assert key_file(config(tmp_path, url="postgresql+psycopg://u@127.0.0.1/gw")) == tmp_path / "govwatch-web-secret"


def test_a_key_file_others_can_read_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)
    made = config(tmp_path)
    secret_key(made)
    key_file(made).chmod(0o644)
    with pytest.raises(SecretError, match="chmod 600"):
        secret_key(made)
