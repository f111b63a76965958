"""DNS that fails RFC 6761 reserved names (`.invalid`) locally instead of asking a server.

Such names can never resolve, so answering at once is both correct and keeps tests on loopback.
"""

from __future__ import annotations

from typing import Sequence

from scrapy.resolver import CachingThreadedResolver
from twisted.internet import defer
from twisted.internet.error import DNSLookupError

RESERVED_SUFFIXES = (".invalid",)


class ReservedNameResolver(CachingThreadedResolver):
    def getHostByName(self, name: str, timeout: Sequence[int] = ()) -> defer.Deferred[str]:
        if name.lower().rstrip(".").endswith(RESERVED_SUFFIXES):
            return defer.fail(DNSLookupError(f"{name}: reserved name, never resolves"))
        return super().getHostByName(name, timeout)
