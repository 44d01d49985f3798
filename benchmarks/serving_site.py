"""Settings of the site ``recommendation_serving.py`` serves: the sandbox shop, not in debug mode,
with the baseline endpoints of ``serving_urls.py``."""
from sandbox.settings import *  # noqa: F401,F403

DEBUG = False
ROOT_URLCONF = "serving_urls"
LOGGING = {"version": 1, "disable_existing_loggers": False}
