"""`photosearch service install|uninstall|status` on Linux, against a systemd user folder
of the test's own (XDG_CONFIG_HOME), with a recording `systemctl` or none on PATH."""

from __future__ import annotations

import plistlib
import shlex
import signal
import subprocess
import time
from pathlib import Path

import pytest
from cli_support import copy_shared_photos, run_cli
from service_support import index_library, serving

from app.autostart import launchd, windows

pytestmark = pytest.mark.timeout(900)
UNIT = "photosearch-watch.service"


def _env(tmp_path: Path, *, systemctl: bool) -> dict:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    if systemctl:  # records its arguments, as systemd would take them
        fake = bin_dir / "systemctl"
        fake.write_text(f'#!/bin/sh\necho "$@" >> {tmp_path / "systemctl.log"}\n')
        fake.chmod(0o755)
    return {"XDG_CONFIG_HOME": str(tmp_path / "config"), "PATH": str(bin_dir)}


def _unit_values(text: str, key: str) -> list[str]:
    return [line.split("=", 1)[1] for line in text.splitlines() if line.startswith(f"{key}=")]


def _systemd_words(value: str) -> list[str]:
    """A command line as systemd reads our fully quoted form (``%%`` and ``$$`` undone)."""
    return [w.replace("%%", "%").replace("$$", "$") for w in shlex.split(value)]


@pytest.fixture(scope="module")
def library(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("login")
    lib = root / "library with space %"
    index_library(copy_shared_photos(root / "photos"), lib)
    return lib


def test_install_writes_a_unit_that_runs_watch_for_this_library(tmp_path, library):
    env = _env(tmp_path, systemctl=True)
    proc = run_cli("service", "install", library=library, env=env)
    assert proc.returncode == 0, proc.stderr
    unit = tmp_path / "config" / "systemd" / "user" / UNIT
    text = unit.read_text()
    assert "WantedBy=default.target" in text and "Restart=on-failure" in text
    assert (tmp_path / "systemctl.log").read_text().splitlines() == [
        "--user daemon-reload",
        f"--user enable --now {UNIT}",
    ]
    # Run the unit's command line the way systemd would, in its environment: it is a
    # `watch` of this library that answers searches.
    (exec_start,) = _unit_values(text, "ExecStart")
    unit_env = dict(_systemd_words(v)[0].split("=", 1) for v in _unit_values(text, "Environment"))
    argv = _systemd_words(exec_start)
    assert argv[-3:] == ["--library", str(library), "watch"]
    watch = subprocess.Popen(
        argv, env={"PATH": "/usr/bin:/bin", **unit_env}, cwd="/", stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 300
        while not serving(library):
            assert watch.poll() is None, watch.stderr.read()
            assert time.monotonic() < deadline, "the unit's watch did not answer"
            time.sleep(0.5)
        status = run_cli("service", "status", library=library, env=env)
        assert "login service: installed" in status.stdout
        assert "running: yes" in status.stdout
    finally:
        watch.send_signal(signal.SIGTERM)
        watch.wait(timeout=120)


def test_uninstall_stops_and_removes_the_unit(tmp_path, library):
    env = _env(tmp_path, systemctl=True)
    assert run_cli("service", "install", library=library, env=env).returncode == 0
    proc = run_cli("service", "uninstall", library=library, env=env)
    assert proc.returncode == 0, proc.stderr
    assert not (tmp_path / "config" / "systemd" / "user" / UNIT).exists()
    assert f"--user disable --now {UNIT}" in (tmp_path / "systemctl.log").read_text()
    status = run_cli("service", "status", library=library, env=env)
    assert "login service: not installed" in status.stdout
    assert "running: no" in status.stdout


def test_without_systemctl_install_says_in_one_line_how_to_enable_it(tmp_path, library):
    proc = run_cli("service", "install", library=library, env=_env(tmp_path, systemctl=False))
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "config" / "systemd" / "user" / UNIT).exists()
    hint = [line for line in proc.stdout.splitlines() if "systemctl --user" in line]
    assert len(hint) == 1 and f"systemctl --user enable --now {UNIT}" in hint[0]


def test_install_refuses_a_library_without_folders(tmp_path):
    empty = tmp_path / "empty"
    assert run_cli("watch", library=empty).returncode == 1  # makes the library, no folders
    proc = run_cli("service", "install", library=empty, env=_env(tmp_path, systemctl=True))
    assert proc.returncode == 1 and len(proc.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "config" / "systemd" / "user" / UNIT).exists()


def test_launchd_agent_and_windows_entry_run_watch_for_the_library(tmp_path, monkeypatch):
    library = tmp_path / "my library"
    agent = plistlib.loads(plistlib.dumps(launchd.agent(library)))
    assert agent["ProgramArguments"][-3:] == ["--library", str(library), "watch"]
    assert agent["RunAtLoad"] is True and agent["EnvironmentVariables"]["PYTHONPATH"]
    monkeypatch.setenv("APPDATA", str(tmp_path / "appdata"))
    assert windows.install(library)[0].startswith("installed")
    script = windows.entry_path().read_text()
    assert f'"--library" "{library}" "watch"' in script
    assert windows.entry_path().parent.name == "Startup"
