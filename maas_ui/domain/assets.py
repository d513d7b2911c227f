"""AI assets: the one table of asset kinds, the one table of providers, and the Add/Edit asset rules.

Everything that shows or takes assets (the catalog's tabs, the details page, the Add asset
wizard, a key's Assets tab and form) iterates over ASSET_KINDS / PROVIDERS. Pure: no Reflex, no DB.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from maas_ui.domain import inputs


@dataclass(frozen=True)
class Column:
    key: str  # the row field
    title: str


@dataclass(frozen=True)
class AssetKindDef:
    kind: str  # stored value (models.AssetKind)
    slug: str  # URL segment of the catalog tab
    label: str  # plural, as a tab and section title
    singular: str  # "model", mid-sentence
    columns: tuple[Column, ...]  # the catalog's columns after Name (usage columns follow)
    has_pricing: bool = False
    has_tools: bool = False
    has_size: bool = False
    has_endpoint: bool = True
    can_use_provider: bool = False  # external providers serve models only
    form_label: str = ""  # the API key form's picker, e.g. "Model endpoints"
    plural: str = ""  # mid-sentence, e.g. "MCP servers"


_NAME = Column("name", "Name")
ASSET_KIND_DEFS: tuple[AssetKindDef, ...] = (
    AssetKindDef("model", "models", "Models", "model",
                 (Column("identifier", "ID"), Column("endpoint", "Endpoint"), Column("provider_label", "Provider"),
                  Column("status", "Status")),
                 has_pricing=True, can_use_provider=True, form_label="Model endpoints", plural="models"),
    AssetKindDef("mcp_server", "mcp-servers", "MCP servers", "MCP server",
                 (Column("tools_text", "Tools"), Column("endpoint", "Endpoint")), has_tools=True,
                 form_label="MCP servers & tools", plural="MCP servers"),
    AssetKindDef("vector_db", "vector-databases", "Vector databases", "vector database",
                 (Column("size_text", "Size"),), has_size=True, has_endpoint=True, form_label="Vector databases",
                 plural="vector databases"),
    AssetKindDef("agent", "agents", "Agents", "agent", (Column("endpoint", "Endpoint"),), form_label="Agents",
                 plural="agents"),
)
ASSET_KINDS = [d.kind for d in ASSET_KIND_DEFS]
KIND_BY_SLUG = {d.slug: d for d in ASSET_KIND_DEFS}
KIND_BY_VALUE = {d.kind: d for d in ASSET_KIND_DEFS}


def kind_def(kind_or_slug: str | None) -> AssetKindDef:
    """The kind named by a stored value or a tab slug; the first (Models) otherwise."""
    return KIND_BY_VALUE.get(kind_or_slug or "") or KIND_BY_SLUG.get(kind_or_slug or "") or ASSET_KIND_DEFS[0]


@dataclass(frozen=True)
class ProviderDef:
    value: str
    label: str
    external: bool
    default_base_url: str = ""  # prefilled in the wizard
    needs_credential: bool = False
    base_url_hint: str = ""
    # How the credential travels: "bearer" (Authorization: Bearer) or a header name such as "api-key".
    auth_header: str = "bearer"


PROVIDERS: tuple[ProviderDef, ...] = (
    ProviderDef("internal", "Internal endpoint", False,
                base_url_hint="A model server inside the platform, e.g. a vLLM service URL. "
                              "Leave empty to answer with the built-in simulator."),
    ProviderDef("openai", "OpenAI", True, "https://api.openai.com/v1", True,
                "OpenAI's API, normally https://api.openai.com/v1."),
    ProviderDef("anthropic", "Anthropic", True, "https://api.anthropic.com/v1", True,
                "Anthropic's OpenAI-compatible API, normally https://api.anthropic.com/v1."),
    ProviderDef("azure_openai", "Azure OpenAI", True, "", True,
                "Your resource's v1 API, e.g. https://my-resource.openai.azure.com/openai/v1.", auth_header="api-key"),
    ProviderDef("openai_compatible", "OpenAI-compatible URL", True, "", False,
                "Any server speaking the OpenAI API (vLLM, Ollama, a proxy): its /v1 base URL."),
)
PROVIDER_BY_VALUE = {p.value: p for p in PROVIDERS}


def provider_def(value: str | None) -> ProviderDef:
    return PROVIDER_BY_VALUE.get(value or "", PROVIDERS[0])


def provider_label(value: str | None) -> str:
    return provider_def(value).label


# The Add/Edit asset form ------------------------------------------------------------------------
KIND, PROVIDER, NAME, IDENTIFIERS, BASE_URL, CREDENTIAL = "kind", "provider", "name", "identifiers", "base_url", "credential"
PRICE_IN, PRICE_OUT, CONTEXT, OWNER, DESCRIPTION = "price_in", "price_out", "context_length", "owner", "description"
NAME_MAX, ID_MAX, URL_MAX = 128, 128, 512
_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:/@-]*$")


@dataclass(frozen=True)
class AssetFormInput:
    """What the wizard or the edit form holds, as typed."""

    kind: str = "model"
    provider: str = "internal"
    name: str = ""
    identifiers: str = ""  # one or more model IDs: commas, spaces or new lines between them
    base_url: str = ""
    credential: str = ""  # typed now; "" when editing means "keep the stored one"
    price_in: str = ""
    price_out: str = ""
    context_length: str = ""
    owner: str = ""
    description: str = ""


@dataclass(frozen=True)
class AssetInput:
    """A valid form, cleaned."""

    kind: str
    provider: str
    name: str
    identifiers: tuple[str, ...]
    base_url: str
    credential: str
    price_in: float | None
    price_out: float | None
    context_length: int | None
    owner: str
    description: str = ""
    extra: dict = field(default_factory=dict)


def split_identifiers(text: str) -> list[str]:
    """Model IDs from a list typed with commas, spaces or new lines; duplicates once, order kept."""
    seen: list[str] = []
    for part in re.split(r"[\s,]+", text or ""):
        if part and part not in seen:
            seen.append(part)
    return seen


def url_problem(url: str, *, required: bool) -> str | None:
    """Why a base URL is unusable, or None."""
    url = url.strip()
    if not url:
        return "Enter the provider's base URL." if required else None
    if len(url) > URL_MAX:
        return f"Use at most {URL_MAX} characters."
    if any(c.isspace() for c in url):
        return "A URL cannot contain spaces."
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return "Enter a URL that starts with https:// or http://."
    try:
        host, _port = parts.hostname, parts.port
    except ValueError:
        return "The port in this URL is not a number between 0 and 65535."
    if not host:
        return "Enter a URL with a host name, e.g. https://api.example.com/v1."
    if parts.query or parts.fragment:
        return "A base URL has no ?query or #fragment."
    return None


def _price(text: str, errors: dict, key: str, label: str) -> float | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        value = float(text.replace(",", "").removeprefix("$"))
    except ValueError:
        errors[key] = f"Enter the {label} price as a number of US dollars, e.g. 0.50."
        return None
    if not value > 0 or value != value or value == float("inf"):
        errors[key] = f"The {label} price must be more than 0."
        return None
    if value > 10_000:
        errors[key] = f"The {label} price must be at most $10,000 per million tokens."
        return None
    return value


def validate_asset_form(raw: AssetFormInput, *, editing: bool = False, name_taken=lambda name: False,
                        identifier_taken=lambda ident: False, credential_stored: bool = False
                        ) -> tuple[AssetInput | None, dict[str, str]]:
    """Clean the form, or say field by field what is wrong. `name_taken`/`identifier_taken` are
    the facts only the database knows (the service passes them; the form passes what it loaded)."""
    errors: dict[str, str] = {}
    kind = kind_def(raw.kind)
    if raw.kind not in KIND_BY_VALUE:
        errors[KIND] = "Choose what kind of asset this is."
    provider = provider_def(raw.provider)
    if raw.provider not in PROVIDER_BY_VALUE or (provider.external and not kind.can_use_provider):
        errors[PROVIDER] = "Choose where the asset runs."
    name = inputs.clean_name(raw.name)
    if not name:
        errors[NAME] = "Enter a name."
    elif len(name) > NAME_MAX:
        errors[NAME] = f"Use at most {NAME_MAX} characters."
    elif name_taken(name):
        errors[NAME] = f"An asset named \u201c{name}\u201d already exists. Choose another name."
    idents = split_identifiers(raw.identifiers)
    if not idents:
        errors[IDENTIFIERS] = ("Choose or type at least one model ID to expose." if kind.kind == "model"
                               else "Enter the asset's ID.")
    elif not editing and kind.kind != "model" and len(idents) > 1:
        errors[IDENTIFIERS] = "Enter one ID."
    elif editing and len(idents) > 1:
        errors[IDENTIFIERS] = "An asset has one ID."
    else:
        bad = next((i for i in idents if len(i) > ID_MAX or not _ID_RE.match(i)), None)
        taken = next((i for i in idents if identifier_taken(i)), None)
        if bad is not None:
            errors[IDENTIFIERS] = (f"\u201c{bad[:40]}\u201d is not a usable ID: letters, digits and . _ : / @ - only, "
                                   f"at most {ID_MAX} characters.")
        elif taken is not None:
            errors[IDENTIFIERS] = f"An asset with the ID \u201c{taken}\u201d already exists."
    base_url = raw.base_url.strip()
    problem = url_problem(base_url, required=provider.external)
    if problem:
        errors[BASE_URL] = problem
    credential = raw.credential.strip()
    if provider.needs_credential and not credential and not (editing and credential_stored):
        errors[CREDENTIAL] = f"Enter the API key {provider.label} gave you."
    price_in = price_out = None
    if kind.has_pricing:
        price_in = _price(raw.price_in, errors, PRICE_IN, "input")
        price_out = _price(raw.price_out, errors, PRICE_OUT, "output")
    context = None
    if kind.kind == "model" and raw.context_length.strip():
        try:
            context = inputs.parse_int(raw.context_length) if hasattr(inputs, "parse_int") else int(raw.context_length)
        except (ValueError, TypeError):
            context = None
        if not isinstance(context, int) or context <= 0:
            errors[CONTEXT] = "Enter the context length as a whole number of tokens above 0, e.g. 131072."
            context = None
    owner = inputs.clean_name(raw.owner)
    if len(owner) > 128:
        errors[OWNER] = "Use at most 128 characters."
    description = raw.description.strip()
    if len(description) > 512:
        errors[DESCRIPTION] = "Use at most 512 characters."
    if errors:
        return None, errors
    return AssetInput(kind=kind.kind, provider=provider.value, name=name, identifiers=tuple(idents),
                      base_url=base_url.rstrip("/"), credential=credential, price_in=price_in, price_out=price_out,
                      context_length=context, owner=owner, description=description), {}


def asset_names(name: str, identifiers: tuple[str, ...]) -> list[tuple[str, str]]:
    """(name, identifier) of each asset an Add makes: one per model ID exposed; with several IDs
    each is named after the connection and its ID ("OpenAI: gpt-4o")."""
    if len(identifiers) == 1:
        return [(name, identifiers[0])]
    return [(f"{name}: {ident}", ident) for ident in identifiers]


TRAFFIC_STATUSES = ("Healthy", "Degraded", "No traffic")
DEGRADED_ERROR_SHARE = 0.2


def traffic_status(requests: int, errors: int) -> str:
    """A model's status from its last 24 hours: no requests, a fifth or more failing, or healthy."""
    if requests <= 0:
        return "No traffic"
    return "Degraded" if errors / requests >= DEGRADED_ERROR_SHARE else "Healthy"


def mask_credential(stored: bool) -> str:
    """What the edit form shows for a stored credential (never any of its characters)."""
    return "\u2022" * 12 if stored else ""


def ready_request(base_url: str, model_id: str, secret_placeholder: str = "$MAAS_API_KEY") -> str:
    """A curl command that calls the model through the gateway with a key."""
    return (f"curl {base_url.rstrip('/')}/chat/completions \\\n"
            f"  -H \"Authorization: Bearer {secret_placeholder}\" \\\n"
            f"  -H \"Content-Type: application/json\" \\\n"
            f"  -d '{{\"model\": \"{model_id}\", \"messages\": [{{\"role\": \"user\", \"content\": \"Hello\"}}]}}'")
