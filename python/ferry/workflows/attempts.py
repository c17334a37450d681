"""Running one attempt of a step body (or a rollback handler) with its timeout."""

import asyncio
import inspect
import threading

from .errors import WorkflowTimeoutError


async def call_with_timeout(body, kwargs, ctx, timeout_ms, ctx_first=False):
    """Runs one attempt of ``body`` on a thread of its own with its own event loop, so a body that
    blocks cannot stall the run and its timeout holds; a body still running at the timeout is
    abandoned and the attempt fails with WorkflowTimeoutError."""
    loop = asyncio.get_running_loop()
    done = loop.create_future()

    def attempt():
        try:
            args = (ctx,) if ctx_first else ()
            result = body(*args, **kwargs)
            if inspect.isawaitable(result):
                result = asyncio.run(_await(result))
            outcome = (result, None)
        except BaseException as error:  # handed to the run, which records it
            outcome = (None, error)
        try:
            loop.call_soon_threadsafe(_settle, done, *outcome)
        except RuntimeError:
            pass  # abandoned at its timeout: the run has ended and closed its loop

    threading.Thread(target=attempt, name="ferry-step", daemon=True).start()
    try:
        return await asyncio.wait_for(asyncio.shield(done), timeout_ms / 1000)
    except asyncio.TimeoutError:
        raise WorkflowTimeoutError("attempt timed out after %dms" % timeout_ms) from None


async def _await(awaitable):
    return await awaitable


def _settle(future, result, error):
    if future.done():
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)
