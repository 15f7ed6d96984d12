"""What the page benchmarks share: a signed-in member of staff, and a page's SQL queries and median time.

Imported after `django.setup()` by each benchmark (run as `python bench/NAME.py`, so this folder is on the path).
"""

import statistics
import time

from django.db import connection


def enrolled(user):
    """Bench users have an authenticator, as every real member of staff must."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import encrypt

    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": encrypt("JBSWY3DPEHPK3PXP")})
    return user


def page(client, url, repeat=5):
    """The queries of one request, then the median time of `repeat` more."""
    count = [0]

    def counter(execute, sql, params, many, context):
        count[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        client.get(url)
        times.append(time.perf_counter() - start)
    return {"url": url, "queries": count[0], "median_seconds": round(statistics.median(times), 3)}
