"""The house rules that keep the layout as ARCHITECTURE.md draws it, checked on the source."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from bot.core.storage.postgres import VERSION_TABLE
from tests.conftest import ROOT

OWNERS: dict[str, str] = {
    "users": "bot/core/identity.py",
    "conversations": "bot/core/identity.py",
    "members": "bot/core/identity.py",
    "coordinatoren": "bot/core/identity.py",
    "buttons": "bot/core/buttons.py",
    "flows": "bot/core/flows.py",
    "deliveries": "bot/timed/deliveries.py",
    "herinneringen": "bot/timed/herinneringen.py",
    "senders": "scheduler/heartbeat.py",
    "pacing": "bot/core/pacing.py",
    "inbox": "bot/core/inbox.py",
    "schema_version": "bot/core/storage/postgres.py",
    "id_tags": "bot/core/storage/ids.py",
    "pot_eigen_vragen": "bot/tools/kletspot/store/pot.py",
    "pot_uit": "bot/tools/kletspot/store/pot.py",
    "pot_getrokken": "bot/tools/kletspot/store/pot.py",
    "trekkingen": "bot/tools/kletspot/store/pot.py",
    "kletspot_sessies": "bot/tools/kletspot/store/sessies.py",
    "aanknopingspunten": "bot/tools/kletspot/store/aanknopingspunten.py",
    "gespreksonderwerpen": "bot/tools/kletspot/store/aanknopingspunten.py",
    "gedachten": "bot/tools/gesprek/store/gedachten.py",
    "gesprekken": "bot/tools/gesprek/store/gesprekken.py",
    "terugblikken": "bot/tools/gesprek/store/gesprekken.py",
    "terugblik_antwoorden": "bot/tools/gesprek/store/gesprekken.py",
    "dialoogsessies": "bot/tools/intervisie/store/dialoogsessies.py",
    "teamacties": "bot/tools/intervisie/store/teamacties.py",
    "bijeenkomsten": "bot/tools/intervisie/store/bijeenkomsten.py",
    "stappenplan_stand": "bot/tools/intervisie/store/voortgang.py",
    "reflectie_rondes": "bot/tools/intervisie/store/voortgang.py",
    "reflecties": "bot/tools/reflectie/store/reflecties.py",
    "reflectie_antwoorden": "bot/tools/reflectie/store/reflecties.py",
    "persoonlijke_plannen": "bot/tools/reflectie/store/persoonlijke_plannen.py",
    "planningen": "bot/tools/algemeen/store/planningen.py",
    "hulp_land": "bot/tools/algemeen/store/hulpland.py",
    "team_land": "bot/tools/algemeen/store/hulpland.py",
    "verwijskaart": "bot/tools/intervisie/store/verwijskaart.py",
    "slack_seen": "adapters/slack/store.py",
    "slack_modals": "adapters/slack/store.py",
    "slack_installations": "adapters/slack/installations.py",
    "slack_oauth_states": "adapters/slack/installations.py",
}
"""One owner per table: the only module whose SQL names it (ARCHITECTURE.md, "Who owns what")."""

SHARED_READS = {"users", "conversations", "members"}
"""Any store may join these to show a name or a title; only identity writes them."""

_SQL = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE)\b")
_TABLE = re.compile(r"\b(?:FROM|JOIN|INTO|UPDATE)\s+([a-z_]+)")
_WRITE = re.compile(r"\b(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|UPDATE|DELETE\s+FROM)\s+([a-z_]+)")


def sources(*folders: str) -> list[Path]:
    return [p for folder in folders for p in sorted((ROOT / folder).rglob("*.py"))]


def sql_strings(path: Path) -> list[str]:
    """Every string constant in the module that reads as SQL, with implicit joins resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and _SQL.search(node.value)
        ):
            found.append(node.value)
        elif isinstance(node, ast.JoinedStr):
            text = "".join(
                v.value
                for v in node.values
                if isinstance(v, ast.Constant) and isinstance(v.value, str)
            )
            if _SQL.search(text):
                found.append(text)
    return found


def test_tables_are_named_only_by_their_owner() -> None:
    wrong = []
    for path in sources("bot", "scheduler", "adapters"):
        module = path.relative_to(ROOT).as_posix()
        for sql in sql_strings(path):
            for table in _TABLE.findall(sql):
                if table not in OWNERS:
                    continue
                owner = OWNERS[table]
                if module != owner and not (table in SHARED_READS and module.count("/store/")):
                    wrong.append(f"{module} names {table} (owner: {owner})")
            for table in _WRITE.findall(sql):
                if table in OWNERS and OWNERS[table] != module:
                    wrong.append(f"{module} writes {table} (owner: {OWNERS[table]})")
    assert sorted(set(wrong)) == []


def test_every_table_has_an_owner() -> None:
    schema = "\n".join(p.read_text() for p in sorted((ROOT / "bot/core/schema").glob("*.sql")))
    created = set(re.findall(r"CREATE TABLE (\w+)", schema))
    renamed = dict(re.findall(r"ALTER TABLE (\w+) RENAME TO (\w+)", schema))
    dropped = set(re.findall(r"DROP TABLE (\w+)", schema))
    tables = {renamed.get(t, t) for t in created} - dropped
    assert tables | {VERSION_TABLE} == set(OWNERS)  # the version table is storage's own


def test_no_platform_library_in_the_engine() -> None:
    banned = re.compile(r"^\s*(from|import)\s+(telegram|slack_bolt|slack_sdk|aiohttp)\b", re.M)
    assert [
        p.name
        for p in sources("bot", "content", "scheduler")
        if banned.search(p.read_text(encoding="utf-8"))
    ] == []
