"""Signals during indexing: SIGTERM stops like Ctrl-C; a killed `reindex --full` loses no search."""

from __future__ import annotations

import signal

from cli_support import run_cli, run_json
from fault_support import DEMO, RunningCli, photos_with_copies


def test_sigterm_during_index_keeps_the_photos_already_encoded(tmp_path):
    photos = photos_with_copies(tmp_path / "photos", 600)
    library = tmp_path / "library"
    run = RunningCli("index", str(photos), *DEMO, library=library)
    run.wait_until(lambda: run.photos_done() >= 100)
    done = run.photos_done()
    run.proc.send_signal(signal.SIGTERM)
    stderr = run.finish()

    assert run.proc.returncode == 143
    assert stderr.strip().splitlines()[-1] == (
        "photosearch: stopped by SIGTERM; finished work is saved"
    )
    assert run_json("status", library=library)["photos"] >= done


def test_killed_full_reindex_leaves_every_photo_searchable(tmp_path):
    photos = photos_with_copies(tmp_path / "photos", 400)
    library = tmp_path / "library"
    assert run_cli("index", str(photos), *DEMO, library=library).returncode == 0
    query = ("search", "--image", str(photos / "skimage_chelsea.png"), "-k", "5")
    before = run_json(*query, library=library)

    run = RunningCli("reindex", "--full", library=library)
    run.wait_until(lambda: run.photos_done() >= 20)
    run.proc.send_signal(signal.SIGKILL)
    run.finish()
    assert run_json("status", library=library)["pending"] > 0  # the kill landed mid-way

    during = run_json(*query, library=library)
    assert [r["score"] for r in during] == [r["score"] for r in before]
