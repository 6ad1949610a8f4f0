"""Stopping tasks from outside the event loop (tray menu, global hotkey) must work even when the loop is idle."""

import asyncio
import threading

from xiaodazi.core.runs import RunManager


def test_stop_from_another_thread_ends_a_task_waiting_on_an_idle_loop():
    runs = RunManager()
    loop = asyncio.new_event_loop()
    started, ended = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    async def wait_for_the_user(run) -> None:  # like a run waiting for an approval: nothing else wakes the loop
        started.set()
        try:
            await asyncio.get_running_loop().create_future()
        except asyncio.CancelledError:
            outcome["cancel_requested"] = run.cancel_requested
            raise
        finally:
            ended.set()

    async def main() -> None:
        run = runs.start("c1", wait_for_the_user)
        await asyncio.wait([run.task])

    thread = threading.Thread(target=loop.run_until_complete, args=(main(),), daemon=True)
    thread.start()
    assert started.wait(5)
    assert runs.cancel_all_threadsafe() == 1
    assert ended.wait(5), "the task was never cancelled: the idle loop did not wake"
    assert outcome["cancel_requested"] is True
    thread.join(5)
    assert runs.all_active() == [] and runs.cancel_all_threadsafe() == 0
    loop.close()
