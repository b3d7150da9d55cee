"""A fake Bot Framework token issuer on a random local port: OpenID configuration, JWKS, and signed tokens.

Serves `/.well-known/openid-configuration` (pointing at `/keys`) and a JWKS
holding one RSA key made with `cryptography`; `token()` signs a channel token
with PyJWT (RS256, `kid` header) the way Bot Framework does, and can forge one
(another key), expire it or address it to another app.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

import jwt
from aiohttp import web
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from tests.support.local_server import LocalServer

ISSUER = "https://api.botframework.com"
KEY_ID = "leadwell-test-key"


def _new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass
class FakeIssuer(LocalServer):
    key: rsa.RSAPrivateKey = field(default_factory=_new_key)
    requests: int = 0

    @property
    def metadata_url(self) -> str:
        return self.address("/.well-known/openid-configuration")

    def token(
        self,
        *,
        audience: str,
        service_url: str,
        forged: bool = False,
        expired: bool = False,
        issuer: str = ISSUER,
    ) -> str:
        now = int(time.time())
        issued = now - 7200 if expired else now
        claims = {"iss": issuer, "aud": audience, "serviceurl": service_url, "nbf": issued - 10,
                  "iat": issued, "exp": issued + 3600}  # fmt: skip
        signer = _new_key() if forged else self.key
        return jwt.encode(claims, signer, algorithm="RS256", headers={"kid": KEY_ID})

    def header(self, **kwargs: Any) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(**kwargs)}"}

    async def _configuration(self, request: web.Request) -> web.Response:
        self.requests += 1
        return web.json_response({"issuer": ISSUER, "jwks_uri": self.address("/keys")})

    async def _keys(self, request: web.Request) -> web.Response:
        self.requests += 1
        jwk = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        jwk.update(kid=KEY_ID, use="sig", endorsements=["msteams", "emulator"])
        return web.json_response({"keys": [jwk]})

    def routes(self, app: web.Application) -> None:
        app.router.add_get("/.well-known/openid-configuration", self._configuration)
        app.router.add_get("/keys", self._keys)
