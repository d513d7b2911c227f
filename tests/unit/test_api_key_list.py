"""The API key list: SQL-side search, filters, sort, pagination, Expired derivation and row building."""

from __future__ import annotations

from datetime import timedelta

from tests.unit.api_key_fixtures import NOW, TESTER, World, insert_key, world  # noqa: F401 (fixture)
from maas_ui.models import KeyStatus, OwnerKind
from maas_ui.services import api_keys as svc
from maas_ui.services.api_keys import KeyListQuery as Q


def names(w: World, q: Q = Q(), now=NOW) -> list[str]:
    return [r.name for r in svc.list_keys(q, actor=TESTER, url=w.url, now=now).rows]


def page(w: World, q: Q = Q(), now=NOW) -> svc.KeyPage:
    return svc.list_keys(q, actor=TESTER, url=w.url, now=now)


def test_empty(world: World):
    p = page(world)
    assert p.rows == [] and p.total == 0 and p.page == 1 and p.page_count == 1 and not p.any_keys
    p = page(world, Q(search="x"))
    assert not p.any_keys


def test_row_contents(world: World):
    insert_key(world, "chatbot", owner=(OwnerKind.GROUP, world.groups[0]), last_used_at=NOW - timedelta(hours=3),
               assets=[world.agent, world.models[2], world.models[0], world.mcp, world.vector_db])
    [row] = page(world).rows
    assert row.name == "chatbot" and row.status == "Active" and not row.is_disabled
    assert row.masked_key.startswith("sk-") and "..." in row.masked_key and len(row.masked_key) == 14
    # Models first, then MCP servers, vector databases, agents; alphabetical within a kind.
    assert row.asset_names == ["gpt-oss-20b", "llama-3.3-70b", "OpenShift"] and row.more_assets == 2
    assert (row.owner_name, row.owner_kind, row.owner_kind_label) == ("ai-engineers", "group", "Group")
    assert row.last_used == "3 hours ago" and row.last_used_exact == "15 Jun 2026, 09:00 UTC"


def test_never_used_and_service_account_owner(world: World):
    insert_key(world, "batch", owner=(OwnerKind.SERVICE_ACCOUNT, world.service_accounts[0]))
    [row] = page(world).rows
    assert row.last_used == "Never" and row.last_used_exact == ""
    assert (row.owner_name, row.owner_kind_label) == ("rag-pipeline-sa", "Service account")
    assert row.asset_names == [] and row.more_assets == 0


def test_deleted_keys_are_not_listed(world: World):
    insert_key(world, "gone", deleted=True)
    insert_key(world, "here")
    assert names(world) == ["here"]
    assert page(world).total == 1


def test_expired_is_derived_from_the_date(world: World):
    insert_key(world, "soon", expires_at=NOW + timedelta(hours=1))
    insert_key(world, "past", expires_at=NOW - timedelta(days=1))
    insert_key(world, "off-and-past", status=KeyStatus.DISABLED, expires_at=NOW - timedelta(days=1))
    insert_key(world, "forever")
    status = {r.name: r.status for r in page(world).rows}
    assert status == {"soon": "Active", "past": "Expired", "off-and-past": "Disabled", "forever": "Active"}
    assert sorted(names(world, Q(statuses=("expired",))) ) == ["past"]
    assert sorted(names(world, Q(statuses=("active",)))) == ["forever", "soon"]
    # Two hours later "soon" has expired without anyone touching it.
    later = NOW + timedelta(hours=2)
    assert {r.name: r.status for r in page(world, now=later).rows}["soon"] == "Expired"
    assert sorted(names(world, Q(statuses=("expired",)), now=later)) == ["past", "soon"]
    assert sorted(names(world, Q(statuses=("active",)), now=later)) == ["forever"]


def test_expiry_exactly_now_is_expired_in_label_filter_and_sort(world: World):
    insert_key(world, "at-now", expires_at=NOW)
    insert_key(world, "just-after", expires_at=NOW + timedelta(seconds=1))
    assert {r.name: r.status for r in page(world).rows} == {"at-now": "Expired", "just-after": "Active"}
    assert names(world, Q(statuses=("expired",))) == ["at-now"]
    assert names(world, Q(statuses=("active",))) == ["just-after"]
    assert names(world, Q(sort="status", descending=False)) == ["just-after", "at-now"]


def test_status_sort_ranks_by_status_not_by_name(world: World):
    # Names in the reverse of status order: ranking Expired (or Disabled) as Active would show.
    insert_key(world, "a-disabled", status=KeyStatus.DISABLED)
    insert_key(world, "b-expired", expires_at=NOW - timedelta(hours=1))
    insert_key(world, "c-active")
    assert names(world, Q(sort="status", descending=False)) == ["c-active", "b-expired", "a-disabled"]
    assert names(world, Q(sort="status", descending=True)) == ["a-disabled", "b-expired", "c-active"]


def test_status_and_owner_kind_filters(world: World):
    insert_key(world, "u-active")
    insert_key(world, "u-disabled", status=KeyStatus.DISABLED)
    insert_key(world, "g-expired", owner=(OwnerKind.GROUP, world.groups[1]), expires_at=NOW - timedelta(days=2))
    insert_key(world, "sa-active", owner=(OwnerKind.SERVICE_ACCOUNT, world.service_accounts[0]))
    assert sorted(names(world, Q(statuses=("disabled",)))) == ["u-disabled"]
    assert sorted(names(world, Q(statuses=("disabled", "expired")))) == ["g-expired", "u-disabled"]
    assert sorted(names(world, Q(owner_kinds=("user",)))) == ["u-active", "u-disabled"]
    assert sorted(names(world, Q(owner_kinds=("group", "service_account")))) == ["g-expired", "sa-active"]
    assert sorted(names(world, Q(owner_kinds=("user",), statuses=("active",)))) == ["u-active"]
    assert len(names(world, Q(statuses=("active", "expired", "disabled"), owner_kinds=("bogus",)))) == 4
    p = page(world, Q(owner_kinds=("group",), statuses=("disabled",)))
    assert p.total == 0 and p.any_keys  # "no match" empty state, not "no keys"


def test_search_by_name_is_case_insensitive_and_literal(world: World):
    for n in ["Chatbot-prod", "chatbot-dev", "rag_100%", "rag-1000"]:
        insert_key(world, n)
    assert sorted(names(world, Q(search="  CHATBOT "))) == ["Chatbot-prod", "chatbot-dev"]
    assert names(world, Q(search="100%")) == ["rag_100%"]
    assert names(world, Q(search="g_1")) == ["rag_100%"]  # "_" is not a wildcard
    assert names(world, Q(search="nothing")) == []


def test_sorting(world: World):
    insert_key(world, "bravo", owner=(OwnerKind.USER, world.users[2]), created_at=NOW - timedelta(days=1),
                   last_used_at=NOW - timedelta(hours=1))
    insert_key(world, "Alpha", owner=(OwnerKind.GROUP, world.groups[1]), created_at=NOW - timedelta(days=3),
               status=KeyStatus.DISABLED)
    insert_key(world, "charlie", owner=(OwnerKind.USER, world.users[0]), created_at=NOW - timedelta(days=2),
               expires_at=NOW - timedelta(hours=1), last_used_at=NOW - timedelta(days=5))
    assert names(world, Q(sort="name", descending=False)) == ["Alpha", "bravo", "charlie"]
    assert names(world, Q(sort="name", descending=True)) == ["charlie", "bravo", "Alpha"]
    assert names(world, Q(sort="created", descending=True)) == ["bravo", "charlie", "Alpha"]
    assert names(world, Q(sort="created", descending=False)) == ["Alpha", "charlie", "bravo"]
    assert names(world, Q(sort="status", descending=False)) == ["bravo", "charlie", "Alpha"]  # Active, Expired, Disabled
    assert names(world, Q(sort="status", descending=True)) == ["Alpha", "charlie", "bravo"]
    # Owners: Alice Doe (charlie), Chen Zhang (bravo), data-science (Alpha).
    assert names(world, Q(sort="owner", descending=False)) == ["charlie", "bravo", "Alpha"]
    assert names(world, Q(sort="owner", descending=True)) == ["Alpha", "bravo", "charlie"]
    # Never used counts as the oldest.
    assert names(world, Q(sort="last_used", descending=True)) == ["bravo", "charlie", "Alpha"]
    assert names(world, Q(sort="last_used", descending=False)) == ["Alpha", "charlie", "bravo"]
    # Unknown sort falls back to newest first.
    assert names(world, Q(sort="secret_hash")) == ["bravo", "charlie", "Alpha"]


def test_pagination(world: World):
    for i in range(25):
        insert_key(world, f"key-{i:02d}")
    p = page(world, Q(sort="name", descending=False, per_page=10, page=1))
    assert (p.total, p.page, p.per_page, p.page_count) == (25, 1, 10, 3)
    assert [r.name for r in p.rows] == [f"key-{i:02d}" for i in range(10)]
    p = page(world, Q(sort="name", descending=False, per_page=10, page=3))
    assert [r.name for r in p.rows] == [f"key-{i:02d}" for i in range(20, 25)]
    p = page(world, Q(sort="name", descending=False, per_page=20, page=2))
    assert len(p.rows) == 5 and p.page_count == 2
    # A page past the end is clamped to the last page; a bad page size falls back to 10.
    p = page(world, Q(sort="name", descending=False, per_page=10, page=9))
    assert p.page == 3 and len(p.rows) == 5
    p = page(world, Q(per_page=7, page=0))
    assert p.per_page == 10 and p.page == 1 and len(p.rows) == 10
    assert page(world, Q(per_page=50)).page_count == 1
    # Pages never overlap, even when the sort key ties (every created_at differs here, names tie below).
    seen = []
    for n in range(1, 4):
        seen += [r.public_id for r in page(world, Q(sort="status", per_page=10, page=n)).rows]
    assert len(set(seen)) == 25


def test_list_never_loads_every_key(world: World, monkeypatch):
    """The page query has LIMIT/OFFSET: only one page of ApiKey rows is fetched."""
    from sqlalchemy import event

    from maas_ui import db

    for i in range(30):
        insert_key(world, f"k{i}")
    statements = []
    engine = db.get_engine(world.url)
    listener = lambda *a: statements.append(a[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        p = page(world, Q(per_page=10, page=2))
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert len(p.rows) == 10
    key_selects = [st for st in statements if "FROM api_keys" in st and "count(" not in st.lower()]
    # Either the page of ids (LIMIT/OFFSET) or the rows of exactly those ids.
    assert key_selects and all("LIMIT" in st or "api_keys.id IN (" in st for st in key_selects)
    assert any("LIMIT" in st for st in key_selects)


def test_every_page_from_either_end_matches_one_full_ordering(world: World):
    """Pages in the second half are read from the end: each sort must still give one consistent order."""
    for i in range(23):
        insert_key(world, f"k{i % 5}", owner=(OwnerKind.USER, world.users[i % 3]),
                   status=KeyStatus.DISABLED if i % 4 == 0 else KeyStatus.ACTIVE,
                   expires_at=NOW - timedelta(days=1) if i % 6 == 1 else None,
                   last_used_at=None if i % 3 == 0 else NOW - timedelta(hours=i % 4))
    for sort in svc.SORT_FIELDS:
        for desc in (False, True):
            full = [r.public_id for r in page(world, Q(sort=sort, descending=desc, per_page=100)).rows]
            paged = []
            for n in range(1, 4):
                paged += [r.public_id for r in page(world, Q(sort=sort, descending=desc, per_page=10, page=n)).rows]
            assert paged == full, (sort, desc)
            assert len(full) == 23


def test_owner_sort_follows_the_stored_owner_name_after_a_rename(world: World):
    from maas_ui.models import ApiKey, User

    insert_key(world, "k-alice", owner=(OwnerKind.USER, world.users[0]))  # Alice Doe
    insert_key(world, "k-group", owner=(OwnerKind.GROUP, world.groups[1]))  # data-science
    with world.session() as s:
        stored = dict(s.exec(svc.select(ApiKey.name, ApiKey.owner_name)).all())
    assert stored == {"k-alice": "Alice Doe", "k-group": "data-science"}
    assert names(world, Q(sort="owner", descending=False)) == ["k-alice", "k-group"]
    with world.session() as s:  # Alice becomes "Zoe Doe": whatever renames an owner refreshes the keys
        s.get(User, world.users[0]).full_name = "Zoe Doe"
        s.flush()
        svc.refresh_owner_names(s)
        s.commit()
    assert names(world, Q(sort="owner", descending=False)) == ["k-group", "k-alice"]
    assert page(world, Q(sort="owner")).rows[0].owner_name == "Zoe Doe"


def test_search_ignores_case_and_treats_wildcards_literally(world: World):
    insert_key(world, "ChatBot-prod")
    insert_key(world, "rag_100%")
    insert_key(world, "rag-1000")
    assert names(world, Q(search="cHAT")) == ["ChatBot-prod"]
    assert names(world, Q(search="_100%")) == ["rag_100%"]
