"""The policy service against a migrated, seeded SQLite database: list, CRUD with audit, effective policies, YAML."""

from __future__ import annotations

from dataclasses import replace

import pytest
import yaml
from sqlmodel import select

from maas_ui import db
from maas_ui.domain.policies import PolicyForm
from maas_ui.models import ApiKey, AuditLog, Group, GroupMembership, OwnerKind, Policy, PolicyTarget, User
from maas_ui.services import policies as svc
from tests.unit.policy_fixtures import ACTOR, TESTER, policy_template_db, seeded_url  # noqa: F401 (fixtures)


def _audit(url: str, slug: str) -> list[AuditLog]:
    with db.session(url) as s:
        return list(s.exec(select(AuditLog).where(AuditLog.entity_kind == "policy", AuditLog.entity_id == slug)
                           .order_by(AuditLog.id)).all())


def _who(url: str) -> dict:
    """How pages call the services: as the acting user, on a database."""
    return dict(actor=TESTER, url=url)


def _group_id(url: str, name: str) -> int:
    with db.session(url) as s:
        return s.exec(select(Group).where(Group.name == name)).one().id


def _first_user(url: str) -> User:
    with db.session(url) as s:
        return s.exec(select(User).order_by(User.id)).first()


def _form(url: str, **kw) -> PolicyForm:
    base = dict(name="QA token limit", description="Quality team allowance", token_limit="10000")
    base.update(kw)
    if "group_ids" not in base:
        base["group_ids"] = [_group_id(url, "data-science")]
    return PolicyForm(**base)


# Listing ---------------------------------------------------------------------------------
def test_list_shows_the_seeded_policies_with_rules_and_targets(seeded_url):
    result = svc.list_policies(**_who(seeded_url))
    rows = {r.slug: r for r in result.rows}
    assert result.total_all == len(result.rows) == 8
    devs = rows["devs-rate-limit-standard"]
    assert devs.status == "Active" and devs.rules == ("Rate limit 60 / 1 min",)
    assert [(t.kind_label, t.name) for t in devs.targets] == [("Group", "ai-engineers"), ("Group", "app-developers")]
    assert rows["large-models-business-hours"].rules == ("Rate limit 20 / 1 min", "Time limit 09:00-17:00")
    assert rows["devs-budget-standard"].rules == ("Token limit 200,000 / 1 day", "Budget $250 / month")
    assert rows["legacy-unlimited-trial"].status == "Inactive"
    sa = rows["service-accounts-throttle"]
    assert [t.name for t in sa.targets] == ["batch-summarizer-sa", "ci-evaluator-sa", "rag-pipeline-sa"]
    assert [r.name for r in result.rows] == sorted((r.name for r in result.rows), key=str.casefold)


def test_list_search_status_filter_and_sort(seeded_url):
    who = _who(seeded_url)
    assert [r.slug for r in svc.list_policies(svc.PolicyListQuery(search="BUDGET"), **who).rows] == [
        "devs-budget-standard", "finance-budget-cap"]
    assert [r.slug for r in svc.list_policies(svc.PolicyListQuery(status="inactive"), **who).rows] == [
        "legacy-unlimited-trial"]
    assert len(svc.list_policies(svc.PolicyListQuery(status="active"), **who).rows) == 7
    none = svc.list_policies(svc.PolicyListQuery(search="no such thing"), **who)
    assert none.rows == () and none.total_all == 8
    for wildcard in ("%", "_"):  # taken literally, not as LIKE wildcards
        assert svc.list_policies(svc.PolicyListQuery(search=wildcard), **who).rows == ()
    desc = svc.list_policies(svc.PolicyListQuery(sort="name", descending=True), **who).rows
    assert desc[0].slug == "service-accounts-throttle"
    by_status = svc.list_policies(svc.PolicyListQuery(sort="status"), **who).rows
    assert by_status[-1].status == "Inactive"
    assert svc.list_policies(svc.PolicyListQuery(sort="status", descending=True), **who).rows[0].status == "Inactive"


def test_targets_are_ordered_groups_users_service_accounts(seeded_url):
    with db.session(seeded_url) as s:
        groups = [g.id for g in s.exec(select(Group)).all()]
    user = _first_user(seeded_url)
    svc.create_policy(_form(seeded_url, name="Everyone", group_ids=groups, user_ids=[user.id]), **_who(seeded_url))
    row = next(r for r in svc.list_policies(**_who(seeded_url)).rows if r.slug == "everyone")
    assert [t.kind for t in row.targets] == ["group"] * 6 + ["user"]
    assert [t.name for t in row.targets][:6] == sorted(t.name for t in row.targets[:6])


# Details ---------------------------------------------------------------------------------
def test_get_policy_details(seeded_url):
    d = svc.get_policy("large-models-business-hours", **_who(seeded_url))
    assert svc.get_policy("nope", **_who(seeded_url)) is None
    assert d.models_label == "llama-3.3-70b-instruct" and d.mcp_servers_label == "None"
    assert d.groups == ("app-developers", "finance-analytics") and d.users == () and d.service_accounts == ()
    assert d.limit_labels == {"tokens": "No limit", "requests": "20 requests / 1 min",
                              "time_window": "09:00-17:00 UTC", "budget": "No limit"}
    assert d.over_limit_label.startswith("Soft throttle")
    assert d.kinds == ("AuthPolicy", "RateLimitPolicy")


def test_policy_page_reads_detail_keys_and_yaml_together(seeded_url):
    who = _who(seeded_url)
    page = svc.policy_page("data-science-premium-tokens", **who)
    assert page.detail == svc.get_policy("data-science-premium-tokens", **who)
    assert page.keys == svc.keys_for_policy("data-science-premium-tokens", **who) and page.keys
    assert page.yaml_text == svc.policy_yaml("data-science-premium-tokens", **who)
    assert svc.policy_page("nope", **who) is None


# Create / update -------------------------------------------------------------------------
def test_create_derives_the_id_stores_everything_and_audits(seeded_url):
    who = _who(seeded_url)
    assert svc.preview_policy_id("Devs rate limit standard!", **who) == "devs-rate-limit-standard-2"
    llama = next(o.id for o in svc.form_options(**who).models if o.label == "llama-3.3-70b-instruct")
    user = _first_user(seeded_url)
    slug = svc.create_policy(_form(
        seeded_url, request_limit="120", request_window_value="2", request_window_unit="hour", budget_usd="99.5",
        time_limit=True, time_start="08:00", time_end="18:00", over_limit_behavior="soft",
        model_ids=[llama], user_ids=[user.id]), **who)
    assert slug == "qa-token-limit"
    d = svc.get_policy(slug, **who)
    with db.session(seeded_url) as s:
        stored = s.exec(select(Policy).where(Policy.slug == slug)).one()
    assert stored.is_active and stored.kuadrant_kind == "TokenRateLimitPolicy" and stored.created_by == ACTOR
    assert d.rules == ("Token limit 10,000 / 1 min", "Rate limit 120 / 2 hours", "Time limit 08:00-18:00",
                       "Budget $99.50 / month")
    assert d.models_label == "llama-3.3-70b-instruct" and d.groups == ("data-science",) and d.users == (user.username,)
    [entry] = _audit(seeded_url, slug)
    assert (entry.action, entry.actor) == ("policy.create", ACTOR)
    assert entry.summary.startswith("Created policy QA token limit (qa-token-limit): Token limit 10,000 / 1 min")


def test_create_rejects_bad_forms_with_field_messages(seeded_url):
    who = _who(seeded_url)
    with pytest.raises(svc.ValidationError) as exc:
        svc.create_policy(_form(seeded_url, name="devs budget STANDARD", token_limit="0", group_ids=[]), **who)
    assert exc.value.errors == {
        "name": 'A policy named "devs budget STANDARD" already exists. Choose another name.',
        "token_limit": "The token limit must be greater than 0.",
    }
    assert "targets" in exc.value.warnings
    with pytest.raises(svc.ValidationError) as exc:
        svc.create_policy(_form(seeded_url, policy_id="devs-budget-standard"), **who)
    assert exc.value.errors == {"policy_id": 'The ID "devs-budget-standard" is already used by another policy.'}
    with pytest.raises(svc.ValidationError) as exc:
        svc.create_policy(_form(seeded_url, group_ids=[9999]), **who)
    assert exc.value.errors == {"group_ids": "One of the chosen groups no longer exists. Choose again."}
    with db.session(seeded_url) as s:
        assert s.exec(select(Policy).where(Policy.name == "QA token limit")).first() is None
    assert _audit(seeded_url, "qa-token-limit") == []


def test_a_policy_without_targets_can_be_saved(seeded_url):
    who = _who(seeded_url)
    errors, warnings = svc.check_form(_form(seeded_url, group_ids=[]), **who)
    assert errors == {} and "targets" in warnings
    slug = svc.create_policy(_form(seeded_url, group_ids=[]), **who)
    assert svc.keys_for_policy(slug, **who) == []


def test_edit_keeps_the_id_and_audits_what_changed(seeded_url):
    who = _who(seeded_url)
    form = svc.policy_form("devs-rate-limit-standard", **who)
    assert form.request_limit == "60" and form.token_limit == "" and len(form.group_ids) == 2
    assert svc.edit_form("devs-rate-limit-standard", **who) == (form, svc.form_options(**who))
    # Saving the unchanged form is valid (its own name is not a duplicate).
    svc.update_policy("devs-rate-limit-standard", form, **who)
    svc.update_policy("devs-rate-limit-standard",
                      replace(form, name="Devs rate limit relaxed", request_limit="90", group_ids=form.group_ids[:1]),
                      **who)
    d = svc.get_policy("devs-rate-limit-standard", **who)
    with pytest.raises(svc.ValidationError) as exc:
        svc.update_policy("devs-rate-limit-standard", replace(form, name="Finance budget cap"), **who)
    assert "name" in exc.value.errors
    with pytest.raises(svc.PolicyNotFound):
        svc.update_policy("nope", form, **who)
    with pytest.raises(svc.PolicyNotFound):
        svc.edit_form("nope", **who)
    assert d.name == "Devs rate limit relaxed" and d.rules == ("Rate limit 90 / 1 min",) and d.groups == ("ai-engineers",)
    entries = _audit(seeded_url, "devs-rate-limit-standard")
    assert [e.action for e in entries] == ["policy.update", "policy.update"]
    assert all(e.actor == ACTOR for e in entries)
    assert entries[0].summary.endswith(": no change")
    assert entries[1].summary == "Edited policy Devs rate limit relaxed (devs-rate-limit-standard): name, rate limit, groups"


def test_every_seeded_policy_can_be_saved_unchanged(seeded_url):
    who = _who(seeded_url)
    for row in svc.list_policies(**who).rows:
        errors, _ = svc.check_form(svc.policy_form(row.slug, **who), editing_slug=row.slug, **who)
        assert errors == {}, row.slug


def test_activate_deactivate_and_delete_with_audit(seeded_url):
    who = _who(seeded_url)
    assert svc.set_policy_active("legacy-unlimited-trial", True, **who) == "Legacy unlimited trial"
    svc.set_policy_active("legacy-unlimited-trial", True, **who)  # no change, no audit
    svc.set_policy_active("legacy-unlimited-trial", False, **who)
    assert svc.delete_policy("finance-budget-cap", **who) == "Finance budget cap"
    assert svc.get_policy("finance-budget-cap", **who) is None
    with db.session(seeded_url) as s:
        policy_ids = {p.id for p in s.exec(select(Policy)).all()}
        assert {t.policy_id for t in s.exec(select(PolicyTarget)).all()} <= policy_ids
    with pytest.raises(svc.PolicyNotFound):
        svc.delete_policy("finance-budget-cap", **who)
    assert [e.action for e in _audit(seeded_url, "legacy-unlimited-trial")] == ["policy.activate", "policy.deactivate"]
    [deleted] = _audit(seeded_url, "finance-budget-cap")
    assert deleted.action == "policy.delete" and deleted.summary == "Deleted policy Finance budget cap (finance-budget-cap)"
    assert deleted.actor == ACTOR


# Keys and policies ----------------------------------------------------------------------
def _live_keys(url: str, *where) -> list[ApiKey]:
    with db.session(url) as s:
        return list(s.exec(select(ApiKey).where(ApiKey.deleted_at == None, *where)).all())  # noqa: E711


def _members(url: str, group_id: int) -> set[int]:
    with db.session(url) as s:
        return set(s.exec(select(GroupMembership.user_id).where(GroupMembership.group_id == group_id)).all())


def _policy_counts(url: str) -> dict[str, int]:
    return {k.public_id: len([p for p in svc.key_policies(k.public_id, **_who(url)).policies if not p.key_level])
            for k in _live_keys(url)}


def test_the_seed_gives_keys_zero_one_and_several_policies(seeded_url):
    counts = _policy_counts(seeded_url).values()
    assert 0 in counts and 1 in counts and max(counts) >= 3


def test_key_policies_for_a_member_of_a_targeted_group(seeded_url):
    who = _who(seeded_url)
    member_ids = _members(seeded_url, _group_id(seeded_url, "ai-engineers"))
    key = _live_keys(seeded_url, ApiKey.owner_kind == OwnerKind.USER, ApiKey.owner_id.in_(member_ids))[0]
    kp = svc.key_policies(key.public_id, **who)
    assert svc.key_policies("key-doesnotexist", **who) is None
    slugs = [p.slug for p in kp.policies]
    assert {"devs-rate-limit-standard", "devs-budget-standard"} <= set(slugs)
    assert "legacy-unlimited-trial" not in slugs  # inactive
    # Per model the key grants: every limit in force, the key's own and the policies', by source.
    assert kp.models and [m.name for m in kp.models] == sorted((m.name for m in kp.models), key=str.casefold)
    for m in kp.models:
        sources = {x.source_slug for x in m.limits}
        assert "devs-rate-limit-standard" in sources
        per_window = {}
        for x in m.limits:
            if x.window:
                per_window.setdefault((x.kind_label, x.window), []).append(x)
        for lines in per_window.values():  # exactly one binds first per kind and window
            assert sum(x.tightest for x in lines) == 1


def test_keys_for_policy_follow_targets_and_activation(seeded_url):
    who = _who(seeded_url)
    ds = _group_id(seeded_url, "data-science")
    keys = svc.keys_for_policy("data-science-premium-tokens", **who)
    assert keys and all(k.status in ("Active", "Expired", "Disabled") for k in keys)
    for k in keys:
        assert "data-science-premium-tokens" in [p.slug for p in svc.key_policies(k.public_id, **who).policies]
    # A key owned by the targeted group itself must be listed (not only its members' keys).
    group_owned = _live_keys(seeded_url, ApiKey.owner_kind == OwnerKind.GROUP, ApiKey.owner_id == ds)
    assert group_owned, "the seed should give data-science a group-owned key"
    listed = {k.public_id: k for k in keys}
    reaching = [k for k in group_owned if k.public_id in {x.public_id for x in keys}]
    assert reaching, "no group-owned key of data-science is listed"
    assert all(listed[k.public_id].owner == "data-science" and listed[k.public_id].owner_kind_label == "Group"
               for k in reaching)
    assert svc.keys_for_policy("legacy-unlimited-trial", **who) == []
    svc.set_policy_active("data-science-premium-tokens", False, **who)
    assert svc.keys_for_policy("data-science-premium-tokens", **who) == []
    for k in keys:
        assert "data-science-premium-tokens" not in [p.slug for p in svc.key_policies(k.public_id, **who).policies]


def test_a_new_group_policy_reaches_members_keys_and_not_others(seeded_url):
    who = _who(seeded_url)
    fin = _group_id(seeded_url, "finance-analytics")
    slug = svc.create_policy(_form(seeded_url, name="Finance tokens", group_ids=[fin]), **who)
    members = _members(seeded_url, fin)
    reached = {k.public_id for k in svc.keys_for_policy(slug, **who)}
    for key in _live_keys(seeded_url):
        owned_by_member = (key.owner_kind == OwnerKind.USER and key.owner_id in members) or (
            key.owner_kind == OwnerKind.GROUP and key.owner_id == fin)
        assert (key.public_id in reached) == owned_by_member, key.public_id
        in_tab = slug in [p.slug for p in svc.key_policies(key.public_id, **who).policies]
        assert in_tab == owned_by_member


# Manifests -----------------------------------------------------------------------------
def test_policy_yaml_and_active_manifests(seeded_url):
    text = svc.policy_yaml("large-models-business-hours", **_who(seeded_url))
    with db.session(seeded_url) as s:  # the export command's own session (not a page)
        files = svc.active_manifests(s)
    with pytest.raises(svc.PolicyNotFound):
        svc.policy_yaml("nope", **_who(seeded_url))
    docs = list(yaml.safe_load_all(text))
    routes = {d["spec"]["targetRef"]["name"] for d in docs}
    assert "llama-3-3-70b-instruct" in routes and "granite-3-1b" not in routes
    names = [n for n, _ in files]
    assert names == sorted(names) and "legacy-unlimited-trial.yaml" not in names and len(names) == 7
