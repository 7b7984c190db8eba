"""DigitalOcean's rate limits: 250 a minute and 5000 an hour per token, with headers."""

from __future__ import annotations

import time

from tests.api.conftest import Api


def test_every_response_carries_the_rate_limit_headers(api: Api) -> None:
    for response in [
        api.client.get("/v2/vector-databases", headers=api.headers()),
        api.client.get("/v2/vector-databases"),  # 401
        api.client.get("/v2/vector-databases/nope", headers=api.headers()),  # 404
        api.client.post("/v2/vector-databases", json={}, headers=api.headers()),  # 422
    ]:
        assert response.headers["ratelimit-limit"] == "5000"
        assert 0 <= int(response.headers["ratelimit-remaining"]) < 5000
        assert int(response.headers["ratelimit-reset"]) >= int(time.time())


def test_remaining_counts_down_per_token(api: Api) -> None:
    first = api.client.get("/v2/vector-databases", headers=api.headers())
    second = api.client.get("/v2/vector-databases", headers=api.headers())
    remaining = int(first.headers["ratelimit-remaining"])
    assert int(second.headers["ratelimit-remaining"]) == remaining - 1
    other = api.client.get("/v2/vector-databases", headers=api.headers(api.other_team_token))
    assert int(other.headers["ratelimit-remaining"]) == 4999


def test_past_the_minute_limit_requests_get_429(api: Api) -> None:
    statuses = [
        api.client.get("/v2/vector-databases", headers=api.headers()).status_code
        for _ in range(250)
    ]
    assert statuses == [200] * 250
    blocked = api.client.get("/v2/vector-databases", headers=api.headers())
    assert blocked.status_code == 429
    assert blocked.json()["id"] == "too_many_requests"
    assert blocked.headers["ratelimit-remaining"] == str(5000 - 250)
    assert 0 < int(blocked.headers["retry-after"]) <= 60
    # Another token is counted on its own.
    other = api.client.get("/v2/vector-databases", headers=api.headers(api.other_team_token))
    assert other.status_code == 200
