"""Rules for user input. Each check raises Unprocessable with a message naming the field."""

from __future__ import annotations

import re

from vectorplane.domain import quantization
from vectorplane.domain.errors import Unprocessable
from vectorplane.domain.ids import is_uuid

NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
NAME_MAX = 63
# DigitalOcean's tag rules: letters, digits, colons, dashes and underscores, at most 255.
TAG_PATTERN = re.compile(r"^[A-Za-z0-9:_-]+$")
TAG_MAX = 255
TAGS_MAX_COUNT = 100


def check_name(name: str) -> str:
    if not name.strip():
        raise Unprocessable("name must not be empty.")
    if len(name) > NAME_MAX:
        raise Unprocessable(f"name must be at most {NAME_MAX} characters.")
    if not NAME_PATTERN.match(name):
        raise Unprocessable(
            "name may contain only letters, digits, '.', '_' and '-', and must start with a"
            " letter or digit."
        )
    return name


def check_choice(field: str, value: str, offered: list[str]) -> str:
    if value not in offered:
        raise Unprocessable(
            f"{field} {value!r} is not offered; choose one of: {', '.join(offered)}."
        )
    return value


def check_tags(tags: list[str] | None) -> list[str]:
    tags = tags or []
    if len(tags) > TAGS_MAX_COUNT:
        raise Unprocessable(f"at most {TAGS_MAX_COUNT} tags are allowed.")
    for tag in tags:
        if not tag or len(tag) > TAG_MAX or not TAG_PATTERN.match(tag):
            raise Unprocessable(
                f"tag {tag!r} is invalid: use 1-{TAG_MAX} letters, digits, ':', '-' or '_'."
            )
    return list(dict.fromkeys(tags))


def check_project_id(project_id: str) -> str:
    if not is_uuid(project_id):
        raise Unprocessable("project_id must be a UUID.")
    return project_id


def check_quantization(value: str) -> str:
    if value and value not in quantization.API_TO_ENGINE:
        raise Unprocessable(
            "config.default_quantization must be one of rq, pq, bq, sq, or empty for rq."
        )
    return value


MAX_PAGE = 1_000_000


def check_page(page: int, per_page: int, max_per_page: int) -> None:
    if not 1 <= page <= MAX_PAGE:
        raise Unprocessable(f"page must be between 1 and {MAX_PAGE}.")
    if not 1 <= per_page <= max_per_page:
        raise Unprocessable(f"per_page must be between 1 and {max_per_page}.")


def normalize_version(value: str, offered: list[str]) -> str:
    """Accept '1.37.14' or 'v1.37.14' for an offered version; return the offered spelling."""
    wanted = value if value.startswith("v") else f"v{value}"
    if wanted not in offered:
        choices = ", ".join(v.lstrip("v") for v in offered)
        raise Unprocessable(f"config.weaviate_version {value!r} is not offered; choose: {choices}.")
    return wanted


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.lstrip("v").split("."))
