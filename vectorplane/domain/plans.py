"""Plans (resource tiers) and what they mean for a server process."""

from __future__ import annotations

from pydantic import BaseModel, Field


class Plan(BaseModel):
    """A resource tier offered to users as the `size` of a VectorDB."""

    vcpus: int = Field(gt=0)
    memory_mib: int = Field(gt=0)
    disk_gib: int = Field(gt=0)

    @property
    def disk_bytes(self) -> int:
        return self.disk_gib * 1024**3

    def process_environment(self) -> dict[str, str]:
        """Go runtime limits that make a weaviate-server process honour this plan.

        GOMAXPROCS caps the threads running Go code; GOMEMLIMIT is the soft heap goal that
        Weaviate's memwatch also uses to refuse allocations near the limit.
        """
        return {"GOMAXPROCS": str(self.vcpus), "GOMEMLIMIT": f"{self.memory_mib}MiB"}


DEFAULT_PLANS: dict[str, Plan] = {
    "small": Plan(vcpus=1, memory_mib=2048, disk_gib=3),
    "medium": Plan(vcpus=2, memory_mib=4096, disk_gib=11),
    "large": Plan(vcpus=8, memory_mib=32768, disk_gib=230),
}

# DigitalOcean's region slugs, so clients' defaults (doctl's nyc1 and friends) work out of the box.
DEFAULT_REGIONS: list[str] = [
    "nyc1", "nyc3", "sfo2", "sfo3", "tor1", "ams3", "fra1",
    "lon1", "sgp1", "blr1", "syd1", "atl1", "ric1",
]  # fmt: skip
