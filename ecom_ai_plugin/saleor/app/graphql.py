"""Saleor's GraphQL API, called with the app token: one query, or every page of a connection."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ecom_ai_plugin.saleor.app.http import HTTPError, request_json


class GraphQLError(Exception):
    """Saleor refused the request (bad query, missing permission, errors in the answer)."""


class SaleorUnavailable(GraphQLError, ConnectionError):
    """Saleor could not be reached or answered 5xx: worth another try (a job retries it)."""


class SaleorClient:
    """One Saleor's GraphQL endpoint with the app token (``Authorization: Bearer``)."""

    def __init__(self, api_url: str, token: str, timeout: float | None = None) -> None:
        self.api_url = api_url
        self.token = token
        self.timeout = timeout

    def execute(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The ``data`` of the answer; :class:`GraphQLError` when Saleor reports errors."""
        try:
            answer = request_json(
                self.api_url,
                body={"query": query, "variables": variables or {}},
                headers={"Authorization": f"Bearer {self.token}"},
                timeout=self.timeout,
            )
        except HTTPError as exc:
            if exc.status is not None and exc.status < 500 and exc.status != 429:
                raise GraphQLError(str(exc)) from None
            raise SaleorUnavailable(str(exc)) from None
        if not isinstance(answer, dict):
            raise GraphQLError(f"{self.api_url} answered {type(answer).__name__}, not a GraphQL result.")
        errors = answer.get("errors")
        if errors:
            messages = "; ".join(str(error.get("message", error)) if isinstance(error, dict) else str(error) for error in errors)
            raise GraphQLError(f"Saleor answered: {messages}")
        data = answer.get("data")
        if not isinstance(data, dict):
            raise GraphQLError("Saleor's answer has no data.")
        return data

    def pages(self, query: str, connection: str, variables: dict[str, Any] | None = None, page_size: int = 100) -> Iterator[list[dict[str, Any]]]:
        """The nodes of a connection (``products``, ``orders``...), one page of ``page_size`` at a time.

        The query takes ``$first`` and ``$after`` and selects
        ``<connection> { pageInfo { hasNextPage endCursor } edges { node {...} } }``.
        """
        after = None
        while True:
            data = self.execute(query, {**(variables or {}), "first": page_size, "after": after})
            found = data.get(connection) or {}
            nodes = [edge["node"] for edge in found.get("edges") or [] if isinstance(edge, dict) and edge.get("node")]
            if nodes:
                yield nodes
            info = found.get("pageInfo") or {}
            if not info.get("hasNextPage") or not info.get("endCursor"):
                return
            after = info["endCursor"]

    def count(self, connection: str) -> int:
        data = self.execute(f"query EcomAICount {{ {connection}(first: 1) {{ totalCount }} }}")
        return int((data.get(connection) or {}).get("totalCount") or 0)
