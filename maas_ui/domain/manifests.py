"""Kuadrant manifests that would enforce a console policy on the MaaS gateway.

One generator for the policy's YAML tab and for `python -m maas_ui.export`. Pure: policy facts
in, dicts / YAML text out, byte-for-byte the same for the same input.

Per policy and per target (the Gateway when the asset scope is "All", otherwise one HTTPRoute
per covered model or MCP server):
- AuthPolicy (kuadrant.io/v1): the targets' access: their API keys (Kubernetes Secrets managed
  by Authorino) authenticate, and the identity (user id, groups) is exposed for the counters
  and predicates of the limits.
- one Kuadrant limit policy per limit kind that has one (limits.LIMIT_KINDS: RateLimitPolicy,
  kuadrant.io/v1, for requests; TokenRateLimitPolicy, kuadrant.io/v1alpha1, for tokens), counted
  per user (auth.identity.userid), scoped by a `when` predicate to the policy's targets.
Kinds Kuadrant has no policy for (dollar budgets, time-of-day windows) and the soft throttle
(Kuadrant always rejects over the limit, HTTP 429) are carried as annotations (and comments)
for the console to enforce.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

import yaml

from maas_ui.domain.limits import BUDGET, LIMIT_KINDS, TIME_WINDOW, Limit, LimitKind, policy_limits
from maas_ui.domain.policies import (
    AUTH_POLICY,
    GROUP,
    MCP_SERVER,
    MODEL,
    RATE_LIMIT_POLICY,
    SERVICE_ACCOUNT,
    TOKEN_RATE_LIMIT_POLICY,
    USER,
    AssetRef,
    PolicyFacts,
    policy_rules,
)

API_VERSIONS = {
    AUTH_POLICY: "kuadrant.io/v1",
    RATE_LIMIT_POLICY: "kuadrant.io/v1",
    TOKEN_RATE_LIMIT_POLICY: "kuadrant.io/v1alpha1",
}
WINDOW_RE = re.compile(r"^([0-9]{1,5}(h|m|s|ms)){1,4}$")
GATEWAY_API_GROUP = "gateway.networking.k8s.io"
DEFAULT_NAMESPACE = "llm"
DEFAULT_GATEWAY = "maas-default-gateway"
ANNOTATION_PREFIX = "maas.opendatahub.io"
USER_ID = "auth.identity.userid"

# The kinds Kuadrant enforces, in document order: checked before the call, then counted after it.
KUADRANT_KINDS: tuple[LimitKind, ...] = tuple(
    sorted((k for k in LIMIT_KINDS if k.kuadrant_kind), key=lambda k: k.counted_after_call))
# The kinds the console enforces itself: kind name -> (annotation, its value, header comment).
CONSOLE_ENFORCED = {
    BUDGET.name: ("budget-usd-per-month", lambda lim: f"{lim.amount:.2f}",
                  lambda lim: f"Budget {lim.label}: Kuadrant has no dollar budgets; "
                              "the console enforces it (see the budget annotation)."),
    TIME_WINDOW.name: ("time-window", lambda lim: f"{lim.start}-{lim.end}",
                       lambda lim: f"Time limit {lim.start}-{lim.end}: Kuadrant has no time-of-day windows; "
                                   "the console enforces it (see the time-window annotation)."),
}


@dataclass(frozen=True)
class GatewaySettings:
    namespace: str = DEFAULT_NAMESPACE  # where the policies and the model HTTPRoutes live
    gateway_name: str = DEFAULT_GATEWAY


@dataclass(frozen=True)
class TargetRef:
    kind: str  # HTTPRoute | Gateway
    name: str

    def as_dict(self) -> dict:
        return {"group": GATEWAY_API_GROUP, "kind": self.kind, "name": self.name}


def kuadrant_window(value: int, unit: str) -> str:
    """A window in Kuadrant's duration format: minutes 'Nm', hours 'Nh', days 'N*24h' (there is no 'd')."""
    if value < 1:
        raise ValueError("a window is at least 1")
    amount, suffix = {"minute": (value, "m"), "hour": (value, "h"), "day": (value * 24, "h")}[unit]
    if amount > 99999:  # five digits at most; fall back to a larger unit
        if suffix == "m" and amount % 60 == 0:
            amount, suffix = amount // 60, "h"
    window = f"{amount}{suffix}"
    if not WINDOW_RE.match(window):
        raise ValueError(f"{value} {unit} cannot be written as a Kuadrant window")
    return window


def target_refs(policy: PolicyFacts, catalog: Sequence[AssetRef] = ()) -> list[TargetRef]:
    """The Gateway for an unrestricted policy; otherwise one HTTPRoute per covered asset, by name.

    `catalog` lists the published models and MCP servers: a selector left at "All" beside a
    restricted one covers each of them.
    """
    if policy.unrestricted:
        return []
    covered: dict[str, AssetRef] = {}
    if policy.all_models:
        covered.update((a.route_name, a) for a in catalog if a.kind == MODEL)
    else:
        covered.update((a.route_name, a) for a in policy.models)
    if policy.all_mcp_servers:
        covered.update((a.route_name, a) for a in catalog if a.kind == MCP_SERVER)
    else:
        covered.update((a.route_name, a) for a in policy.mcp_servers)
    return [TargetRef("HTTPRoute", name) for name in sorted(covered)]


def _cel_list(values: Sequence[str]) -> str:
    return "[" + ", ".join(json.dumps(v) for v in values) + "]"


def targets_predicate(policy: PolicyFacts) -> str:
    """One CEL predicate true for requests of the policy's targets ('false' when there are none)."""
    clauses = []
    groups = sorted(t.name for t in policy.targets_of(GROUP))
    identities = sorted(t.identity for t in policy.targets if t.kind in (USER, SERVICE_ACCOUNT))
    if groups:
        if len(groups) == 1:
            clauses.append(f'auth.identity.groups.split(",").exists(g, g == {json.dumps(groups[0])})')
        else:
            clauses.append(f'auth.identity.groups.split(",").exists(g, g in {_cel_list(groups)})')
    if identities:
        if len(identities) == 1:
            clauses.append(f"{USER_ID} == {json.dumps(identities[0])}")
        else:
            clauses.append(f"{USER_ID} in {_cel_list(identities)}")
    return " || ".join(clauses) if clauses else "false"


def _console_enforced(policy: PolicyFacts) -> list[Limit]:
    return [lim for lim in policy_limits(policy) if lim.kind in CONSOLE_ENFORCED]


def _metadata(policy: PolicyFacts, name: str, namespace: str) -> dict:
    annotations = {f"{ANNOTATION_PREFIX}/policy-name": policy.name}
    if policy.description:
        annotations[f"{ANNOTATION_PREFIX}/description"] = policy.description
    targets = sorted(f"{t.kind.replace('_', '-')}:{t.name}" for t in policy.targets)
    annotations[f"{ANNOTATION_PREFIX}/targets"] = ", ".join(targets) if targets else "none"
    for lim in _console_enforced(policy):
        annotation, value, _comment = CONSOLE_ENFORCED[lim.kind]
        annotations[f"{ANNOTATION_PREFIX}/{annotation}"] = value(lim)
    annotations[f"{ANNOTATION_PREFIX}/over-limit"] = policy.over_limit_behavior
    return {
        "name": name,
        "namespace": namespace,
        "labels": {
            "app.kubernetes.io/managed-by": "maas-console",
            f"{ANNOTATION_PREFIX}/policy": policy.slug,
        },
        "annotations": annotations,
    }


def _resource_name(policy: PolicyFacts, ref: TargetRef, suffix: str, many: bool) -> str:
    return f"{policy.slug}-{ref.name}-{suffix}" if many else f"{policy.slug}-{suffix}"


def _auth_policy(policy: PolicyFacts, ref: TargetRef, name: str, namespace: str) -> dict:
    rules: dict = {
        "authentication": {
            "api-key-users": {
                "apiKey": {"selector": {"matchLabels": {"app": "maas"}}},
                "credentials": {"authorizationHeader": {"prefix": "APIKEY"}},
            }
        },
    }
    rules["response"] = {
        "success": {
            "filters": {
                "identity": {
                    "json": {
                        "properties": {
                            "userid": {"selector": "auth.identity.metadata.annotations.secret\\.kuadrant\\.io/user-id"},
                            "groups": {"selector": "auth.identity.metadata.annotations.kuadrant\\.io/groups"},
                        }
                    }
                }
            }
        }
    }
    return {
        "apiVersion": API_VERSIONS[AUTH_POLICY],
        "kind": AUTH_POLICY,
        "metadata": _metadata(policy, name, namespace),
        "spec": {"targetRef": ref.as_dict(), "rules": rules},
    }


def _limit_policy(policy: PolicyFacts, kind: LimitKind, limit: Limit, ref: TargetRef, name: str,
                  namespace: str) -> dict:
    window = limit.window
    return {
        "apiVersion": API_VERSIONS[kind.kuadrant_kind],
        "kind": kind.kuadrant_kind,
        "metadata": _metadata(policy, name, namespace),
        "spec": {
            "targetRef": ref.as_dict(),
            "limits": {
                f"per-user-{kind.name}": {
                    "rates": [{"limit": int(limit.amount or 0), "window": kuadrant_window(window.value, window.unit)}],
                    "when": [{"predicate": targets_predicate(policy)}],
                    "counters": [{"expression": USER_ID}],
                }
            },
        },
    }


def policy_manifests(
    policy: PolicyFacts,
    catalog: Sequence[AssetRef] = (),
    settings: GatewaySettings = GatewaySettings(),
) -> list[dict]:
    """The manifests as dicts, in a fixed order: per target, the AuthPolicy, then one limit policy per
    limit kind Kuadrant enforces (KUADRANT_KINDS order: RateLimitPolicy, TokenRateLimitPolicy)."""
    refs = target_refs(policy, catalog) or [TargetRef("Gateway", settings.gateway_name)]
    many = len(refs) > 1 or refs[0].kind == "HTTPRoute"
    by_kind = {lim.kind: lim for lim in policy_limits(policy)}
    docs = []
    for ref in refs:
        docs.append(_auth_policy(policy, ref, _resource_name(policy, ref, "auth", many), settings.namespace))
        for kind in KUADRANT_KINDS:
            if kind.name in by_kind:
                docs.append(_limit_policy(policy, kind, by_kind[kind.name], ref,
                                          _resource_name(policy, ref, kind.name, many), settings.namespace))
    return docs


def _header(policy: PolicyFacts, docs: list[dict]) -> list[str]:
    lines = [
        f"# Kuadrant manifests for the MaaS policy \"{policy.name}\" ({policy.slug}).",
        "# Generated by the MaaS Console; apply with `oc apply -f`.",
    ]
    if not policy.is_active:
        lines.append("# This policy is inactive in the console: it is not exported until activated.")
    rules = policy_rules(policy)
    lines.append("# Rules: " + ("; ".join(rules) if rules else "none (access only)") + ".")
    if not policy.targets:
        lines.append("# No targets: the predicates below match nobody.")
    for lim in _console_enforced(policy):
        lines.append("# " + CONSOLE_ENFORCED[lim.kind][2](lim))
    if policy.over_limit_behavior == "soft" and any(d["kind"] != AUTH_POLICY for d in docs):
        lines.append("# Over-limit behaviour: soft throttle (allow and flag). Kuadrant always rejects over the "
                     "limit (HTTP 429): the console flags the excess; review before applying the limits below.")
    kinds = sorted({d["kind"] for d in docs})
    lines.append(f"# {len(docs)} manifest{'s' if len(docs) != 1 else ''}: {', '.join(kinds)}.")
    return lines


class _Dumper(yaml.SafeDumper):
    """Block style, keys in insertion order, long predicates kept on one line."""


def _str_representer(dumper: yaml.SafeDumper, value: str):
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _str_representer)


def manifests_yaml(
    policy: PolicyFacts,
    catalog: Sequence[AssetRef] = (),
    settings: GatewaySettings = GatewaySettings(),
) -> str:
    """Multi-document YAML text: a comment header, then one document per manifest."""
    docs = policy_manifests(policy, catalog, settings)
    parts = ["\n".join(_header(policy, docs))]
    for doc in docs:
        body = yaml.dump(doc, Dumper=_Dumper, sort_keys=False, default_flow_style=False,
                         allow_unicode=True, width=4096)
        parts.append("---\n" + body.rstrip("\n"))
    return "\n".join(parts) + "\n"


def manifest_file_name(policy: PolicyFacts) -> str:
    return f"{policy.slug}.yaml"
