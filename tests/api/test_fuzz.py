"""Property-based fuzzing of the whole REST API from its own OpenAPI schema (schemathesis).

A bounded number of generated requests per operation, valid and invalid,
anonymous and as staff: none may be answered with a 5xx, and every answer
must be one the schema describes.
"""
from __future__ import annotations

import base64

import pytest

schemathesis = pytest.importorskip("schemathesis")

from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from drf_spectacular.generators import SchemaGenerator  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis.specs.openapi.checks import ignored_auth, positive_data_acceptance  # noqa: E402

EXAMPLES = 20


schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
schema.app = WSGIHandler()


@pytest.fixture
def keep_the_test_connection():
    """The WSGI handler closes database connections after each request; the test's transaction must live on."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def staff_auth(db, keep_the_test_connection):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_superuser("fuzz-admin", "fuzz@example.com", "fuzz-pw")
    return {"Authorization": "Basic " + base64.b64encode(b"fuzz-admin:fuzz-pw").decode()}


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_request_is_a_server_error_and_every_answer_is_documented(case, staff_auth):
    response = case.call(headers=staff_auth)
    # Not checked: that every schema-valid request is accepted (valid-looking input is refused for
    # reasons no schema can state: an unknown product, a rate limit, a draft already published), and
    # how invalid credentials are answered (every request here is signed in as staff; the permission
    # tests of each API module cover that).
    case.validate_response(response, excluded_checks=[positive_data_acceptance, ignored_auth])
