"""How the web app reads the warehouse, and how an upload writes to it.

DuckDB allows one writer per file, and inside one process it refuses a read-write connection while
read-only ones to the same file are open (and the other way round). The app therefore:

- opens the warehouse **read-only per request** (:meth:`WarehouseAccess.read`): opening a DuckDB file
  takes about a millisecond, and a connection per request needs no cross-thread sharing;
- serialises an **upload** behind a readers–writer lock (:meth:`WarehouseAccess.write`): the upload waits
  until running reads have closed their connections, new reads wait until the import (one transaction,
  all or nothing — :meth:`regiolens.warehouse.store.Warehouse.import_files`) has finished and closed;
- keeps **analysis results and rendered charts** in a small in-memory LRU cache keyed by the warehouse's
  version (size and modification time of the file and its WAL) and the request's parameters: results
  are frozen dataclasses, and the warehouse only changes through imports, which change the version.

Another *process* writing to the file (``regiolens data import`` while the server runs) holds DuckDB's
file lock for the length of its import; requests that arrive meanwhile get a clear "busy, try again"
(:class:`WarehouseBusy`, HTTP 503) instead of an error page.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import duckdb

from regiolens.errors import RegiolensError
from regiolens.warehouse.store import Warehouse

T = TypeVar("T")


class WarehouseBusy(RegiolensError):
    """The warehouse file is locked by another process (an import); try again in a moment."""


class ReadWriteLock:
    """Many readers or one writer; a waiting writer keeps new readers out (no writer starvation)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writer = False
        self._waiting_writers = 0

    @contextmanager
    def shared(self) -> Iterator[None]:
        with self._cond:
            while self._writer or self._waiting_writers:
                self._cond.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                if not self._readers:
                    self._cond.notify_all()

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        with self._cond:
            self._waiting_writers += 1
            try:
                while self._writer or self._readers:
                    self._cond.wait()
            finally:
                self._waiting_writers -= 1
            self._writer = True
        try:
            yield
        finally:
            with self._cond:
                self._writer = False
                self._cond.notify_all()


class WarehouseAccess:
    """The app's one door to the warehouse file at ``path`` (see the module docstring)."""

    def __init__(self, path: Path, cache_size: int = 64) -> None:
        self.path = Path(path)
        self.cache_size = cache_size
        self._lock = ReadWriteLock()
        self._cache: OrderedDict[Hashable, Any] = OrderedDict()
        self._cache_lock = threading.Lock()

    def exists(self) -> bool:
        return self.path.exists()

    def version(self) -> tuple[int, ...]:
        """Size and modification time of the file and its write-ahead log: changes with every import."""
        parts: list[int] = []
        for p in (self.path, self.path.with_name(self.path.name + ".wal")):
            try:
                st = p.stat()
            except FileNotFoundError:
                parts += [-1, -1]
            else:
                parts += [st.st_size, st.st_mtime_ns]
        return tuple(parts)

    @contextmanager
    def read(self) -> Iterator[Warehouse]:
        """The warehouse opened read-only for the length of the ``with`` block."""
        with self._lock.shared():
            try:
                wh = Warehouse.open(self.path, read_only=True)
            except duckdb.IOException as exc:
                raise WarehouseBusy(f"the warehouse {self.path.name} is busy (an import is running): {exc}") from exc
            try:
                yield wh
            finally:
                wh.close()

    @contextmanager
    def write(self) -> Iterator[Warehouse]:
        """The warehouse opened for writing, alone: no read runs meanwhile; the cache is dropped afterwards."""
        with self._lock.exclusive():
            try:
                wh = Warehouse.open(self.path)
            except duckdb.IOException as exc:
                raise WarehouseBusy(f"the warehouse {self.path.name} is busy (an import is running): {exc}") from exc
            try:
                yield wh
            finally:
                wh.close()
                self.clear()

    def clear(self) -> None:
        with self._cache_lock:
            self._cache.clear()

    def cached(self, key: Hashable, compute: Callable[[Warehouse], T]) -> T:
        """``compute(warehouse)``, remembered for this warehouse version and ``key`` (errors are not kept)."""
        full = (self.version(), key)
        with self._cache_lock:
            if full in self._cache:
                self._cache.move_to_end(full)
                return self._cache[full]
        with self.read() as wh:
            value = compute(wh)
        self.remember(full, value)
        return value

    def memo(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()`` remembered like :meth:`cached`, for work that needs no connection (charts of a result)."""
        full = (self.version(), key)
        with self._cache_lock:
            if full in self._cache:
                self._cache.move_to_end(full)
                return self._cache[full]
        value = compute()
        self.remember(full, value)
        return value

    def remember(self, key: Hashable, value: Any) -> None:
        if self.cache_size <= 0:
            return
        with self._cache_lock:
            self._cache[key] = value
            self._cache.move_to_end(key)
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
