"""Before Qt starts: missing X11 libraries are named, with the command that installs them."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from app.gui.platform_check import package_for, problem


def test_the_libraries_a_fresh_debian_lacks_map_to_their_packages():
    names = ["libxcb-cursor.so.0", "libxcb-icccm.so.4", "libxcb-keysyms.so.1"]
    assert [package_for(n) for n in names] == ["libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1"]
    assert package_for("libxkbcommon-x11.so.0") == "libxkbcommon-x11-0"


@pytest.mark.skipif(shutil.which("gcc") is None, reason="needs a C compiler to build the probe")
def test_a_plugin_with_a_missing_library_is_reported_with_the_install_command(tmp_path):
    # A real shared object that needs a library which is then deleted: as the xcb plugin
    # on a machine without libxcb-icccm4.
    (tmp_path / "stub.c").write_text("int stub(void) { return 1; }\n")
    (tmp_path / "probe.c").write_text("int stub(void);\nint probe(void) { return stub(); }\n")
    stub = tmp_path / "libxcb-phototest.so.7"
    subprocess.run(
        ["gcc", "-shared", "-fPIC", "-o", str(stub), str(tmp_path / "stub.c"),
         "-Wl,-soname,libxcb-phototest.so.7"],
        check=True,
    )  # fmt: skip
    (tmp_path / "libxcb-phototest.so").symlink_to(stub.name)  # for the linker
    probe = tmp_path / "libprobe.so"
    subprocess.run(
        ["gcc", "-shared", "-fPIC", "-o", str(probe), str(tmp_path / "probe.c"),
         f"-L{tmp_path}", "-lxcb-phototest", "-Wl,-rpath,$ORIGIN"],
        check=True,
    )  # fmt: skip
    assert problem(probe) is None or "phototest" not in problem(probe)  # found while present
    stub.unlink()
    message = problem(probe)
    assert message is not None
    assert "libxcb-phototest.so.7" in message
    assert "sudo apt install libxcb-phototest7" in message
