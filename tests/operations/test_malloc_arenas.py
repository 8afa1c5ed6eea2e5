"""The long-running commands cap glibc's malloc arenas, so request threads share a few of them."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from service.cli.malloc_arenas import limit_malloc_arenas

# Eight threads allocate at the same moment; glibc's malloc_info lists one <heap> per arena.
PROBE = textwrap.dedent(
    """
    import ctypes, sys, threading
    from service.cli.malloc_arenas import limit_malloc_arenas

    if sys.argv[1] == "capped":
        assert limit_malloc_arenas(2)
    libc = ctypes.CDLL(None)
    libc.malloc.restype, libc.malloc.argtypes = ctypes.c_void_p, [ctypes.c_size_t]
    libc.free.argtypes = [ctypes.c_void_p]
    libc.fopen.restype, libc.fopen.argtypes = ctypes.c_void_p, [ctypes.c_char_p, ctypes.c_char_p]
    libc.malloc_info.argtypes = [ctypes.c_int, ctypes.c_void_p]
    libc.fclose.argtypes = [ctypes.c_void_p]
    together = threading.Barrier(8)
    kept = []

    def work():
        together.wait()
        kept.extend(libc.malloc(256) for _ in range(200))
        together.wait()  # nobody leaves (and hands its arena on) before all have allocated

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    out = libc.fopen(sys.argv[2].encode(), b"w")
    libc.malloc_info(0, out)
    libc.fclose(out)
    for p in kept:
        libc.free(p)
    """
)


def arenas_after_eight_threads(mode: str, tmp_path: Path) -> int:
    report = tmp_path / f"{mode}.xml"
    env = {k: v for k, v in os.environ.items() if k != "MALLOC_ARENA_MAX"}
    subprocess.run([sys.executable, "-c", PROBE, mode, str(report)], check=True, env=env, timeout=60)
    return report.read_text().count("<heap nr=")


def test_capped_arenas_stay_at_two_while_eight_threads_allocate(tmp_path: Path) -> None:
    uncapped = arenas_after_eight_threads("default", tmp_path)
    capped = arenas_after_eight_threads("capped", tmp_path)
    assert uncapped >= 4, uncapped  # glibc's default gives concurrent threads arenas of their own
    assert capped <= 2, capped


def test_an_explicit_malloc_arena_max_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MALLOC_ARENA_MAX", "4")
    assert limit_malloc_arenas(2) is False


def test_zero_leaves_the_default() -> None:
    assert limit_malloc_arenas(0) is False
