"""Give memory that large reads have freed back to the operating system.

A million-row ingest frees gigabytes in many small blocks (calamine's copy of the sheet,
the cells of the grid, a batch conversion), and glibc's allocator keeps those pages as
part of the process's resident memory: the next stage then starts 0.5-1 GB higher than it
needs to (``bench/results.md``, 1M rows). :func:`release` asks glibc to return them.
"""

from __future__ import annotations

import ctypes
import sys
from functools import cache


@cache
def _malloc_trim():
    """The C library's ``malloc_trim`` (glibc), or None where there is none (macOS, musl, Windows)."""
    try:
        return ctypes.CDLL(None).malloc_trim  # the symbols already loaded: no library search
    except (OSError, AttributeError, TypeError):
        return None


def release() -> None:
    """Return the C heap's free pages to the operating system (glibc ``malloc_trim(0)``; a no-op elsewhere).

    Also the free pages of Arrow's memory pool (the ``string`` columns' buffers, allocated by
    mimalloc or jemalloc, which keep freed pages for reuse: 120 MB after a 1M-row parse), when
    pyarrow is already imported (it is not imported here). Costs about a millisecond; call it
    after a stage that freed a large part of memory.
    """
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
    arrow = sys.modules.get("pyarrow")
    if arrow is not None:
        arrow.default_memory_pool().release_unused()
