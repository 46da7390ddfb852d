from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Size:
    name: str
    accounts: int
    leads: int
    touches: int
    sales_sourced_opportunities: int
    months: int = 24


SIZES = {
    "small": Size(
        "small", accounts=150, leads=1_500, touches=30_000, sales_sourced_opportunities=60
    ),
    "demo": Size(
        "demo", accounts=2_000, leads=30_000, touches=1_000_000, sales_sourced_opportunities=1_800
    ),
    "large": Size(
        "large",
        accounts=10_000,
        leads=150_000,
        touches=5_000_000,
        sales_sourced_opportunities=9_000,
    ),
}
