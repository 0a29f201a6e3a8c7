"""A sampler that runs in a background thread while the benchmark works (memory, CPU time of processes).

Subclasses define :meth:`BackgroundSampler.sample`; ``with`` takes one sample at once (the baseline), then one
every ``period_s`` until the block ends.
"""

from __future__ import annotations

import threading


class BackgroundSampler:
    """Calls :meth:`sample` every ``period_s`` seconds in a daemon thread while used as a context manager.

    Examples
    --------
    >>> class Count(BackgroundSampler):
    ...     n = 0
    ...     def sample(self):
    ...         self.n += 1
    >>> with Count(period_s=0.01) as c:
    ...     pass
    >>> c.n >= 1
    True
    """

    def __init__(self, *, period_s: float):
        self.period_s = period_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def sample(self) -> None:
        raise NotImplementedError

    def _run(self):
        while not self._stop.wait(self.period_s):
            self.sample()

    def __enter__(self):
        self.sample()
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
