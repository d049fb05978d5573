"""Linux: a systemd user unit, ``$XDG_CONFIG_HOME/systemd/user/photosearch-watch.service``."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from app.autostart.launch_command import NAME, environment, photosearch_argv
from app.translation import _

UNIT = f"{NAME}.service"
ENABLE = f"systemctl --user enable --now {UNIT}"


def unit_path() -> Path:
    config = os.environ.get("XDG_CONFIG_HOME") or os.path.expanduser("~/.config")
    return Path(config) / "systemd" / "user" / UNIT


def quote(arg: str) -> str:
    """One word for systemd's command lines: double-quoted, ``%`` and ``$`` doubled."""
    escaped = arg.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("%", "%%").replace("$", "$$") + '"'


def unit_text(library: Path) -> str:
    exec_start = " ".join(quote(a) for a in photosearch_argv(library, "watch"))
    env = "\n".join(f"Environment={quote(f'{k}={v}')}" for k, v in environment().items())
    return f"""[Unit]
Description=photosearch: index photo folders as they change and answer searches
After=default.target

[Service]
Type=simple
ExecStart={exec_start}
{env}
Restart=on-failure
RestartSec=30
Nice=10
IOSchedulingClass=idle
KillSignal=SIGTERM
TimeoutStopSec=120

[Install]
WantedBy=default.target
"""


def systemctl(*args: str) -> str | None:
    """Run ``systemctl --user``: None when it worked, else the one-line reason."""
    tool = shutil.which("systemctl")
    if tool is None:
        return "systemctl is not available here"
    try:
        proc = subprocess.run([tool, "--user", *args], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"systemctl failed: {exc}"
    if proc.returncode:
        why = proc.stderr.strip() or proc.stdout.strip() or f"exit {proc.returncode}"
        return f"systemctl --user {' '.join(args)}: {why.splitlines()[0]}"
    return None


def install(library: Path) -> list[str]:
    path = unit_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(unit_text(library), encoding="utf-8")
    lines = [_("installed {path}").format(path=path)]
    if shutil.which("systemctl") is None:
        hint = _("systemctl is not available here; to start it at login run: {command}")
        return [*lines, hint.format(command=ENABLE)]
    problem = systemctl("daemon-reload") or systemctl("enable", "--now", UNIT)
    if problem:
        failed = _("installed {path}, but could not start it: {problem}; try: {command}")
        raise OSError(failed.format(path=path, problem=problem, command=ENABLE))
    return [*lines, _("started; it starts at each login ({unit})").format(unit=UNIT)]


def uninstall() -> list[str]:
    path = unit_path()
    if not path.exists():
        return [_("not installed ({path})").format(path=path)]
    lines = []
    if shutil.which("systemctl") is not None:
        problem = systemctl("disable", "--now", UNIT)
        if problem:
            lines.append(_("note: {note}").format(note=problem))
    path.unlink()
    if shutil.which("systemctl") is not None:
        systemctl("daemon-reload")
    return [*lines, _("removed {path}").format(path=path)]


def state() -> tuple[Path, bool, str | None]:
    """The unit's path, whether it is installed, and systemd's word on it (or None)."""
    path = unit_path()
    if not path.exists() or shutil.which("systemctl") is None:
        return path, path.exists(), None
    tool = shutil.which("systemctl") or "systemctl"
    try:
        proc = subprocess.run(
            [tool, "--user", "is-active", UNIT], capture_output=True, text=True, timeout=30
        )
    except (OSError, subprocess.TimeoutExpired):
        return path, True, None
    return path, True, (proc.stdout.strip() or None)
