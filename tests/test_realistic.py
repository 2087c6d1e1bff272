"""Programs written the way users write them, with the findings they must get.

Each snippet marks its expected findings with ``# expect: CODE`` like the
fixtures; everything else in it must stay silent.
"""

import textwrap

import pytest

from asynclint.config import load_settings
from asynclint.engine import lint_text
from fixture_expectations import expected_findings

SNIPPETS = {
    "discord_bot": '''
        import asyncio
        import discord
        import requests

        client = discord.Client(intents=discord.Intents.default())

        async def fetch_joke():
            return requests.get("https://api.example.com/joke").json()  # expect: ASL301

        async def log_message(message):
            await asyncio.sleep(0)

        @client.event
        async def on_message(message):
            if message.author == client.user:
                return
            log_message(message)  # expect: ASL201
            asyncio.create_task(log_message(message))  # expect: ASL202
            joke = await fetch_joke()
            await message.channel.send(joke["text"])

        client.run("token")
    ''',
    "scraper": '''
        import asyncio
        import aiohttp

        async def fetch(session, url):
            async with session.get(url) as response:
                return await response.text()

        async def crawl(urls):
            async with aiohttp.ClientSession() as session:
                pages = await asyncio.gather([fetch(session, u) for u in urls])  # expect: ASL203
                more = await asyncio.gather(*[fetch(session, u) for u in urls])
                return pages, more

        if __name__ == "__main__":
            asyncio.run(crawl(["https://example.com"]))
    ''',
    "fastapi_handler": '''
        import json
        from fastapi import FastAPI

        app = FastAPI()

        async def load_user(user_id):
            return {"id": user_id}

        @app.get("/users/{user_id}")
        async def get_user(user_id: int):
            user = load_user(user_id)  # expect: ASL201
            with open("audit.log", "a") as log:  # expect: ASL303
                log.write(json.dumps({"user": user_id}))  # expect: ASL303
            return {"ok": True}
    ''',
    "websocket_server": '''
        import asyncio

        async def handle(reader, writer: asyncio.StreamWriter):
            data = await reader.read(100)
            await writer.write(data)  # expect: ASL200
            writer.write(data)
            await writer.drain()
            writer.close()
            await writer.wait_closed()

        async def main():
            server = await asyncio.start_server(handle, "127.0.0.1", 8888)
            async with server:
                await server.serve_forever()
    ''',
    "permission_check": '''
        class AccessControl:
            async def is_allowed(self, user, action):
                return user.role == "admin"

            async def perform(self, user, action):
                if not self.is_allowed(user, action):  # expect: ASL204
                    raise PermissionError(action)
                if await self.is_allowed(user, action):
                    return True
    ''',
    "worker_queue": '''
        import asyncio
        import queue
        import threading

        jobs = queue.Queue()
        results = asyncio.Queue()

        async def consumer():
            while True:
                job = jobs.get()  # expect: ASL306
                await results.put(job)
                results.task_done()

        async def producer():
            for i in range(10):
                jobs.put_nowait(i)
                await results.put_nowait(i)  # expect: ASL200
    ''',
    "cli_tool": '''
        import asyncio
        import subprocess
        import sys

        async def run(cmd):
            proc = await asyncio.create_subprocess_exec(*cmd)
            return await proc.wait()

        async def main():
            code = await run(["git", "status"])
            out = subprocess.check_output(["git", "log"])  # expect: ASL302
            answer = input("continue? ")  # expect: ASL304
            return code, out, answer

        def entry():
            sys.exit(asyncio.run(main()))
    ''',
    "background_tasks_done_right": '''
        import asyncio

        background = set()

        async def job(n):
            await asyncio.sleep(n)

        async def main():
            for n in range(3):
                task = asyncio.create_task(job(n))
                background.add(task)
                task.add_done_callback(background.discard)
            async with asyncio.TaskGroup() as tg:
                tg.create_task(job(1))
            await asyncio.gather(*background)
    ''',
    "sync_helper_awaited": '''
        import asyncio
        import time

        def parse(raw):
            return None

        def compute(x):
            return x * 2

        async def process(raw):
            result = await parse(raw)  # expect: ASL200
            value = await compute(3)
            await asyncio.to_thread(time.sleep, 1)
            return result, value
    ''',
    "db_service": '''
        import sqlite3

        class Repository:
            def __init__(self, path):
                self.conn = sqlite3.connect(path)

            async def get(self, key):
                cur = self.conn.execute("SELECT v FROM kv WHERE k = ?", (key,))  # expect: ASL307
                return cur.fetchone()  # expect: ASL307

            def get_sync(self, key):
                return self.conn.execute("SELECT 1").fetchone()
    ''',
    "jupyter_style_module": '''
        import asyncio

        async def main():
            loop = asyncio.get_running_loop()
            loop.create_task(asyncio.sleep(1))  # expect: ASL202
            fut = loop.create_future()
            loop.call_later(1, fut.set_result, 1)
            return await fut

        def legacy_entry():
            asyncio.sleep(1)  # expect: ASL201
    ''',
    "async_generator_pipeline": '''
        import asyncio

        async def numbers(n):
            for i in range(n):
                await asyncio.sleep(0)
                yield i

        async def main():
            total = sum(x async for x in numbers(5))  # expect: ASL102
            squares = [x * x async for x in numbers(5)]
            numbers(3)
            return total, squares
    ''',
}


@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_realistic_program(name):
    source = textwrap.dedent(SNIPPETS[name]).lstrip("\n")
    expected = expected_findings(source)
    found = {(d.line, d.code) for d in lint_text(source, f"{name}.py", load_settings())}
    assert found == expected
