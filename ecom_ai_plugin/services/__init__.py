"""Feature logic. Callable without Celery: tasks, commands and tests all use these."""
