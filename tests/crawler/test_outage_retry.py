"""How long the clients of a distributed scan wait for Redis: one command waits out the outage bound,
then Redis is gone for the process and later commands fail at once, until one succeeds again."""

from __future__ import annotations

import socket
import time

import pytest
import redis

from crawler.frontier import client_options

BOUND = 3.0


def closed_port() -> int:
    with socket.socket() as probe:  # bound, never listening, closed: connections are refused
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def seconds_to_fail(client: redis.Redis) -> float:
    began = time.monotonic()
    with pytest.raises(redis.ConnectionError):
        client.get("govwatch-test:outage")
    return time.monotonic() - began


def test_one_command_waits_out_the_bound_the_next_fail_at_once_until_one_succeeds(redis_url: str) -> None:
    away = redis.Redis(host="127.0.0.1", port=closed_port(), **client_options(BOUND))
    other = redis.Redis(host="127.0.0.1", port=closed_port(), **client_options(BOUND))
    live = redis.Redis.from_url(redis_url, **client_options(BOUND))
    try:
        assert seconds_to_fail(away) >= BOUND
        # A crawl closing without Redis makes many more calls, on other clients too: none waits again.
        assert seconds_to_fail(away) < BOUND / 2 and seconds_to_fail(other) < BOUND / 2
        assert live.ping()  # Redis answers again: the next outage is waited out afresh
        assert seconds_to_fail(away) >= BOUND
    finally:
        live.ping()  # the process does not end this test with Redis counted as gone
        for client in (away, other, live):
            client.close()
