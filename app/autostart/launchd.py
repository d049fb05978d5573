"""macOS: a launchd agent, ``~/Library/LaunchAgents/org.photosearch.watch.plist``."""

from __future__ import annotations

import plistlib
import shutil
import subprocess
from pathlib import Path

from app.autostart.launch_command import NAME, environment, photosearch_argv
from app.translation import _

LABEL = "org.photosearch.watch"


def plist_path() -> Path:
    return Path.home() / "Library" / "LaunchAgents" / f"{LABEL}.plist"


def agent(library: Path) -> dict:
    log = str(Path.home() / "Library" / "Logs" / f"{NAME}.log")
    return {
        "Label": LABEL,
        "ProgramArguments": photosearch_argv(library, "watch"),
        "EnvironmentVariables": environment(),
        "RunAtLoad": True,
        "KeepAlive": {"SuccessfulExit": False},  # restarted after a crash, not after a stop
        "ProcessType": "Background",
        "StandardErrorPath": log,
        "StandardOutPath": log,
    }


def _launchctl(*args: str) -> str | None:
    tool = shutil.which("launchctl")
    if tool is None:
        return "launchctl is not available here"
    proc = subprocess.run([tool, *args], capture_output=True, text=True, timeout=60)
    if proc.returncode:
        why = proc.stderr.strip() or f"exit {proc.returncode}"
        return f"launchctl {' '.join(args)}: {why.splitlines()[0]}"
    return None


def install(library: Path) -> list[str]:
    path = plist_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as f:
        plistlib.dump(agent(library), f)
    problem = _launchctl("load", "-w", str(path))
    installed = _("installed {path}").format(path=path)
    if problem:
        note = _("note: {note}").format(note=problem)
        return [installed, note, _("it starts at the next login")]
    return [installed, _("started; it starts at each login ({unit})").format(unit=LABEL)]


def uninstall() -> list[str]:
    path = plist_path()
    if not path.exists():
        return [_("not installed ({path})").format(path=path)]
    _launchctl("unload", "-w", str(path))
    path.unlink()
    return [_("removed {path}").format(path=path)]


def state() -> tuple[Path, bool, str | None]:
    path = plist_path()
    if not path.exists() or shutil.which("launchctl") is None:
        return path, path.exists(), None
    loaded = _launchctl("list", LABEL) is None
    return path, True, "loaded" if loaded else "not loaded"
