"""The client's address behind a reverse proxy (nginx, as the README advises): the peer is the proxy, so
the audit log and the session's protection would see the proxy for everyone. A request from a peer in
`web.trusted_proxies` is taken to come from the client the proxy names — the last `X-Forwarded-For`
entry, the one that proxy added (werkzeug's ProxyFix) — and from any other peer the forwarding headers
are dropped, so no client can name its own address.
"""

from __future__ import annotations

from ipaddress import IPv4Network, IPv6Network, ip_address, ip_network
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from werkzeug.middleware.proxy_fix import ProxyFix

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

FORWARDING = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST", "HTTP_X_FORWARDED_PORT",
              "HTTP_X_FORWARDED_PREFIX", "HTTP_FORWARDED")


class TrustedProxies:
    """WSGI middleware: `app` with the client's address as the trusted proxies forward it."""

    def __init__(self, app: WSGIApplication, trusted: Sequence[str]) -> None:
        self.app = app
        self.forwarded = ProxyFix(app, x_for=1)
        self.networks: list[IPv4Network | IPv6Network] = [ip_network(entry, strict=False) for entry in trusted]

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if self._trusted(environ.get("REMOTE_ADDR", "")):
            return self.forwarded(environ, start_response)
        for header in FORWARDING:
            environ.pop(header, None)
        return self.app(environ, start_response)

    def _trusted(self, peer: str) -> bool:
        try:
            address: Any = ip_address(peer)
        except ValueError:
            return False
        return any(address in network for network in self.networks)
