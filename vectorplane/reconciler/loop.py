"""Running the reconciler inside a control-plane process: worker threads and the observer."""

from __future__ import annotations

import logging
import threading

from vectorplane.reconciler.deps import Deps
from vectorplane.reconciler.observer import observe_once
from vectorplane.reconciler.worker import Worker

logger = logging.getLogger(__name__)


class Reconciler:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps
        self.wakeup = threading.Event()
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        for n in range(self.deps.settings.workers):
            worker = Worker(self.deps, self._stopping, self.wakeup)
            thread = threading.Thread(target=worker.run_forever, name=f"worker-{n}", daemon=True)
            self._threads.append(thread)
        self._threads.append(threading.Thread(target=self._observe, name="observer", daemon=True))
        for thread in self._threads:
            thread.start()

    def poke(self) -> None:
        """Tell idle workers there is new work, so they need not wait for their next poll."""
        self.wakeup.set()

    def stop(self) -> None:
        self._stopping.set()
        self.wakeup.set()
        for thread in self._threads:
            thread.join(timeout=5)

    def _observe(self) -> None:
        while not self._stopping.wait(self.deps.settings.observe_interval_seconds):
            try:
                observe_once(self.deps)
            except Exception:
                logger.exception("Observer pass failed; trying again at the next interval.")
