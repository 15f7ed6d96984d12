"""Send the same post from several people (or several clicks) at the same moment, each on its own connection."""

import sqlite3
import threading
from contextlib import contextmanager

from django.db import connections
from django.test import Client


@contextmanager
def shared_database(tmp_path):
    """A database that concurrent connections share with real locking.

    PostgreSQL's test database already is one. The SQLite test database lives in memory with a shared cache, whose
    table locks fail at once instead of waiting; so for SQLite the test runs on a file copy of it, opened with the
    product's own settings (WAL, IMMEDIATE transactions, busy timeout), as a deployment would be."""
    main = connections["default"]
    if main.vendor != "sqlite":
        yield
        return
    main.ensure_connection()
    memory = main.connection  # kept open, or the in-memory database would vanish
    path = tmp_path / "concurrent.sqlite3"
    target = sqlite3.connect(path)
    memory.backup(target)
    target.close()
    name = main.settings_dict["NAME"]
    main.settings_dict["NAME"] = str(path)
    main.connection = None
    try:
        yield
    finally:
        main.close()
        main.settings_dict["NAME"] = name
        main.connection = memory


def post_at_once(users, url: str, data: dict) -> list:
    """Each user posts `data` to `url` on their own thread and connection, all released together."""
    clients = []
    for user in users:
        client = Client()
        client.force_login(user)
        clients.append(client)
    barrier = threading.Barrier(len(clients))
    results: list = [None] * len(clients)

    def run(i):
        try:
            barrier.wait(timeout=30)
            results[i] = clients[i].post(url, data)
        except Exception as error:  # noqa: BLE001 - reported by the test, with the others' results
            results[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results
