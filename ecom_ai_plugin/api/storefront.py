"""What every storefront endpoint shares: who the shopper is, which origins may call, CORS.

Storefront endpoints run in three kinds of project: a Django shop, Saleor
(through the plugin's webhook) and the Saleor App server. Saleor installs no
``django.contrib.auth``, so nothing here may touch ``AnonymousUser`` or
``Permission``: a request nobody signed in to gets :data:`NOBODY`, a plain
object, instead of DRF's default anonymous user.

A shopper is signed in by the shop's session (a Django shop) or by the
shop's own customer token, ``Authorization: Bearer <JWT>``, which the host
adapter verifies (Saleor's customer access token, in-process or in app mode).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.cache import patch_vary_headers
from drf_spectacular.authentication import SessionScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, SessionAuthentication
from rest_framework.exceptions import AuthenticationFailed, PermissionDenied
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ecom_ai_plugin.api.endpoints import PluginEndpoint
from ecom_ai_plugin.conf import ecom_ai_settings
from ecom_ai_plugin.hosts import get_host
from ecom_ai_plugin.hosts.base import TokenCustomer

#: Request headers a headless storefront may send cross-origin.
CORS_HEADERS = "Authorization, Content-Type"


@dataclass(frozen=True)
class Nobody:
    """The shopper of a request nobody signed in to (DRF's ``AnonymousUser`` needs ``django.contrib.auth``)."""

    pk: None = None
    is_authenticated: bool = False
    is_anonymous: bool = True
    is_active: bool = False
    is_staff: bool = False
    is_superuser: bool = False

    def has_perms(self, perms: Any, obj: Any = None) -> bool:
        return False

    def has_perm(self, perm: Any, obj: Any = None) -> bool:
        return False


NOBODY = Nobody()


class StorefrontRequest(Request):
    """A DRF request whose unauthenticated user is :data:`NOBODY`, whatever ``UNAUTHENTICATED_USER`` says."""

    def _not_authenticated(self) -> None:
        self._authenticator = None
        self.user = NOBODY
        self.auth = None


# -- who the shopper is -------------------------------------------------------------


class StorefrontSessionAuthentication(SessionAuthentication):
    """The shop's session says who the shopper is; forgery is refused by :class:`TrustedOrigin`.

    Inside Saleor there is no session user: ``request.user`` is missing or not a
    signed-in user, and this authenticator steps aside.
    """

    def authenticate(self, request: Request) -> tuple[Any, None] | None:
        user = getattr(request._request, "user", None)
        if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
            return None
        return user, None

    def enforce_csrf(self, request: Request) -> None:
        return None


def bearer_token(request: HttpRequest) -> str | None:
    """The token of ``Authorization: Bearer <token>`` (or Saleor's ``authorization-bearer`` header)."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    token = request.headers.get("Authorization-Bearer", "").strip()
    return token or None


class ShopTokenAuthentication(BaseAuthentication):
    """A customer signed in to the shop itself: the host verifies the shop's customer token.

    A bad or expired token is a 401, never a silent guest: the storefront
    must refresh it. Hosts without customer tokens (a Django shop) step aside.
    """

    def authenticate(self, request: Request) -> tuple[TokenCustomer, str] | None:
        token = bearer_token(request._request)
        if token is None:
            return None
        host = get_host()
        if not host.accepts_customer_tokens():
            return None
        try:
            customer = host.customer_from_token(token)
        except PermissionError as exc:
            raise AuthenticationFailed(str(exc)) from None
        return customer, token

    def authenticate_header(self, request: Request) -> str | None:
        """A 401 asks for the shop's token only where the shop has them (else it stays a 403)."""
        return 'Bearer realm="storefront"' if get_host().accepts_customer_tokens() else None


class StorefrontSessionScheme(SessionScheme):
    """The schema shows the session cookie it is."""

    target_class = "ecom_ai_plugin.api.storefront.StorefrontSessionAuthentication"
    name = "storefrontSession"


class ShopTokenScheme(OpenApiAuthenticationExtension):
    target_class = "ecom_ai_plugin.api.storefront.ShopTokenAuthentication"
    name = "shopCustomerToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer", "bearerFormat": "JWT", "description": "The shop's customer access token (Saleor's JWT)."}


# -- origins and CORS -------------------------------------------------------------------


def own_origin(request: Request) -> str:
    return f"{request.scheme}://{request.get_host()}"


def allowed_origin(request: Request, origin: str) -> bool:
    """The shop's own origin, a headless storefront named in the settings, or a CSRF-trusted origin."""
    return (
        origin == own_origin(request)
        or origin in ecom_ai_settings.STOREFRONT["ALLOWED_ORIGINS"]
        or origin in getattr(settings, "CSRF_TRUSTED_ORIGINS", ())
    )


class TrustedOrigin(BasePermission):
    """Reading is open; writes come from the shop's origin, an allowed one, or carry the CSRF token.

    A request signed by the shop's customer token cannot be forged by another
    site (a browser never adds that header by itself), so it passes.
    """

    message = "Requests from this origin are not accepted (see ECOM_AI['STOREFRONT']['ALLOWED_ORIGINS'])."

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True
        origin = request.headers.get("Origin")
        if origin is not None:
            return allowed_origin(request, origin)
        if isinstance(request.successful_authenticator, ShopTokenAuthentication):
            return True
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return True  # no cookie: nothing a forged request could act as
        try:
            SessionAuthentication().enforce_csrf(request)
        except PermissionDenied:
            self.message = "Send Django's CSRF token, or an Origin header, with this request."
            return False
        return True


class StorefrontView(PluginEndpoint, APIView):
    """Base of the storefront's endpoints: shoppers by shop token or session, :data:`NOBODY` otherwise, CORS.

    The shop token comes first; ``authentication_classes`` are tried after it
    (the events and widgets: the session without CSRF, guarded by
    :class:`TrustedOrigin`; reviews: the project's own, CSRF included).
    """

    authentication_classes = [StorefrontSessionAuthentication]
    permission_classes = [TrustedOrigin]
    public = True

    def permission_denied(self, request: Request, message: str | None = None, code: str | None = None) -> None:
        """A refused origin or CSRF token says so: the REST framework would tell anyone not signed in
        "credentials were not provided", though no credentials are asked for. A permission without a
        message of its own (``IsAuthenticated`` on posting a review) is answered as the framework does."""
        if message is not None:
            raise PermissionDenied(detail=message, code=code)
        super().permission_denied(request, message=message, code=code)

    def get_authenticators(self) -> list[BaseAuthentication]:
        return [ShopTokenAuthentication(), *super().get_authenticators()]

    def initialize_request(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Request:
        return StorefrontRequest(
            request,
            parsers=self.get_parsers(),
            authenticators=self.get_authenticators(),
            negotiator=self.get_content_negotiator(),
            parser_context=self.get_parser_context(request),
        )

    def finalize_response(self, request: Request, response: Response, *args: Any, **kwargs: Any) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        origin = request.headers.get("Origin")
        if origin and origin != own_origin(request) and origin in ecom_ai_settings.STOREFRONT["ALLOWED_ORIGINS"]:
            response["Access-Control-Allow-Origin"] = origin
            if request.method == "OPTIONS":
                response["Access-Control-Allow-Methods"] = "GET, POST, DELETE, OPTIONS"
                response["Access-Control-Allow-Headers"] = CORS_HEADERS
                response["Access-Control-Max-Age"] = "86400"
        if origin:
            patch_vary_headers(response, ["Origin"])
        return response
