"""dashboard.cache.settle_heap: what lives for the whole server process is out of each run's GC walk."""

import gc
import weakref

from dashboard.cache import settle_heap


class _Node:
    pass


def test_settle_heap_freezes_what_lives_and_frees_frozen_cycles_at_the_next_settle():
    node = _Node()
    node.self = node  # a reference cycle: only the cycle collector frees it
    ref = weakref.ref(node)
    try:
        settle_heap()
        assert gc.get_freeze_count() > 0
        assert not any(o is node for o in gc.get_objects())  # frozen: a collection does not walk it
        del node
        gc.collect()
        assert ref() is not None  # a frozen cycle survives ordinary collections...
        settle_heap()
        assert ref() is None  # ...not the next settle, which unfreezes and collects first
    finally:
        gc.unfreeze()


def test_an_apptest_run_does_not_freeze_the_test_process():
    from streamlit.testing.v1 import AppTest

    def script():
        from dashboard.cache import settle_heap_once

        settle_heap_once()

    gc.unfreeze()
    at = AppTest.from_function(script)
    at.run()
    assert not at.exception
    assert gc.get_freeze_count() == 0
