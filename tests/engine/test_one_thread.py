"""One intra-op thread for a text encode: every thread that entered gets its thread count
back, also when another thread's encode overlapped its own."""

from __future__ import annotations

import threading

import pytest
import torch

from engine.one_thread import one_intra_op_thread


def _openmp_team_size() -> int:
    """This thread's OpenMP team size (per thread, unlike torch's count)."""
    for line in torch.__config__.parallel_info().splitlines():
        if "omp_get_max_threads()" in line:
            return int(line.split(":")[1])
    pytest.skip("torch without OpenMP")


def test_overlapping_callers_each_get_their_thread_count_back():
    before = torch.get_num_threads()
    torch.set_num_threads(2)
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    seen: dict[str, tuple[int, int]] = {}

    def first() -> None:  # in first, out first
        with one_intra_op_thread():
            inside = _openmp_team_size()
            first_in.set()
            second_in.wait()
        first_out.set()
        seen["first"] = (inside, _openmp_team_size())

    def second() -> None:  # in second, out last
        first_in.wait()
        with one_intra_op_thread():
            inside = _openmp_team_size()
            second_in.set()
            first_out.wait()
        seen["second"] = (inside, _openmp_team_size())

    try:
        threads = [threading.Thread(target=first), threading.Thread(target=second)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert seen == {"first": (1, 2), "second": (1, 2)}
        assert torch.get_num_threads() == 2
    finally:
        torch.set_num_threads(before)
