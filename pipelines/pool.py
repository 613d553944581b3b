"""A pool of worker processes with a time limit per task and replacement of dead workers.

``concurrent.futures.ProcessPoolExecutor`` cannot do either: a task that hangs
holds its worker forever, and one worker that dies (trafilatura's C code has been
seen to segfault) breaks the whole executor and every task in it. Here each
worker runs one task at a time over its own pipe; a dispatcher thread hands out
tasks, kills a worker whose task overruns its deadline, and starts a fresh one
in place of any worker that dies. Only that task fails. A task's time limit counts
from when its worker has started (imported its task and run its initializer, at most
``START_TIMEOUT`` seconds), not from the start of an interpreter on a busy host.

Each busy worker is also sent its next task ahead (when it fits in the socket's
buffer, so the send cannot block): it starts it as soon as it has sent a result,
instead of waiting for the dispatcher, a thread that must take the GIL from the
crawler's other threads, to read the result and answer (a worker idled about 4% of a
crawl that way). The next task's time limit starts when the first one's result is
read; if the worker dies or is killed, the task sent ahead goes to its replacement.

Workers ignore SIGINT: on Ctrl-C the crawl finishes the pages in flight first,
then closes the pool.

Two Linux fast paths, each with a portable fallback (macOS, and Linux when forced
with ``NEWSARCHIVE_POOL_PORTABLE=1`` or ``ProcessPool(portable=True)``), chosen when
the pool is made: a "subprocess" worker's death is seen through a pidfd
(``os.pidfd_open``), else through the end of a pipe only the worker holds, which the
system closes when it exits (as multiprocessing does); and what a worker has not read
of its socket is asked of the kernel (``TIOCOUTQ``), else bounded by what was sent to
it since its last result (which sends fewer tasks ahead when tasks are large).

Workers start with ``subprocess`` by default: a fresh interpreter, started by
``subprocess.Popen`` with one end of a socket pair, that imports only this module and
the task's. multiprocessing's own start methods (``spawn``, ``forkserver``, ``fork``)
work too, but ``spawn`` and ``forkserver`` also start multiprocessing's resource-tracker
process (12 MiB for semaphores this pool never makes). With ``subprocess`` the task, the
initializer and their arguments must be importable by name (not defined in ``__main__``).
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import math
import multiprocessing
import os
import pickle
import queue
import signal
import socket
import struct
import subprocess
import sys
import termios
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.reduction import ForkingPickler
from typing import Any

logger = logging.getLogger(__name__)

# What a worker sends once it has started (imported its task, run its initializer): a
# task's time limit counts from then, not from the start of an interpreter on a busy host.
_READY = ("ready", None)
#: Seconds a worker may take to start, on top of its first task's time limit.
START_TIMEOUT = 120.0

#: Set to 1 to use the portable fallbacks where the Linux fast paths exist too.
PORTABLE_ENV = "NEWSARCHIVE_POOL_PORTABLE"


def linux_fast_paths() -> bool:
    """Whether pools use pidfds and ``TIOCOUTQ`` (Linux, unless ``PORTABLE_ENV`` is set)."""
    if os.environ.get(PORTABLE_ENV, "").strip() not in ("", "0"):
        return False
    return hasattr(os, "pidfd_open") and hasattr(termios, "TIOCOUTQ")


class WorkerCrashed(Exception):
    """The worker process running the task died (segfault, OOM kill, ...)."""


class TaskTimeout(Exception):
    """The task ran past its time limit; its worker was killed."""


class TaskError(Exception):
    """The task raised an exception in the worker (its type name and message are kept)."""

    def __init__(self, type_name: str, message: str) -> None:
        super().__init__(f"{type_name}: {message}")
        self.type_name = type_name


class PoolClosed(RuntimeError):
    """A task was submitted to, or still queued in, a pool that is closing."""


def _worker_main(
    conn: Connection,
    target: Callable[..., Any],
    initializer: Callable[..., None] | None,
    initargs: tuple[Any, ...],
) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if initializer is not None:
        initializer(*initargs)
    conn.send(_READY)
    while True:
        try:
            args = conn.recv()
        except (EOFError, OSError):
            return
        if args is None:
            return
        try:
            reply: tuple[str, Any] = ("ok", target(*args))
        except Exception as exc:
            reply = ("error", (type(exc).__name__, str(exc)))
        conn.send(reply)


# What a "subprocess" worker runs: only the standard library until it has the
# parent's sys.path, so the task's modules resolve as they do in the parent. SIGINT is
# ignored first: a Ctrl-C while the worker still imports its task's modules (a second
# or so) would otherwise end it with a KeyboardInterrupt, and its page as a crash.
_CHILD_BOOTSTRAP = (
    "import signal\n"
    "signal.signal(signal.SIGINT, signal.SIG_IGN)\n"
    "import sys\n"
    "from multiprocessing.connection import Connection\n"
    "conn = Connection(int(sys.argv[1]))\n"
    "sys.path[:] = conn.recv()\n"
    "from pipelines.pool import _child_main\n"
    "_child_main(conn)\n"
)


def _child_main(conn: Connection) -> None:
    """The rest of a "subprocess" worker: its task, then the same loop as any worker."""
    target, initializer, initargs = conn.recv()
    _worker_main(conn, target, initializer, initargs)


class _ChildProcess:
    """A "subprocess" worker, with the parts of ``multiprocessing.Process`` the pool uses.
    Its sentinel is readable once the process has exited: a pidfd, or the read end of
    a pipe whose only write end the worker held."""

    __slots__ = ("popen", "sentinel")

    def __init__(self, popen: subprocess.Popen[bytes], sentinel: int) -> None:
        self.popen = popen
        self.sentinel = sentinel

    @property
    def pid(self) -> int:
        return self.popen.pid

    @property
    def exitcode(self) -> int | None:
        return self.popen.poll()

    def is_alive(self) -> bool:
        return self.popen.poll() is None

    def join(self, timeout: float | None = None) -> None:
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.popen.wait(timeout)

    def kill(self) -> None:
        self.popen.kill()

    def close(self) -> None:
        with contextlib.suppress(OSError):
            os.close(self.sentinel)


def _pidfd(pid: int) -> int | None:
    try:
        return os.pidfd_open(pid)
    except OSError:  # a kernel before 5.3, or a sandbox that forbids it
        return None


def _start_child(
    target: Callable[..., Any],
    initializer: Callable[..., None] | None,
    initargs: tuple[Any, ...],
    *,
    use_pidfd: bool,
) -> tuple[_ChildProcess, Connection, int]:
    """A started "subprocess" worker, its connection, and the bytes sent to it."""
    parent, child = socket.socketpair()
    exited, held = os.pipe()  # the fallback sentinel: EOF once the worker has exited
    try:
        popen = subprocess.Popen(
            [sys.executable, "-c", _CHILD_BOOTSTRAP, str(child.fileno())],
            pass_fds=(child.fileno(), held),
            stdin=subprocess.DEVNULL,
        )
    except BaseException:
        os.close(exited)
        raise
    finally:
        child.close()
        os.close(held)
    sentinel = _pidfd(popen.pid) if use_pidfd else None
    if sentinel is None:
        sentinel = exited
    else:
        os.close(exited)
    conn = Connection(parent.detach())
    sent = 0
    for message in (list(sys.path), (target, initializer, initargs)):
        payload = bytes(ForkingPickler.dumps(message))
        sent += len(payload) + _FRAME
        try:
            conn.send_bytes(payload)
        except OSError:
            break  # it died at start: the dispatcher sees its sentinel and replaces it
    return _ChildProcess(popen, sentinel), conn, sent


def _check_importable(*functions: Callable[..., Any] | None) -> None:
    for function in functions:
        if function is not None and getattr(function, "__module__", None) == "__main__":
            raise ValueError(
                f"{function.__qualname__} is defined in __main__: a 'subprocess' worker "
                "cannot import it (move it to a module)"
            )
        if function is not None:
            pickle.dumps(function)


@dataclass(slots=True)
class _Task:
    future: Future[Any]
    args: tuple[Any, ...]
    deadline: float = math.inf
    payload: bytes | None = None  # the pickled args, once the dispatcher has made them
    claimed: bool = False  # its future is marked running (it was sent to a worker once)
    sent: int = 0  # bytes sent for it (with their frame): the portable unread bound


# The send buffer asked for on the dispatcher's end of each worker's socket: the kernel
# grants at most twice net.core.wmem_max (425,984 bytes by default, often more).
_SEND_BUFFER = 8 * 1024 * 1024
# Connection.send_bytes's header: 4 bytes, or 12 for a message of 2 GiB and more.
_FRAME = 12


def _unread_bytes(conn: Connection) -> int:
    """Bytes sent on ``conn`` that the process at the other end has not read yet."""
    out = fcntl.ioctl(conn.fileno(), termios.TIOCOUTQ, b"\0\0\0\0")
    unread: int = struct.unpack("i", out)[0]
    return unread


class _Worker:
    """A worker process, its socket, and the tasks sent to it: the first is running,
    a second one (prefetched) waits in the socket for the worker to finish the first."""

    __slots__ = (
        "conn",
        "prefetch_limit",
        "process",
        "ready",
        "start_bytes",
        "tasks",
        "tasks_done",
    )

    def __init__(
        self,
        process: multiprocessing.process.BaseProcess | _ChildProcess,
        conn: Connection,
        start_bytes: int = 0,
    ) -> None:
        self.process = process
        self.conn = conn
        self.tasks: deque[_Task] = deque()
        self.tasks_done = 0
        self.ready = False  # it said it has started
        self.start_bytes = start_bytes  # sent as it started, read before its first task
        # A prefetched task must fit in the socket's buffer, so that sending it never
        # blocks the dispatcher on a worker still busy with its first task.
        self.prefetch_limit = 0
        with contextlib.suppress(OSError):
            sock = socket.socket(fileno=os.dup(conn.fileno()))
            with sock:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, _SEND_BUFFER)
                self.prefetch_limit = sock.getsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF) // 2

    def unread_bound(self) -> int:
        """At most what the worker has not read yet, without asking the kernel: all it
        was sent since it last sent a result (and what it was sent as it started)."""
        start = self.start_bytes if self.tasks_done == 0 else 0
        return start + sum(task.sent for task in self.tasks)


class ProcessPool:
    """Run ``target(*args)`` in ``workers`` processes; ``submit`` returns a Future.

    ``target`` and ``initializer`` must be importable module-level functions.
    ``max_tasks`` recycles a worker after that many tasks, so memory that a
    parser leaks or fragments is returned to the system.
    """

    def __init__(
        self,
        target: Callable[..., Any],
        workers: int = 0,
        timeout: float = 30.0,
        *,
        max_tasks: int = 0,
        initializer: Callable[..., None] | None = None,
        initargs: tuple[Any, ...] = (),
        start_method: str = "subprocess",
        preload: tuple[str, ...] = (),
        portable: bool | None = None,
    ) -> None:
        self.target = target
        # None: the Linux fast paths where they exist (see PORTABLE_ENV)
        self.fast_paths = linux_fast_paths() if portable is None else not portable
        self.size = workers or os.cpu_count() or 1
        self.timeout = timeout
        self.max_tasks = max_tasks
        self.initializer = initializer
        self.initargs = initargs
        self._context: Any = None
        if start_method == "subprocess":
            _check_importable(target, initializer)
        else:
            self._context = multiprocessing.get_context(start_method)
            if start_method == "forkserver" and preload:
                self._context.set_forkserver_preload(list(preload))
        self._queue: queue.SimpleQueue[_Task | None] = queue.SimpleQueue()
        self._wakeup_r, self._wakeup_w = socket.socketpair()
        self._wakeup_r.setblocking(False)
        self._workers: list[_Worker] = []
        # tasks taken from the queue by the dispatcher thread, waiting for a free worker
        self._pending: deque[_Task] = deque()
        self._draining = False
        self._closing = False
        # True while the dispatcher may sleep with a worker free: only then must a new
        # task wake it. With every worker busy, the next result wakes it anyway, and it
        # takes what was submitted meanwhile (one wake-up per page saved at full load).
        self._wake_on_submit = True
        self._thread: threading.Thread | None = None
        self.replaced = 0

    # --- public --------------------------------------------------------------------

    def start(self) -> ProcessPool:
        self._workers = [self._spawn() for _ in range(self.size)]
        self._thread = threading.Thread(target=self._dispatch, name="extract-pool", daemon=True)
        self._thread.start()
        return self

    def submit(self, *args: Any) -> Future[Any]:
        if self._closing:
            raise PoolClosed("the pool is closing")
        future: Future[Any] = Future()
        self._queue.put(_Task(future, args))
        if self._wake_on_submit:
            self._wake()
        return future

    def close(self, timeout: float | None = None) -> None:
        """Finish the queued tasks, then stop the workers (kill them after ``timeout``)."""
        if self._thread is None:
            return
        self._closing = True
        self._queue.put(None)
        self._wake()
        self._thread.join(timeout)
        for worker in self._workers:
            self._stop_worker(worker, kill=self._thread.is_alive())
        self._workers = []
        self._thread = None
        self._wakeup_r.close()
        self._wakeup_w.close()

    def pids(self) -> list[int]:
        return [w.process.pid for w in self._workers if w.process.pid is not None]

    # --- dispatcher thread --------------------------------------------------------------

    def _dispatch(self) -> None:
        while True:
            self._take_new()
            self._assign()
            busy = [w for w in self._workers if w.tasks]
            if self._draining and not self._pending and not busy:
                return
            # Set the flag before looking at the queue again, as submit() puts before it
            # reads the flag: a task is either seen here or wakes the wait below.
            self._wake_on_submit = any(len(w.tasks) < 2 for w in self._workers)
            if self._wake_on_submit and not self._queue.empty():
                continue
            self._wait_and_collect(busy)
            self._expire(time.monotonic())

    def _take_new(self) -> None:
        """Move submitted tasks to ``_pending``; note when close() was called."""
        while True:
            try:
                task = self._queue.get_nowait()
            except queue.Empty:
                return
            if task is None:
                self._draining = True
            else:
                self._pending.append(task)

    def _assign(self) -> None:
        """Give each idle worker a task, then each busy one its next (prefetched) task:
        the worker starts it the moment it has sent its result, without waiting for
        this thread to get the GIL, read the result and answer."""
        for index in range(len(self._workers)):
            # A worker that cannot take its task is replaced in place: look it up again.
            while self._pending and not self._workers[index].tasks:
                self._send(self._workers[index])
        for worker in self._workers:
            if self._pending and self._may_prefetch(worker):
                self._send(worker)

    def _may_prefetch(self, worker: _Worker) -> bool:
        if len(worker.tasks) != 1:
            return False
        if self.max_tasks and worker.tasks_done + 1 >= self.max_tasks:
            return False  # it is replaced after its current task
        task = self._pending[0]
        if task.payload is None:
            task.payload = bytes(ForkingPickler.dumps(task.args))
        # What the worker has not read of its first task stays in the buffer too. The
        # limit is half the buffer: the send fits, whatever the kernel's overheads.
        if self.fast_paths:
            try:
                unread = _unread_bytes(worker.conn)
            except OSError:
                return False
        else:
            unread = worker.unread_bound()
        return unread + len(task.payload) + _FRAME <= worker.prefetch_limit

    def _send(self, worker: _Worker) -> None:
        task = self._pending.popleft()
        if not task.claimed:
            if not task.future.set_running_or_notify_cancel():
                return
            task.claimed = True
        payload = task.payload
        if payload is None:
            payload = bytes(ForkingPickler.dumps(task.args))
        try:
            worker.conn.send_bytes(payload)
        except (OSError, ValueError) as exc:
            if worker.tasks:  # prefetching: the worker's end is gone; it is seen dying
                self._pending.appendleft(task)
                return
            task.future.set_exception(WorkerCrashed(f"cannot send the task: {exc}"))
            self._replace(worker)
            return
        task.payload = None
        task.sent = len(payload) + _FRAME
        if not worker.tasks:
            starting = 0.0 if worker.ready else START_TIMEOUT
            task.deadline = time.monotonic() + starting + self.timeout
        worker.tasks.append(task)

    def _wait_and_collect(self, busy: list[_Worker]) -> None:
        deadlines = [w.tasks[0].deadline for w in busy]
        timeout = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
        sentinels = {w.process.sentinel: w for w in self._workers}
        conns = {id(w.conn): w for w in busy}
        ready = wait([self._wakeup_r, *(w.conn for w in busy), *sentinels], timeout=timeout)
        if self._wakeup_r in ready:
            with contextlib.suppress(BlockingIOError):
                self._wakeup_r.recv(4096)
        for obj in ready:
            if isinstance(obj, Connection):
                self._collect(conns[id(obj)])
        for obj in ready:
            worker = sentinels.get(obj) if isinstance(obj, int) else None
            if worker is not None and worker in self._workers:
                # A pipe sentinel reads EOF as the process exits, an instant before the
                # system lets its parent reap it: wait that instant rather than spin.
                worker.process.join(1)
                if not worker.process.is_alive():
                    self._on_death(worker)

    def _collect(self, worker: _Worker) -> None:
        try:
            status, value = worker.conn.recv()
        except (EOFError, OSError):
            self._on_death(worker)
            return
        if status == _READY[0]:
            worker.ready = True
            if worker.tasks:  # its first task's time limit starts now
                worker.tasks[0].deadline = time.monotonic() + self.timeout
            return
        task = worker.tasks.popleft() if worker.tasks else None
        worker.tasks_done += 1
        if worker.tasks:  # the prefetched task: the worker started it as it sent this result
            worker.tasks[0].deadline = time.monotonic() + self.timeout
        if self.max_tasks and worker.tasks_done >= self.max_tasks:
            self._replace(worker)
        # The worker's next page goes out before this result is delivered: delivering
        # it runs the future's callbacks (a wake-up of the event loop, which lets another
        # thread take the GIL), and an idle worker would wait until this thread has the
        # GIL back.
        self._take_new()
        self._assign()
        if task is not None:
            if status == "ok":
                task.future.set_result(value)
            else:
                task.future.set_exception(TaskError(*value))

    def _requeue_prefetched(self, worker: _Worker) -> _Task | None:
        """Take back the tasks sent to ``worker``: the first (running) one is returned,
        the others never started and go back to the front of the pending tasks."""
        task = worker.tasks.popleft() if worker.tasks else None
        while worker.tasks:
            self._pending.appendleft(worker.tasks.pop())
        return task

    def _on_death(self, worker: _Worker) -> None:
        task = self._requeue_prefetched(worker)
        worker.process.join(1)
        code = worker.process.exitcode
        logger.warning("extraction worker %s died (exit code %s)", worker.process.pid, code)
        self._replace(worker)
        if task is not None and not task.future.done():
            task.future.set_exception(WorkerCrashed(f"worker died with exit code {code}"))

    def _expire(self, now: float) -> None:
        for worker in list(self._workers):
            if worker.tasks and now >= worker.tasks[0].deadline:
                task = self._requeue_prefetched(worker)
                assert task is not None
                self._replace(worker, kill=True)
                task.future.set_exception(
                    TaskTimeout(f"no result after {self.timeout:g} s; worker killed")
                )

    # --- workers --------------------------------------------------------------------------

    def _spawn(self) -> _Worker:
        if self._context is None:
            return _Worker(
                *_start_child(
                    self.target, self.initializer, self.initargs, use_pidfd=self.fast_paths
                )
            )
        parent, child = self._context.Pipe(duplex=True)
        process = self._context.Process(
            target=_worker_main,
            args=(child, self.target, self.initializer, self.initargs),
            name="newsarchive-extract",
            daemon=True,
        )
        process.start()
        child.close()
        return _Worker(process, parent)

    def _replace(self, worker: _Worker, *, kill: bool = False) -> None:
        self._stop_worker(worker, kill=kill)
        index = self._workers.index(worker)
        self._workers[index] = self._spawn()
        self.replaced += 1

    @staticmethod
    def _stop_worker(worker: _Worker, *, kill: bool) -> None:
        if kill:
            worker.process.kill()
        else:
            with contextlib.suppress(OSError, ValueError):
                worker.conn.send(None)
        worker.process.join(5)
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join(1)
        worker.conn.close()
        if isinstance(worker.process, _ChildProcess):
            worker.process.close()

    def _wake(self) -> None:
        with contextlib.suppress(OSError):
            self._wakeup_w.send(b"\0")
