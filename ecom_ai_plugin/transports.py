"""Broker transports whose workers skip a message they cannot read instead of exiting.

kombu decodes a message's envelope inside the transport, before Celery sees
it: a message that is not JSON (a half-written file, a corrupted list item)
or a queue folder that is not a folder raises out of the worker's event loop
as an "Unrecoverable error", and the worker exits, putting back every
message it held. These transports log the bad message and go on; the job it
carried is still pending in the database, and the sweeper sends it again.

Name one in the Celery settings next to the broker URL::

    CELERY_BROKER_URL = "redis://localhost:6379/0"
    CELERY_BROKER_TRANSPORT = "ecom_ai_plugin.transports:RedisTransport"

The file-system one also writes each message under a temporary name and
renames it into the queue, so a reader never sees half of one.
"""
from __future__ import annotations

import logging
import os
import time
import uuid
from typing import Any

from queue import Empty

from kombu.exceptions import ChannelError
from kombu.transport import filesystem, redis
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps

logger = logging.getLogger(__name__)

#: a broken queue folder is reported at most this often (it is polled every second)
REPORT_EVERY_SECONDS = 60.0


def _skipped(queue: str, exc: BaseException) -> None:
    logger.error("ecom_ai_plugin: skipped a message on %s that cannot be read (its job stays pending for the sweeper): %r", queue, exc)


class SkippingRedisChannel(redis.Channel):
    def _brpop_read(self, **options: Any) -> bool:
        try:
            return super()._brpop_read(**options)
        except ValueError as exc:  # the item was popped; it is gone, and nothing else is
            _skipped("a Redis queue", exc)
            raise Empty() from None

    def _get(self, queue: str) -> Any:
        try:
            return super()._get(queue)
        except ValueError as exc:
            _skipped(queue, exc)
            raise Empty() from None


class RedisTransport(redis.Transport):
    """kombu's Redis transport, skipping items that are not a message."""

    Channel = SkippingRedisChannel


class SkippingFilesystemChannel(filesystem.Channel):
    _reported_at = 0.0

    def _put(self, queue: str, payload: Any, **kwargs: Any) -> None:
        """Write the message under a name no reader takes, then rename it into the queue (atomic)."""
        name = f"{int(round(time.monotonic() * 1000))}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        partial = f"{final}.partial"
        try:
            with open(partial, "wb", buffering=0) as file:
                file.write(str_to_bytes(dumps(payload)))
            os.replace(partial, final)
        except OSError as exc:
            raise ChannelError(f"Cannot add file {final!r} to directory") from exc

    def _get(self, queue: str) -> Any:
        try:
            return super()._get(queue)
        except ValueError as exc:  # the file was moved out of the queue before it was read
            _skipped(queue, exc)
            raise Empty() from None
        except (OSError, ChannelError) as exc:  # the queue folder is missing or not a folder
            now = time.monotonic()
            if now - self._reported_at > REPORT_EVERY_SECONDS:
                SkippingFilesystemChannel._reported_at = now
                logger.error("ecom_ai_plugin: cannot read the queue folder for %s (retrying every poll): %r", queue, exc)
            raise Empty() from None


class FilesystemTransport(filesystem.Transport):
    """kombu's file-system transport: atomic writes, unreadable messages and folders skipped."""

    Channel = SkippingFilesystemChannel
