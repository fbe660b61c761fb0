"""Counters for operators (Prometheus): how many updates, replies, deliveries, 429s and waiting
claims. Labels are kinds and outcomes, never ids or text. One registry for the process, so a
test can read the numbers and `/metrics` shows exactly these."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, generate_latest

REGISTRY = CollectorRegistry(auto_describe=True)

UPDATES = Counter(
    "kletspot_updates",
    "Updates received, by platform and kind",
    ["platform", "kind"],
    registry=REGISTRY,
)
REPLIES = Counter(
    "kletspot_replies_sent",
    "Replies to an update that reached the platform",
    ["platform"],
    registry=REGISTRY,
)
DELIVERIES = Counter(
    "kletspot_deliveries",
    "Timed messages by outcome (sent, gone, failed, released)",
    ["outcome"],
    registry=REGISTRY,
)
RATE_LIMITED = Counter(
    "kletspot_rate_limited",
    "Answers of 429 (too many requests) from a platform",
    ["platform"],
    registry=REGISTRY,
)
CLAIMS_WAITING = Gauge(
    "kletspot_claims_waiting", "Timed messages claimed and not yet finished", registry=REGISTRY
)
UPDATES_WAITING = Gauge(
    "kletspot_updates_waiting",
    "Updates received and not yet handled",
    ["platform"],
    registry=REGISTRY,
)


def exposition() -> bytes:
    """The text format Prometheus scrapes."""
    return generate_latest(REGISTRY)


def value(name: str, **labels: str) -> float:
    """One sample's current value (0 when it was never touched); for tests and /healthz."""
    found = REGISTRY.get_sample_value(name, labels)
    return 0.0 if found is None else found
