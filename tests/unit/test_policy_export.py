"""`python -m maas_ui.export`: one deterministic YAML file per active policy."""

from __future__ import annotations

import yaml

from maas_ui.export import export, main
from maas_ui.services import policies as svc
from tests.unit.policy_fixtures import TESTER, policy_template_db, seeded_url  # noqa: F401 (fixtures)


def _read(folder):
    return {p.name: p.read_text() for p in sorted(folder.glob("*.yaml"))}


def test_export_writes_one_file_per_active_policy_deterministically(seeded_url, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("MAAS_DB_URL", seeded_url)
    out = tmp_path / "gitops"
    assert main(["--out", str(out)]) == 0
    assert "Wrote 7 policy manifest files" in capsys.readouterr().out
    first = _read(out)
    assert len(first) == 7 and "legacy-unlimited-trial.yaml" not in first
    for name, text in first.items():
        docs = list(yaml.safe_load_all(text))
        assert docs and all(d["metadata"]["labels"]["maas.opendatahub.io/policy"] == name[:-5] for d in docs)
    assert main(["--out", str(out)]) == 0
    assert _read(out) == first
    # The YAML tab shows exactly what is exported.
    assert svc.policy_yaml("devs-budget-standard", actor=TESTER, url=seeded_url) == first["devs-budget-standard.yaml"]


def test_export_mirrors_deactivation_and_keeps_foreign_files(seeded_url, tmp_path):
    out = tmp_path / "gitops"
    out.mkdir()
    (out / "kustomization.yaml").write_text("resources: []\n")
    export(out, seeded_url)
    svc.set_policy_active("devs-budget-standard", False, actor=TESTER, url=seeded_url)
    export(out, seeded_url)
    names = set(_read(out))
    assert "devs-budget-standard.yaml" not in names and "kustomization.yaml" in names and len(names) == 7


def test_export_options_set_namespace_and_gateway(seeded_url, tmp_path, monkeypatch):
    monkeypatch.setenv("MAAS_DB_URL", seeded_url)
    assert main(["--out", str(tmp_path), "--namespace", "maas-prod", "--gateway", "edge"]) == 0
    doc = next(yaml.safe_load_all((tmp_path / "devs-rate-limit-standard.yaml").read_text()))
    assert doc["metadata"]["namespace"] == "maas-prod"
    assert doc["spec"]["targetRef"] == {"group": "gateway.networking.k8s.io", "kind": "Gateway", "name": "edge"}
