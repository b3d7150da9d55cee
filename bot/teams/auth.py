"""Teams authentication: botbuilder's config object, OpenID keys fetched off the event loop, and who may talk to us.

- `TeamsEndpoints` says where Bot Framework's OpenID metadata and token issuer
  are (Microsoft's by default; tests point them at a local fake issuer) and
  which extra service URL origins are trusted (tests: a local fake connector).
- `AsyncOpenIdMetadata` replaces botbuilder's `_OpenIdMetadata` in the
  class-level `JwtTokenExtractor.metadataCache`: botbuilder's own `_refresh`
  uses synchronous `requests.get`, which would block the event loop; ours uses
  aiohttp, prefetches at start-up, and treats an unknown key id as "no key".
- `OffLoopCredentialsFactory` gets the bot's outgoing AAD token in a worker
  thread (MSAL is synchronous) and keeps one MSAL client per scope, so its
  token cache works; with a fixed token (tests) it never calls AAD.
- `ServiceUrlPolicy` and `tenant_allowed` decide whether an authenticated
  activity may be acted on: only Bot Framework's own https hosts (or loopback
  in local emulator mode), and only the configured tenant.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from botframework.connector.auth import (
    AuthenticationConstants,
    ClaimsIdentity,
    EmulatorValidation,
    MicrosoftAppCredentials,
    ServiceClientCredentialsFactory,
)
from botframework.connector.auth.jwt_token_extractor import JwtTokenExtractor, _OpenIdConfig, _OpenIdMetadata
from jwt.algorithms import RSAAlgorithm
from msrest.authentication import Authentication

from bot.settings import Settings

log = logging.getLogger(__name__)

BOT_FRAMEWORK_HOSTS = frozenset({"smba.trafficmanager.net"})
BOT_FRAMEWORK_SUFFIXES = (".botframework.com", ".botframework.us", ".teams.microsoft.com", ".teams.microsoft.us")
METADATA_TIMEOUT = aiohttp.ClientTimeout(total=10)


@dataclass(frozen=True)
class TeamsEndpoints:
    """Where Bot Framework lives. The defaults are Microsoft's public cloud.

    Attributes:
        openid_metadata_url: the channel's OpenID configuration (its `jwks_uri` holds the signing keys).
        token_issuer: the `iss` every channel token must carry.
        emulator_metadata_url: the OpenID configuration for Emulator-issued tokens (also fetched off the loop).
        trusted_service_urls: extra service URL origins to accept (e.g. a local fake connector in tests).
        outbound_token: a fixed bearer token for outgoing calls instead of asking AAD (tests only).
    """

    openid_metadata_url: str = AuthenticationConstants.TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL
    token_issuer: str = AuthenticationConstants.TO_BOT_FROM_CHANNEL_TOKEN_ISSUER
    emulator_metadata_url: str = AuthenticationConstants.TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL
    trusted_service_urls: tuple[str, ...] = ()
    outbound_token: str | None = None


class TeamsAuthConfig:
    """The configuration object botbuilder's `ConfigurationBotFrameworkAuthentication` reads (by attribute name)."""

    def __init__(self, settings: Settings, endpoints: TeamsEndpoints) -> None:
        self.APP_ID = settings.microsoft_app_id or ""
        password = settings.microsoft_app_password
        self.APP_PASSWORD = password.get_secret_value() if password else ""
        # With no app id botbuilder's SingleTenant factory refuses to start; MultiTenant with no id is "no auth",
        # which we only ever allow on a loopback bind (see bot/settings.py).
        self.APP_TYPE = settings.microsoft_app_type if self.APP_ID else "MultiTenant"
        self.APP_TENANTID = settings.microsoft_app_tenant_id or ""
        self.TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL = endpoints.openid_metadata_url
        self.TO_BOT_FROM_CHANNEL_TOKEN_ISSUER = endpoints.token_issuer
        self.TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL = endpoints.emulator_metadata_url


class AsyncOpenIdMetadata(_OpenIdMetadata):  # type: ignore[misc]
    """botbuilder's key cache with an aiohttp refresh (never blocks the loop) and no IndexError on unknown keys."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self._refreshing: asyncio.Lock | None = None

    async def _refresh(self) -> None:
        if self._refreshing is None:
            self._refreshing = asyncio.Lock()
        async with self._refreshing:
            async with aiohttp.ClientSession(timeout=METADATA_TIMEOUT) as session:
                async with session.get(self.url) as response:
                    response.raise_for_status()
                    keys_url = (await response.json(content_type=None))["jwks_uri"]
                async with session.get(keys_url) as response:
                    response.raise_for_status()
                    keys = (await response.json(content_type=None))["keys"]
            self.keys = [key for key in keys if isinstance(key, dict)]
            self.last_updated = datetime.now()

    def _find(self, key_id: str) -> _OpenIdConfig | None:
        for key in self.keys:
            if key.get("kid") == key_id:
                return _OpenIdConfig(RSAAlgorithm.from_jwk(json.dumps(key)), key.get("endorsements", []))
        return None

    async def prefetch(self) -> bool:
        try:
            await self._refresh()
        except (aiohttp.ClientError, TimeoutError, KeyError, ValueError) as error:
            log.warning("Teams: could not fetch signing keys from %s (%s); will retry on the next request",
                        self.url, type(error).__name__)  # fmt: skip
            return False
        return True


def install_metadata(endpoints: TeamsEndpoints) -> list[AsyncOpenIdMetadata]:
    """Put async key caches where botbuilder's token extractor looks them up (by URL)."""
    caches = []
    for url in (endpoints.openid_metadata_url, endpoints.emulator_metadata_url):
        cache = AsyncOpenIdMetadata(url)
        JwtTokenExtractor.metadataCache[url] = cache
        caches.append(cache)
    return caches


class _TokenCredentials(MicrosoftAppCredentials):  # type: ignore[misc]
    """Credentials holding a token obtained beforehand, so signing a request does no I/O."""

    def __init__(self, app_id: str, token: str, oauth_scope: str | None) -> None:
        super().__init__(app_id, "", None, oauth_scope)
        self._token = token

    def get_access_token(self, force_refresh: bool = False) -> str:
        return self._token


class OffLoopCredentialsFactory(ServiceClientCredentialsFactory):  # type: ignore[misc]
    """Outgoing credentials whose (synchronous) token acquisition runs in a worker thread.

    Args:
        inner: botbuilder's factory for the configured app type.
        fixed_token: use this token instead of asking AAD (tests; AAD is unreachable there).
    """

    def __init__(self, inner: ServiceClientCredentialsFactory, fixed_token: str | None = None) -> None:
        self._inner = inner
        self._fixed = fixed_token
        self._clients: dict[tuple[str, str, str], Authentication] = {}

    async def is_valid_app_id(self, app_id: str) -> bool:
        return bool(await self._inner.is_valid_app_id(app_id))

    async def is_authentication_disabled(self) -> bool:
        return bool(await self._inner.is_authentication_disabled())

    async def create_credentials(
        self, app_id: str, oauth_scope: str, login_endpoint: str, validate_authority: bool
    ) -> Authentication:
        if await self.is_authentication_disabled():
            empty: Authentication = MicrosoftAppCredentials.empty()
            return empty
        if not await self.is_valid_app_id(app_id):
            raise PermissionError("invalid app id")
        if self._fixed is not None:
            return _TokenCredentials(app_id, self._fixed, oauth_scope)
        key = (app_id, oauth_scope or "", login_endpoint or "")
        client: Any = self._clients.get(key)
        if client is None:
            client = await self._inner.create_credentials(app_id, oauth_scope, login_endpoint, validate_authority)
            self._clients[key] = client
        token = await asyncio.to_thread(client.get_access_token)  # MSAL's cache answers most calls
        return _TokenCredentials(app_id, token, oauth_scope)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


@dataclass(frozen=True)
class ServiceUrlPolicy:
    """Which `serviceUrl`s the bot will store and call.

    Bot Framework's own https hosts when an app id is set; loopback hosts only
    (the Emulator, tests) in local emulator mode; plus any origins trusted explicitly.
    """

    emulator: bool
    trusted: tuple[str, ...] = ()

    def allows(self, url: str | None) -> bool:
        if not url:
            return False
        try:
            parts = urlsplit(url)
            host = (parts.hostname or "").lower()
            _ = parts.port  # a malformed port raises here
        except ValueError:
            return False
        if _origin(url) in {_origin(t) for t in self.trusted}:
            return True
        if self.emulator:
            return parts.scheme in ("http", "https") and _is_loopback(host)
        return parts.scheme == "https" and (host in BOT_FRAMEWORK_HOSTS or host.endswith(BOT_FRAMEWORK_SUFFIXES))


def activity_tenant(activity: dict[str, Any]) -> str | None:
    tenant = ((activity.get("channelData") or {}).get("tenant") or {}).get("id")
    return str(tenant or (activity.get("conversation") or {}).get("tenantId") or "") or None


def tenant_allowed(activity: dict[str, Any], tenant_id: str | None) -> bool:
    """With a configured tenant, only activities from that tenant are acted on."""
    return not tenant_id or activity_tenant(activity) == tenant_id


class TokenCheck:
    """Bot Framework's JWT, checked from the Authorization header alone, before the body is read.

    botbuilder's `authenticate_request` wants the parsed activity (for its channel id and service
    URL), which would let anyone make us read and parse a large body first. So the token's
    signature, issuer, audience, expiry and channel endorsement are checked here on the header, and
    the activity's `serviceUrl` is compared with the token's claim once the body is parsed.

    Args:
        authentication: botbuilder's configured authentication (its key caches and credentials).
        channel_id: the channel the signing key must endorse.
    """

    def __init__(self, authentication: Any, channel_id: str = "msteams") -> None:
        self._inner = authentication._inner  # the parameterized authentication botbuilder builds from our config
        self.channel_id = channel_id

    async def identity(self, header: str | None) -> ClaimsIdentity:
        """The token's claims; raises `PermissionError` for a missing or invalid token."""
        if not header:
            raise PermissionError("no token")
        identity: ClaimsIdentity = await self._inner._jwt_token_validation_validate_auth_header(
            header, self.channel_id, None
        )
        return identity

    @staticmethod
    def service_url_matches(identity: ClaimsIdentity, header: str, service_url: Any) -> bool:
        """A channel token names the service URL it was issued for; the activity must carry that one."""
        if EmulatorValidation.is_token_from_emulator(header):
            return True
        return bool(service_url) and identity.get_claim_value(AuthenticationConstants.SERVICE_URL_CLAIM) == service_url
