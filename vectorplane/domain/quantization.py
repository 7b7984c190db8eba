"""The API's quantization names and the values Weaviate's DEFAULT_QUANTIZATION accepts."""

from __future__ import annotations

# Weaviate has no plain "rq": it takes rq-1 or rq-8; 8-bit RQ is the platform default.
API_TO_ENGINE: dict[str, str] = {"rq": "rq-8", "pq": "pq", "bq": "bq", "sq": "sq"}
DEFAULT = "rq"


def engine_value(api_value: str) -> str:
    """Map a stored API value ('' meaning the default) to Weaviate's setting."""
    return API_TO_ENGINE[api_value or DEFAULT]
