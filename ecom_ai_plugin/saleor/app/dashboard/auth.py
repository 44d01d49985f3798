"""Who is asking, from inside the Saleor Dashboard: the extension token, checked as Saleor's app bridge does.

The dashboard signs a short-lived JWT for the extension (``saleor/core/jwt.py``,
``create_access_token_for_app_extension``): RS256 with the key published at
``/.well-known/jwks.json``, ``type`` ``thirdparty``, ``app`` the app's id,
``user_id`` and ``is_staff`` of the staff user, and ``permissions``: what the
user holds *and* the extension (or app) was granted. A request is answered
only when all of that holds for an installed Saleor named by its
``saleor-api-url`` header; otherwise 401 (who are you?) or 403 (you may not).
No cookie or session is ever read: a request without a verified token does
nothing, so there is no CSRF to guard against.

Inside Saleor (the in-process plugin serving the same pages, see
:mod:`ecom_ai_plugin.saleor.app.mounts`) the token is checked the same way,
against the same Saleor's keys; what differs is whose data and who acted:
the keys are Saleor's own ids (the empty scope, no installation prefix) and
the acting staff member is Saleor's own user, not a local stand-in account.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from ecom_ai_plugin.models import SaleorInstallation
from ecom_ai_plugin.saleor.app import installations, signatures

#: The header the page sends the dashboard's token in (app-sdk's ``SALEOR_AUTHORIZATION_BEARER_HEADER``).
TOKEN_HEADER = "Authorization-Bearer"
#: The header naming the Saleor the token comes from (app-sdk's ``SALEOR_API_URL_HEADER``).
API_URL_HEADER = "Saleor-Api-Url"
#: The ``type`` claim of tokens Saleor signs for apps and their extensions.
EXTENSION_TOKEN_TYPE = "thirdparty"
#: The longest token read (Saleor's are about 1 kB).
MAX_TOKEN_LENGTH = 8192

MANAGE_PRODUCTS = "MANAGE_PRODUCTS"
MANAGE_ORDERS = "MANAGE_ORDERS"
MANAGE_USERS = "MANAGE_USERS"


class DashboardAuthError(PermissionError):
    """A request the dashboard pages refuse; ``status`` is 401 (no valid token) or 403 (not allowed)."""

    def __init__(self, message: str, status: int = 401) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class DashboardUser:
    """A staff user of one installed Saleor, as its verified extension token says."""

    installation: SaleorInstallation
    user_id: str
    email: str
    permissions: frozenset[str]
    extension: str = ""
    #: The pages were reached through the in-process plugin, inside this very Saleor.
    in_process: bool = False
    #: In-process: Saleor's own user the token names, looked up once when the token is checked.
    staff: Any = field(default=None, compare=False, repr=False)

    @property
    def key_prefix(self) -> str:
        """What this Saleor's product, order and customer keys start with: its data, no one else's.

        In-process the keys are Saleor's own ids and every row is this shop's: the empty prefix.
        """
        return "" if self.in_process else self.installation.key_prefix

    def has(self, *permissions: str) -> bool:
        return set(permissions) <= self.permissions

    def require(self, permissions: Iterable[str]) -> None:
        """403 unless the token grants every one of ``permissions``."""
        missing = sorted(set(permissions) - self.permissions)
        if missing:
            raise DashboardAuthError(f"This needs the Saleor permission {', '.join(missing)}.", status=403)


def authenticate(headers: Mapping[str, str], *, in_process: bool = False) -> DashboardUser:
    """The staff user a request's extension token names; :class:`DashboardAuthError` (401/403) otherwise."""
    token = (headers.get(TOKEN_HEADER) or "").strip()
    api_url = (headers.get(API_URL_HEADER) or "").strip()
    if not token or not api_url:
        raise DashboardAuthError(f"Send the dashboard's token in {TOKEN_HEADER} and the Saleor API URL in {API_URL_HEADER}.")
    if len(token) > MAX_TOKEN_LENGTH:
        raise DashboardAuthError("The token is too long to be Saleor's.")
    installation = installations.installation_for(api_url)
    if installation is None:
        raise DashboardAuthError("The app is not installed for this Saleor.")
    try:
        claims = signatures.verify_token(installation, token)
    except signatures.SignatureError as exc:
        raise DashboardAuthError(str(exc)) from None
    user = user_from_claims(installation, claims, in_process=in_process)
    if in_process:  # refused before anything is read when the token's user is not (or no longer) the shop's
        user = replace(user, staff=host_user(user))
    return user


def user_from_claims(installation: SaleorInstallation, claims: Mapping[str, Any], *, in_process: bool = False) -> DashboardUser:
    """Check what a verified token says: Saleor's, for this app, a staff user."""
    issuer = claims.get("iss")
    if not isinstance(issuer, str) or issuer.rstrip("/") != installation.api_url.rstrip("/"):
        raise DashboardAuthError("The token does not name the Saleor it comes from.")
    if claims.get("type") != EXTENSION_TOKEN_TYPE:
        raise DashboardAuthError("Not a token Saleor issued for an app (a customer's or a staff session token?).")
    app_id = installations.verified_app_id(installation)
    if not app_id:
        raise DashboardAuthError("The app's own id in this Saleor is not known yet: its app token was not accepted.")
    if claims.get("app") != app_id:
        raise DashboardAuthError("The token was issued for another app.")
    user_id = claims.get("user_id")
    if not isinstance(user_id, str) or not user_id:
        raise DashboardAuthError("The token names no user.")
    if claims.get("is_staff") is not True:
        raise DashboardAuthError("Only staff users may use the app's pages.", status=403)
    permissions = claims.get("permissions")
    if not isinstance(permissions, list):
        permissions = []
    return DashboardUser(
        installation=installation,
        user_id=user_id[:200],
        email=str(claims.get("email") or "")[:254],
        permissions=frozenset(p for p in permissions if isinstance(p, str)),
        extension=str(claims.get("app_extension") or "")[:200],
        in_process=in_process,
    )


def acting_user(user: DashboardUser) -> Any:
    """Who the plugin's records name for the staff member: Saleor's own user in-process, else a local stand-in."""
    if user.in_process:
        return user.staff if user.staff is not None else host_user(user)
    return local_user(user)


def host_user(user: DashboardUser) -> Any:
    """The shop's own user the token names (inside Saleor: ``account.User``), by the id in its ``user_id``.

    The token is verified, so that id is a user of this very Saleor; one that
    is gone, deactivated, or whose e-mail is no longer the token's is refused (403).
    """
    from django.contrib.auth import get_user_model

    from ecom_ai_plugin.hosts.saleor import key_from_global_id
    from ecom_ai_plugin.models.keys import is_valid_pk

    model = get_user_model()
    pk = key_from_global_id(user.user_id, "User")
    found = model._default_manager.filter(pk=pk).first() if pk and is_valid_pk(model, pk) else None
    email = str(getattr(found, "email", "") or "")
    if found is None or not getattr(found, "is_active", True) or (user.email and email and email.casefold() != user.email.casefold()):
        raise DashboardAuthError("The token's user is not an active user of this shop.", status=403)
    return found


def local_user(user: DashboardUser) -> Any:
    """A local account standing for the Saleor staff user, so drafts, reviews and jobs record who acted.

    It has no usable password and no staff flag: it cannot sign in anywhere,
    it only names the person in the plugin's records.
    """
    from django.contrib.auth import get_user_model

    model = get_user_model()
    username = f"saleor-{user.installation.pk}-{user.user_id}"[:150]
    field = model.USERNAME_FIELD
    found = model._default_manager.filter(**{field: username}).first()
    if found is None:
        found = model(**{field: username})
        if hasattr(found, "email"):
            found.email = user.email
        found.set_unusable_password()
        found.is_staff = False
        found.save()
    elif hasattr(found, "email") and user.email and found.email != user.email:
        model._default_manager.filter(pk=found.pk).update(email=user.email)
    return found
