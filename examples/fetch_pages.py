"""Context managers that are named instead of created: PYM004."""
import asyncio
import threading

import aiohttp

counter_lock = threading.Lock()


async def fetch(url):
    async with aiohttp.ClientSession as session:
        async with session.get(url) as response:
            return await response.text()


def count_page():
    with threading.Lock:
        pass
    with counter_lock:
        pass


if __name__ == "__main__":
    asyncio.run(fetch("http://localhost:8000/"))
