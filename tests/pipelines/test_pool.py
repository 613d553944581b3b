"""The extraction process pool: results, time limits, dead workers, recycling, shutdown.

Every test that takes the ``pool`` fixture runs twice: with the Linux fast paths (pidfd
sentinels, ``TIOCOUTQ``) and with the portable fallbacks forced (``PORTABLE_ENV``)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import Future, wait
from multiprocessing.connection import Connection
from multiprocessing.reduction import ForkingPickler

import pytest

from pipelines.extract import start_pool
from pipelines.pool import (
    _CHILD_BOOTSTRAP,
    _READY,
    PORTABLE_ENV,
    PoolClosed,
    ProcessPool,
    TaskError,
    TaskTimeout,
    WorkerCrashed,
    _Task,
    linux_fast_paths,
)
from pipelines.worker import DEFAULT_EXTRACT_FUNCTION
from tests.support import pool_tasks

MISSING = "tests.pipelines.no_such_module.extract"


@pytest.fixture(params=["linux", "portable"])
def pool(request, monkeypatch):
    if request.param == "portable":
        monkeypatch.setenv(PORTABLE_ENV, "1")
    elif not linux_fast_paths():
        pytest.skip("no pidfd_open or TIOCOUTQ here: the portable paths are the only ones")
    pools: list[ProcessPool] = []

    def make(target, workers=2, timeout=10.0, **kwargs) -> ProcessPool:
        p = ProcessPool(target, workers, timeout, **kwargs).start()
        assert p.fast_paths == (request.param == "linux")
        pools.append(p)
        return p

    yield make
    for p in pools:
        p.close(timeout=10)


def test_results_come_back_for_every_task(pool):
    p = pool(pool_tasks.echo)
    futures = [p.submit(i) for i in range(50)]
    assert [f.result(timeout=30) for f in futures] == list(range(50))


def test_tasks_submitted_from_many_threads_while_workers_come_and_go_idle_all_run(pool):
    # submit() wakes the dispatcher only while a worker is free: submissions racing with
    # workers going idle (tasks of 0-2 ms, four submitting threads, pauses that let the
    # pool drain) must never leave a task queued next to an idle worker.
    p = pool(pool_tasks.sleep_then)
    results: list[Future] = []
    lock = threading.Lock()

    def submitter(offset: int) -> None:
        for i in range(150):
            future = p.submit((i % 3) / 1000, offset + i)
            with lock:
                results.append(future)
            if i % 25 == 0:
                time.sleep(0.02)

    threads = [threading.Thread(target=submitter, args=(n * 1000,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    done, not_done = wait(results, timeout=60)
    assert not not_done
    expected = {n * 1000 + i for n in range(4) for i in range(150)}
    assert {f.result() for f in done} == expected


def test_a_task_submitted_to_an_idle_pool_runs_without_waiting_for_a_deadline(pool):
    p = pool(pool_tasks.echo, timeout=3600)
    assert p.submit("first").result(timeout=30) == "first"
    time.sleep(0.2)  # both workers idle, the dispatcher asleep with no deadline
    assert p.submit("second").result(timeout=30) == "second"


def started(p: ProcessPool, timeout: float) -> ProcessPool:
    """``p`` once each worker has started (imported its task) and run a task, with its
    time limit set to ``timeout`` from then on: a limit is then the task's alone, not
    the start of an interpreter on a busy host."""
    pids = set(p.pids())
    for _ in range(100):
        p.submit(0, None).result(timeout=60)
        if all(w.tasks_done for w in p._workers):
            break
    assert set(p.pids()) == pids
    p.timeout = timeout
    return p


def test_a_task_past_its_time_limit_fails_alone_and_its_worker_is_replaced(pool):
    # 3 s: a fast task sent ahead behind the slow one goes to its replacement, whose
    # interpreter starts within that task's limit (seconds on a busy host)
    p = started(pool(pool_tasks.sleep_then, workers=2, timeout=60), timeout=3.0)
    pids_before = set(p.pids())
    slow = p.submit(60, "never")
    fast = [p.submit(0, i) for i in range(5)]
    with pytest.raises(TaskTimeout):
        slow.result(timeout=30)
    assert [f.result(timeout=30) for f in fast] == list(range(5))
    assert p.replaced == 1
    assert len(set(p.pids()) - pids_before) == 1
    assert p.submit(0, "after").result(timeout=30) == "after"


def test_a_workers_start_does_not_count_against_its_first_tasks_time_limit(pool):
    # 1.5 s to start (a busy host's interpreter and imports), a 1 s limit per task
    p = pool(pool_tasks.echo, 1, 1.0, initializer=pool_tasks.slow_start, initargs=(1.5,))
    assert p.submit("first").result(timeout=60) == "first"
    assert p.replaced == 0


def test_a_worker_that_dies_fails_only_its_task_and_is_replaced(pool):
    p = pool(pool_tasks.crash, workers=2)
    doomed = p.submit(None)
    with pytest.raises(WorkerCrashed, match="exit code"):
        doomed.result(timeout=30)
    assert p.replaced == 1
    assert len(p.pids()) == 2


def test_crash_amid_other_work_loses_nothing_else(pool):
    p = pool(pool_tasks.sleep_then, workers=2, timeout=30)
    crash_pool = pool(pool_tasks.crash, workers=1)
    futures = [p.submit(0.01, i) for i in range(20)]
    with pytest.raises(WorkerCrashed):
        crash_pool.submit(None).result(timeout=30)
    assert [f.result(timeout=30) for f in futures] == list(range(20))


def test_an_exception_in_the_task_comes_back_with_its_type_and_message(pool):
    p = pool(pool_tasks.fail)
    with pytest.raises(TaskError, match="ValueError: bad page"):
        p.submit("bad page").result(timeout=30)
    assert p.replaced == 0


def test_workers_are_recycled_after_max_tasks(pool):
    p = pool(pool_tasks.pid, workers=1, max_tasks=3)
    pids = [p.submit(None).result(timeout=30) for _ in range(7)]
    assert len(set(pids)) == 3
    assert pids[:3] == [pids[0]] * 3


def _wait_for(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.01)


def test_a_busy_worker_gets_its_next_task_ahead_and_its_time_limit_starts_with_it(pool):
    # One worker, 2 s per task at most: the second task is sent while the first runs
    # (prefetched), and each gets its own 2 s, counted from when it starts.
    p = started(pool(pool_tasks.sleep_then, workers=1, timeout=60), timeout=2.0)
    first = p.submit(1.2, "first")
    _wait_for(lambda: len(p._workers[0].tasks) == 1)
    second = p.submit(1.2, "second")
    _wait_for(lambda: len(p._workers[0].tasks) == 2)
    assert first.result(timeout=30) == "first"
    assert second.result(timeout=30) == "second"
    assert p.replaced == 0


def test_a_task_too_large_for_the_socket_buffer_waits_for_its_worker(pool):
    # Sending it ahead could block the dispatcher until the worker finished its task.
    p = pool(pool_tasks.sleep_then, workers=1, timeout=30)
    first = p.submit(0.5, "first")
    _wait_for(lambda: len(p._workers[0].tasks) == 1)
    big = b"x" * (p._workers[0].prefetch_limit + 1)
    second = p.submit(0, big)
    time.sleep(0.2)
    assert len(p._workers[0].tasks) == 1 and not first.done()
    assert first.result(timeout=30) == "first"
    assert second.result(timeout=30) == big


def test_a_task_sent_ahead_to_a_worker_that_hangs_runs_on_its_replacement(pool):
    # 3 s: the task sent ahead runs on a replacement that starts within its limit
    p = started(pool(pool_tasks.sleep_then, workers=1, timeout=60), timeout=3.0)
    hung = p.submit(60, "never")
    _wait_for(lambda: len(p._workers[0].tasks) == 1)
    behind = p.submit(0, "behind")
    _wait_for(lambda: len(p._workers[0].tasks) == 2)
    with pytest.raises(TaskTimeout):
        hung.result(timeout=30)
    assert behind.result(timeout=30) == "behind"
    assert p.replaced == 1


def test_a_task_sent_ahead_to_a_worker_that_crashes_runs_on_its_replacement(pool):
    p = pool(pool_tasks.sleep_then_crash_on, workers=1, timeout=30)
    doomed = p.submit(0.5, "crash")
    _wait_for(lambda: len(p._workers[0].tasks) == 1)
    behind = p.submit(0, "behind")
    _wait_for(lambda: len(p._workers[0].tasks) == 2)
    with pytest.raises(WorkerCrashed, match="exit code"):
        doomed.result(timeout=30)
    assert behind.result(timeout=30) == "behind"
    assert p.replaced == 1


def test_close_finishes_queued_tasks_first(pool):
    p = pool(pool_tasks.sleep_then, workers=1, timeout=30)
    futures = [p.submit(0.05, i) for i in range(6)]
    started = time.monotonic()
    p.close(timeout=30)
    _, not_done = wait(futures, timeout=0)
    assert not not_done and [f.result() for f in futures] == list(range(6))
    assert time.monotonic() - started >= 0.2
    with pytest.raises(PoolClosed):
        p.submit(0, 0)


def test_a_task_that_cannot_be_sent_fails_alone_and_the_next_go_to_the_replacement():
    # The dispatcher's own step, driven by hand: the pipe to the only worker is broken
    # (the worker died between two tasks, before its death was noticed) while three
    # tasks wait. The first fails, the worker is replaced in place, the rest run.
    p = ProcessPool(pool_tasks.echo, 1, 10)
    p._workers = [p._spawn()]
    p._workers[0].conn.close()
    futures: list[Future[object]] = [Future() for _ in range(3)]
    p._pending.extend(_Task(future, (i,)) for i, future in enumerate(futures))

    p._assign()

    with pytest.raises(WorkerCrashed, match="cannot send"):
        futures[0].result(timeout=0)
    assert p.replaced == 1
    sent = p._workers[0].tasks
    assert sent and sent[0].future is futures[1]
    # the third went out after it (prefetched) or waits; either way the dispatcher runs it
    while p._pending:
        p._queue.put(p._pending.popleft())
    p._thread = threading.Thread(target=p._dispatch, daemon=True)
    p._thread.start()
    assert [f.result(timeout=30) for f in futures[1:]] == [1, 2]
    p.close(timeout=10)


def _children(pid: int) -> set[int]:
    found = set()
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/children") as file:
            found.update(int(child) for child in file.read().split())
    return found


def test_subprocess_workers_are_the_only_processes_the_pool_starts(pool):
    # multiprocessing's spawn and forkserver would also start its resource tracker
    before = _children(os.getpid())
    p = pool(pool_tasks.pid)
    assert {p.submit(i).result(timeout=30) for i in range(20)} <= set(p.pids())
    assert len(p.pids()) == 2
    assert _children(os.getpid()) - before == set(p.pids())


def test_a_worker_that_dies_idle_is_replaced(pool):
    p = pool(pool_tasks.pid, workers=1)
    first = p.submit(0).result(timeout=30)
    os.kill(first, signal.SIGKILL)
    deadline = time.monotonic() + 30
    while p.replaced == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert p.replaced == 1
    assert p.submit(0).result(timeout=30) not in (first, None)


def test_multiprocessing_start_methods_still_work(pool):
    p = pool(pool_tasks.echo, start_method="spawn")
    assert [p.submit(i).result(timeout=30) for i in range(5)] == list(range(5))


def _defined_in_main(value: object) -> object:
    return value


def test_a_subprocess_worker_task_must_be_importable():
    _defined_in_main.__module__ = "__main__"
    with pytest.raises(ValueError, match="defined in __main__"):
        ProcessPool(_defined_in_main, 1, 10)


def test_extraction_workers_import_the_engine_as_they_start():
    p = start_pool(1, 30, task=pool_tasks.extraction_loaded)
    try:
        assert p.submit(b"", None, "http://127.0.0.1/", DEFAULT_EXTRACT_FUNCTION, True).result(30)
    finally:
        p.close(10)


def test_an_extraction_function_that_cannot_be_imported_fails_each_page_not_the_pool():
    p = start_pool(1, 30, MISSING)
    try:
        page = b"<html><body><p>" + b"Words of a story. " * 40 + b"</p></body></html>"
        for _ in range(2):
            future = p.submit(page, "utf-8", "http://127.0.0.1/a", MISSING, True)
            with pytest.raises(TaskError, match="ModuleNotFoundError"):
                future.result(30)
        assert p.replaced == 0
    finally:
        p.close(10)


def _fd_kind(fd: int) -> str:
    return os.readlink(f"/proc/self/fd/{fd}")


def test_the_fast_paths_are_chosen_on_linux_and_the_fallbacks_when_forced_or_missing(monkeypatch):
    assert linux_fast_paths() == hasattr(os, "pidfd_open")
    monkeypatch.setenv(PORTABLE_ENV, "1")
    assert not linux_fast_paths()
    monkeypatch.setenv(PORTABLE_ENV, "0")
    assert linux_fast_paths() == hasattr(os, "pidfd_open")
    monkeypatch.delattr(os, "pidfd_open", raising=False)  # as on macOS
    assert not linux_fast_paths()
    assert not ProcessPool(pool_tasks.echo, 1, 10).fast_paths


@pytest.mark.skipif(not hasattr(os, "pidfd_open"), reason="Linux only: pidfds")
def test_a_worker_is_watched_through_a_pidfd_or_else_a_pipe(pool, monkeypatch):
    p = pool(pool_tasks.echo, workers=1)
    kind = _fd_kind(p._workers[0].process.sentinel)
    assert ("pidfd" in kind) == p.fast_paths and ("pipe" in kind) == (not p.fast_paths)


def test_a_worker_whose_pidfd_cannot_be_opened_is_watched_through_a_pipe(monkeypatch):
    def refused(pid: int) -> int:
        raise OSError(38, "Function not implemented")

    monkeypatch.setattr(os, "pidfd_open", refused, raising=False)
    p = ProcessPool(pool_tasks.pid, 1, 10, portable=False).start()
    try:
        assert "pipe" in _fd_kind(p._workers[0].process.sentinel)
        first = p.submit(0).result(timeout=30)
        os.kill(first, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while p.replaced == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert p.replaced == 1
        assert p.submit(0).result(timeout=30) not in (first, None)
    finally:
        p.close(10)


def test_a_subprocess_worker_ignores_ctrl_c_while_it_starts():
    # On Ctrl-C the terminal signals the whole process group, workers included; a worker
    # still in its bootstrap (waiting for its sys.path, importing its task's modules) must
    # not die of it, or the page it was about to take ends as a crash.
    parent, child = socket.socketpair()
    worker = subprocess.Popen(
        [sys.executable, "-c", _CHILD_BOOTSTRAP, str(child.fileno())],
        pass_fds=(child.fileno(),),
        stdin=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    child.close()
    conn = Connection(parent.detach())
    try:
        time.sleep(1.0)  # the interpreter is up and waits for its sys.path
        worker.send_signal(signal.SIGINT)
        time.sleep(0.2)
        assert worker.poll() is None, worker.stderr.read() if worker.stderr else b""
        for message in (list(sys.path), (pool_tasks.echo, None, ())):
            conn.send_bytes(bytes(ForkingPickler.dumps(message)))
        assert conn.recv() == _READY
        conn.send((7,))
        assert conn.recv() == ("ok", 7)
        conn.send(None)
        assert worker.wait(timeout=30) == 0
    finally:
        conn.close()
        if worker.poll() is None:
            worker.kill()
        worker.wait()
        if worker.stderr:
            worker.stderr.close()
