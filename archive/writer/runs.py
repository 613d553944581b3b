"""Crawl runs as the archive records them: started, finished with their stats and
per-site outcomes, or abandoned when the process that ran them is gone."""

from __future__ import annotations

import os
import socket
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select, update

from archive.models import CrawlRun, CrawlRunOutcome
from archive.tables import utcnow

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class CrawlRuns:
    """Records the crawl runs of one archive."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def start_run(self, args: dict[str, Any]) -> int:
        with self.engine.begin() as conn:
            run_id = conn.execute(
                insert(CrawlRun)
                .values(
                    started_at=utcnow(),
                    status="running",
                    args=args,
                    stats={},
                    hostname=socket.gethostname(),
                    pid=os.getpid(),
                )
                .returning(CrawlRun.id)
            ).scalar_one()
        return int(run_id)

    def finish_run(
        self,
        run_id: int,
        status: str,
        reason: str | None,
        stats: dict[str, Any],
        site_outcomes: dict[tuple[str, str], int] | None = None,
    ) -> None:
        """Record how the run ended, with its stats and, per (site, outcome), page counts."""
        with self.engine.begin() as conn:
            conn.execute(
                update(CrawlRun)
                .where(CrawlRun.id == run_id)
                .values(finished_at=utcnow(), status=status, finish_reason=reason, stats=stats)
            )
            if site_outcomes:
                conn.execute(
                    insert(CrawlRunOutcome),
                    [
                        {"crawl_run_id": run_id, "site": site, "outcome": outcome, "count": n}
                        for (site, outcome), n in sorted(site_outcomes.items())
                    ],
                )

    def mark_abandoned_runs(self) -> list[int]:
        """Mark ``abandoned`` the runs this host recorded as running whose process is gone
        (killed with SIGKILL, out of memory, the machine restarted): nothing else will
        ever finish them. Returns their ids."""
        hostname = socket.gethostname()
        with self.engine.begin() as conn:
            running = conn.execute(
                select(CrawlRun.id, CrawlRun.pid).where(
                    CrawlRun.status == "running", CrawlRun.hostname == hostname
                )
            ).all()
            gone = [run_id for run_id, pid in running if pid is not None and not _pid_alive(pid)]
            if gone:
                conn.execute(
                    update(CrawlRun)
                    .where(CrawlRun.id.in_(gone))
                    .values(status="abandoned", finish_reason="process gone")
                )
        return gone
