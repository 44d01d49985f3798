"""Settings of the site ``fault_and_abuse.py`` attacks: the sandbox shop, not in debug mode, on its own
Redis (``FAULT_REDIS_URL``), with a job kind whose every completed run leaves a line in a file."""
import os
import time
from pathlib import Path

from sandbox.settings import *  # noqa: F401,F403
from sandbox.settings import ECOM_AI as SANDBOX_ECOM_AI

DEBUG = False
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "ecom_ai_plugin": {"handlers": ["console"], "level": "INFO"},
        "django.request": {"handlers": ["console"], "level": "ERROR"},  # a 5xx's traceback, for the report
    },
}
# The benchmark's clients sign in with HTTP Basic on every request: with Django's default hasher
# each request would spend most of its time hashing the password, hiding what the broker costs.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_BROKER_URL = os.environ["FAULT_REDIS_URL"]
CELERY_BROKER_TRANSPORT = "ecom_ai_plugin.transports:RedisTransport"
CELERY_BROKER_CONNECTION_TIMEOUT = 2
ECOM_AI = {
    **SANDBOX_ECOM_AI,
    "BROKER_TIMEOUT_SECONDS": 0.25,  # the default: this site's broker is a Redis server, which can die
    "AUTO_EMBED_PRODUCTS": False,  # no model work: the faults are the subject
    "JOB_KINDS": {"bench.sleep": {"HANDLER": "fault_site.sleep_then_record", "QUEUE": "cpu", "TIME_LIMIT_SECONDS": 120}},
}
EFFECTS = Path(os.environ["FAULT_EFFECTS_FILE"])


def sleep_then_record(job):
    """The job's work: sleep, then record that it was done (one line per completed run)."""
    time.sleep(float(job.params.get("seconds", 0)))
    with EFFECTS.open("a") as file:
        file.write(f"{job.target_id}\n")
    return {"done": True}
