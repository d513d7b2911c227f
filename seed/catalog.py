"""Fixed demo catalog: groups, service accounts, AI assets and policies (realistic names, no randomness)."""

from __future__ import annotations

GROUPS = [
    ("ai-engineers", "Engineers building generative AI applications"),
    ("data-science", "Data scientists training and evaluating models"),
    ("platform-admins", "OpenShift AI platform administrators"),
    ("ml-ops", "Model deployment and serving operations"),
    ("app-developers", "Application teams consuming model endpoints"),
    ("finance-analytics", "Finance analysts using RAG over internal reports"),
]

ADMIN_GROUP = "platform-admins"  # named MAAS_ADMIN_GROUP in the database when that is set

# Each team's service accounts live in the team's namespace (named like its group): members of the
# group may create and manage keys for them (domain/roles.py).
SERVICE_ACCOUNTS = [
    ("rag-pipeline-sa", "finance-analytics", "Nightly document ingestion and RAG answering"),
    ("ci-evaluator-sa", "data-science", "Runs evaluation suites on every model promotion"),
    ("chatbot-backend-sa", "app-developers", "Backend of the customer support assistant"),
    ("batch-summarizer-sa", "ml-ops", "Summarizes weekly incident reports"),
]

# name, identifier, endpoint, description, USD per 1M input tokens, per 1M output tokens, mean latency ms
MODELS = [
    ("gpt-oss-20b", "openai/gpt-oss-20b", "https://maas.apps.example.com/gpt-oss-20b/v1",
     "OpenAI open-weight 20B reasoning model", 0.10, 0.50, 620.0),
    ("granite-3.1b", "ibm-granite/granite-3.1-8b-instruct", "https://maas.apps.example.com/granite-3-1/v1",
     "IBM Granite 3.1 instruct model", 0.05, 0.20, 310.0),
    ("llama-3.3-70b-instruct", "meta-llama/Llama-3.3-70B-Instruct", "https://maas.apps.example.com/llama-3-3-70b/v1",
     "Meta Llama 3.3 70B instruction tuned", 0.60, 0.80, 1150.0),
    ("mistral-small-24b", "mistralai/Mistral-Small-24B-Instruct-2501", "https://maas.apps.example.com/mistral-small-24b/v1",
     "Mistral Small 3 24B instruct", 0.10, 0.30, 540.0),
    ("qwen2.5-coder-7b", "Qwen/Qwen2.5-Coder-7B-Instruct", "https://maas.apps.example.com/qwen2-5-coder-7b/v1",
     "Qwen 2.5 code generation model", 0.04, 0.12, 280.0),
    ("granite-embedding-125m", "ibm-granite/granite-embedding-125m-english", "https://maas.apps.example.com/granite-embedding/v1",
     "Granite English embedding model", 0.02, 0.0, 45.0),
]

MCP_SERVERS = [
    ("OpenShift", "mcp-openshift", "https://mcp.apps.example.com/openshift/sse",
     "Kubernetes and OpenShift cluster operations",
     [("pods_list", "List pods in a namespace"), ("pods_log", "Read a pod's logs"),
      ("resources_get", "Get any Kubernetes resource"), ("projects_list", "List OpenShift projects"),
      ("events_list", "List recent cluster events")]),
    ("RHEL", "mcp-rhel", "https://mcp.apps.example.com/rhel/sse",
     "Red Hat Enterprise Linux host insights",
     [("system_info", "Report OS release and kernel"), ("package_search", "Search installed RPM packages"),
      ("service_status", "Show a systemd unit's status"), ("advisories_list", "List applicable errata")]),
    ("Ansible", "mcp-ansible", "https://mcp.apps.example.com/ansible/sse",
     "Ansible Automation Platform jobs and inventories",
     [("job_templates_list", "List job templates"), ("job_launch", "Launch a job template"),
      ("inventory_hosts", "List hosts of an inventory"), ("job_status", "Get a job's status")]),
]

# name, identifier, endpoint, description, size in bytes
VECTOR_DBS = [
    ("product-docs-milvus", "milvus-product-docs", "https://vectors.apps.example.com/milvus/product-docs",
     "Milvus collection of product documentation", 18_400_000_000),
    ("support-kb-pgvector", "pgvector-support-kb", "https://vectors.apps.example.com/pgvector/support-kb",
     "pgvector index of resolved support cases", 4_200_000_000),
    ("finance-reports-qdrant", "qdrant-finance-reports", "https://vectors.apps.example.com/qdrant/finance",
     "Qdrant collection of quarterly finance reports", 950_000_000),
]

AGENTS = [
    ("Support triage agent", "agent-support-triage", "https://agents.apps.example.com/support-triage/v1",
     "Classifies and routes incoming support cases"),
    ("Code review agent", "agent-code-review", "https://agents.apps.example.com/code-review/v1",
     "Reviews merge requests against team conventions"),
    ("Incident summarizer", "agent-incident-summarizer", "https://agents.apps.example.com/incident-summarizer/v1",
     "Summarizes incidents from alerts and chat"),
]

# Policies: slug, name, description, active, kind, token (limit, value, unit), request (limit, value, unit),
# budget USD, time window, behaviour, model and MCP server identifiers (None = All), targets {groups, users(index), sas}
POLICIES = [
    dict(slug="devs-rate-limit-standard", name="Devs rate limit standard",
         description="Standard request rate for developer groups", active=True, kind="RateLimitPolicy",
         request=(60, 1, "minute"), groups=["ai-engineers", "app-developers"]),
    dict(slug="devs-budget-standard", name="Devs budget standard",
         description="Monthly spend cap for developer keys", active=True, kind="TokenRateLimitPolicy",
         token=(200_000, 1, "day"), budget=250.0, groups=["ai-engineers", "app-developers"]),
    dict(slug="data-science-premium-tokens", name="Data science premium tokens",
         description="Higher token allowance for model evaluation work", active=True, kind="TokenRateLimitPolicy",
         token=(50_000, 1, "minute"), request=(300, 1, "minute"), groups=["data-science"]),
    dict(slug="large-models-business-hours", name="Large models business hours",
         description="70B-class models only during business hours", active=True, kind="RateLimitPolicy",
         request=(20, 1, "minute"), time=("09:00", "17:00"), behavior="soft",
         models=["meta-llama/Llama-3.3-70B-Instruct"], mcp_servers=[], groups=["app-developers", "finance-analytics"]),
    dict(slug="service-accounts-throttle", name="Service accounts throttle",
         description="Protects shared capacity from batch jobs", active=True, kind="RateLimitPolicy",
         request=(600, 1, "hour"), token=(2_000_000, 1, "day"),
         service_accounts=["rag-pipeline-sa", "batch-summarizer-sa", "ci-evaluator-sa"]),
    dict(slug="gateway-api-key-auth", name="Gateway API key auth",
         description="Requires a valid API key on every MaaS route, with a generous request ceiling",
         active=True, kind="AuthPolicy", request=(1_200, 1, "minute"), groups=["platform-admins", "ml-ops"]),
    dict(slug="finance-budget-cap", name="Finance budget cap",
         description="Finance analytics spend cap", active=True, kind="TokenRateLimitPolicy",
         token=(100_000, 1, "hour"), budget=80.0, groups=["finance-analytics"], users=[3],
         renewal=dict(renewal_kind="weekly", renewal_weekday=0, renewal_timezone="America/New_York")),
    dict(slug="legacy-unlimited-trial", name="Legacy unlimited trial",
         description="Retired trial tier kept for reference", active=False, kind="RateLimitPolicy",
         request=(1_000, 1, "minute"), groups=["ai-engineers"]),
]

# name, slug, level, groups, (tokens, window value, unit) | None, (requests, window value, unit) | None, description
TIERS = [
    ("Free", "free", 0, ["app-developers", "finance-analytics"], (10_000, 1, "minute"), (30, 1, "minute"),
     "Everyone starting out: small per-model limits"),
    ("Premium", "premium", 10, ["ai-engineers", "data-science"], (100_000, 1, "minute"), (300, 1, "minute"),
     "Teams building and evaluating AI applications"),
    ("Enterprise", "enterprise", 20, ["ml-ops", "platform-admins"], (1_000_000, 1, "minute"), (2_000, 1, "minute"),
     "Platform and production operations"),
]
