"""A stand-in Saleor on loopback for app-mode tests: its JWKS, its GraphQL endpoint, its signatures.

A real ``http.server`` in a thread: the code under test makes real HTTP
requests. The GraphQL side checks the app token and answers the app's
operations (by operation name) from an in-memory catalogue in Saleor's
shapes, records every request, and applies ``productUpdate``. Keys are RSA
keys generated per test; :meth:`FakeSaleor.rotate` replaces them as Saleor's
key rotation would.
"""
from __future__ import annotations

import base64
import datetime
import json
import re
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm


def gid(type_name: str, pk: Any) -> str:
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


class SigningKey:
    """An RSA key with a key id, signing like Saleor does."""

    def __init__(self, kid: str | None = None) -> None:
        self.kid = kid or uuid.uuid4().hex[:16]
        self.private = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    def jwk(self) -> dict[str, Any]:
        return {**json.loads(RSAAlgorithm.to_jwk(self.private.public_key())), "kid": self.kid, "use": "sig", "alg": "RS256"}

    def sign_webhook(self, body: bytes) -> str:
        """A detached JWS over the body bytes, with Saleor's protected header."""
        return jwt.api_jws.encode(
            body, self.private, algorithm="RS256", headers={"kid": self.kid, "b64": False, "crit": ["b64"]}, is_payload_detached=True
        )

    def token(self, claims: dict[str, Any]) -> str:
        return jwt.encode(claims, self.private, algorithm="RS256", headers={"kid": self.kid})


def product_node(pk: int, name: str, *, description: str | None = None, price: str = "4.99", stock: int = 5, published: bool = True) -> dict[str, Any]:
    """A product as Saleor's GraphQL answers ``...EcomAIProduct``."""
    if description is None:
        description = json.dumps({"time": 1, "blocks": [{"id": "p1", "data": {"text": f"{name} &amp; more."}, "type": "paragraph"}], "version": "2.24.3"})
    return {
        "id": gid("Product", pk),
        "name": name,
        "description": description,
        "seoTitle": None,
        "seoDescription": None,
        "updatedAt": "2026-11-23T12:50:38+00:00",
        "category": {"name": "Juices"},
        "attributes": [
            {"attribute": {"name": "Flavor", "inputType": "DROPDOWN"}, "values": [{"name": "Orange", "plainText": None, "richText": None, "boolean": None}]},
            {"attribute": {"name": "Brand", "inputType": "DROPDOWN"}, "values": []},
        ],
        "channelListings": [{"channel": {"slug": "default-channel"}, "isPublished": published, "publishedAt": "2026-01-01T00:00:00+00:00"}],
        "variants": [
            {
                "id": gid("ProductVariant", pk * 10),
                "name": "1 l",
                "sku": f"SKU-{pk}",
                "trackInventory": True,
                "channelListings": [{"channel": {"slug": "default-channel"}, "price": {"amount": float(price), "currency": "USD"}}],
                "stocks": [{"quantity": stock, "quantityAllocated": 0}],
                "attributes": [],
            }
        ],
    }


def order_node(order_id: str, user_pk: int | None, product_pks: list[int], *, charge_status: str = "FULL", status: str = "UNFULFILLED") -> dict[str, Any]:
    return {
        "id": gid("Order", order_id),
        "created": "2026-11-23T12:50:53+00:00",
        "status": status,
        "chargeStatus": charge_status,
        "userEmail": "vera.vector@example.com",
        "user": {"id": gid("User", user_pk)} if user_pk else None,
        "lines": [{"quantity": 2, "productName": f"Product {pk}", "variant": {"product": {"id": gid("Product", pk)}}} for pk in product_pks],
    }


class FakeSaleor:
    """``http://127.0.0.1:<port>/graphql/`` and ``/.well-known/jwks.json``, for one app token."""

    def __init__(self, token: str = "app-token-" + "x" * 20, app_id: str = "QXBwOjE=") -> None:
        self.token = token
        self.app_id = app_id
        self.keys = [SigningKey()]
        self.products: dict[int, dict[str, Any]] = {}
        self.orders: dict[str, dict[str, Any]] = {}
        self.users: dict[int, dict[str, Any]] = {}
        self.categories: dict[int, str] = {1: "Juices"}
        self.requests: list[dict[str, Any]] = []
        self.jwks_requests = 0
        self.accept_token = True
        self._server: ThreadingHTTPServer | None = None

    # -- lifecycle --------------------------------------------------------------
    def start(self) -> FakeSaleor:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _answer(self, status: int, body: Any) -> None:
                raw = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def do_GET(self) -> None:
                if self.path == "/.well-known/jwks.json":
                    fake.jwks_requests += 1
                    self._answer(200, {"keys": [key.jwk() for key in fake.keys]})
                else:
                    self._answer(404, {"error": "not found"})

            def do_POST(self) -> None:
                if self.path != "/graphql/":
                    self._answer(404, {"error": "not found"})
                    return
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
                authorization = self.headers.get("Authorization", "")
                fake.requests.append({"query": body.get("query", ""), "variables": body.get("variables") or {}, "authorization": authorization})
                if authorization != f"Bearer {fake.token}" or not fake.accept_token:
                    self._answer(200, {"data": None, "errors": [{"message": "Invalid token.", "extensions": {"exception": {"code": "JSONWebTokenError"}}}]})
                    return
                self._answer(200, fake.execute(body.get("query", ""), body.get("variables") or {}))

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    @property
    def api_url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}/graphql/"

    # -- keys ---------------------------------------------------------------------
    def rotate(self) -> SigningKey:
        self.keys = [SigningKey()]
        return self.keys[0]

    def sign(self, body: bytes) -> str:
        return self.keys[0].sign_webhook(body)

    def customer_token(self, user_pk: int, *, token_type: str = "access", expires_in: int = 300, issuer: str | None = None) -> str:
        now = datetime.datetime.now(tz=datetime.UTC)
        return self.keys[0].token(
            {
                "iat": now,
                "exp": now + datetime.timedelta(seconds=expires_in),
                "iss": issuer or self.api_url,
                "owner": "saleor",
                "token": "abc",
                "email": f"user{user_pk}@example.com",
                "type": token_type,
                "user_id": gid("User", user_pk),
                "is_staff": False,
            }
        )

    # -- GraphQL ----------------------------------------------------------------------
    def operations(self) -> list[str]:
        """The operation names received, in order."""
        names = []
        for request in self.requests:
            found = re.search(r"(?:query|mutation)\s+(\w+)", request["query"])
            names.append(found.group(1) if found else "?")
        return names

    @staticmethod
    def _pk(global_id: str) -> str:
        return base64.b64decode(global_id).decode().split(":", 1)[1]

    def _page(self, nodes: list[dict[str, Any]], variables: dict[str, Any]) -> dict[str, Any]:
        first = variables["first"]
        start = int(variables["after"]) if variables.get("after") else 0
        chunk = nodes[start : start + first]
        more = start + first < len(nodes)
        return {
            "pageInfo": {"hasNextPage": more, "endCursor": str(start + first) if more else None},
            "edges": [{"node": node} for node in chunk],
            "totalCount": len(nodes),
        }

    def execute(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        name = re.search(r"(?:query|mutation)\s+(\w+)", query).group(1)
        if name == "EcomAIApp":
            return {"data": {"app": {"id": self.app_id, "name": "E-commerce AI"}}}
        if name == "EcomAICount":
            return {"data": {"products": {"totalCount": len(self.products)}}}
        if name == "EcomAIProduct":
            return {"data": {"product": self.products.get(int(self._pk(variables["id"])))}}
        if name == "EcomAIProductText":
            node = self.products.get(int(self._pk(variables["id"])))
            text = {k: node[k] for k in ("id", "description", "seoTitle", "seoDescription")} if node else None
            return {"data": {"product": text}}
        if name == "EcomAIProducts":
            nodes = [self.products[pk] for pk in sorted(self.products)]
            ids = ((variables.get("where") or {}).get("ids")) or None
            if ids is not None:
                nodes = [node for node in nodes if node["id"] in ids]
            return {"data": {"products": self._page(nodes, variables)}}
        if name == "EcomAIProductUpdate":
            node = self.products.get(int(self._pk(variables["id"])))
            if node is None:
                return {"data": {"productUpdate": {"product": None, "errors": [{"field": "id", "message": "Not found", "code": "NOT_FOUND"}]}}}
            update = variables["input"]
            if "description" in update:
                if update["description"] is not None:
                    json.loads(update["description"])  # Saleor's JSONString: a JSON document as a string
                node["description"] = update["description"]
            seo = update.get("seo") or {}
            if "title" in seo:
                node["seoTitle"] = seo["title"] or None
            if "description" in seo:
                node["seoDescription"] = seo["description"] or None
            return {"data": {"productUpdate": {"product": node, "errors": []}}}
        if name == "EcomAICategories":
            search = (variables.get("search") or "").lower()
            nodes = [{"id": gid("Category", pk), "name": n} for pk, n in sorted(self.categories.items()) if search in n.lower()]
            return {"data": {"categories": self._page(nodes, variables)}}
        if name == "EcomAIProductCategoryUpdate":
            node = self.products.get(int(self._pk(variables["id"])))
            category = self.categories.get(int(self._pk(variables["category"])))
            if node is None or category is None:
                return {"data": {"productUpdate": {"product": None, "errors": [{"field": "id" if node is None else "category", "message": "Not found", "code": "NOT_FOUND"}]}}}
            node["category"] = {"name": category}
            return {"data": {"productUpdate": {"product": node, "errors": []}}}
        if name == "EcomAIOrder":
            return {"data": {"order": self.orders.get(self._pk(variables["id"]))}}
        if name == "EcomAIOrders":
            return {"data": {"orders": self._page(list(self.orders.values()), variables)}}
        if name == "EcomAICustomer":
            return {"data": {"user": self.users.get(int(self._pk(variables["id"])))}}
        return {"data": None, "errors": [{"message": f"Unknown operation {name}"}]}

    # -- webhooks -----------------------------------------------------------------------
    def delivery(self, event: str, payload: dict[str, Any], *, signature: str | None = None) -> tuple[bytes, dict[str, str]]:
        """A webhook body and headers as Saleor sends them (``', '`` / ``': '`` separators)."""
        body = json.dumps(payload).encode()
        headers = {
            "HTTP_SALEOR_EVENT": event.lower(),
            "HTTP_SALEOR_DOMAIN": "127.0.0.1",
            "HTTP_SALEOR_API_URL": self.api_url,
            "HTTP_SALEOR_SIGNATURE": self.sign(body) if signature is None else signature,
        }
        return body, headers
