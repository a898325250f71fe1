"""Idiomatic code: Python Mentor has nothing to say here."""
from concurrent.futures import ThreadPoolExecutor


def first_missing(values):
    for value in values:
        if value is None:
            return value
    return values[0] if values == [1] else None


with ThreadPoolExecutor(max_workers=2) as pool:
    print(list(pool.map(abs, [-1, -2])))
