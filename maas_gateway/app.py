"""HTTP layer: OpenAI-compatible routes, mounted in front of the console (rx.App api_transformer).

Every refusal is an OpenAI-style JSON error naming the rule that decided. The secret is read
from the Authorization header, hashed and never echoed, logged or stored.
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import time
from collections.abc import AsyncIterator
from datetime import datetime, timezone

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from maas_ui.domain import key_format
from maas_ui.domain.keys import SecretBox, display_status
from maas_ui.services import gateway as gw
from maas_ui.settings import secret_key
from maas_gateway import upstreams as up
from maas_gateway.config import GatewayConfig
from maas_gateway.directory import Directory, KeyEntry
from maas_gateway.enforcement import Admission, Blocked, Budgets, Enforcer
from maas_gateway.limiter import Limiter, StoreUnavailable

log = logging.getLogger("maas_gateway")
from maas_gateway.recorder import Recorder

ERROR_TYPES = {400: "invalid_request_error", 401: "authentication_error", 403: "permission_error",
               404: "not_found_error", 405: "invalid_request_error", 413: "invalid_request_error", 429: "rate_limit_error",
               502: "upstream_error", 503: "service_unavailable", 504: "upstream_error"}
UNAVAILABLE_RETRY_S = 2


class GatewayError(Exception):
    def __init__(self, status: int, code: str, message: str, param: str | None = None,
                 extra: dict | None = None, headers: dict | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.param = status, code, message, param
        self.extra, self.headers = extra or {}, headers or {}

    def response(self) -> JSONResponse:
        body = {"error": {"message": self.message, "type": ERROR_TYPES.get(self.status, "api_error"),
                          "param": self.param, "code": self.code, **self.extra}}
        return JSONResponse(body, status_code=self.status, headers=self.headers)


def _unavailable(exc: BaseException) -> GatewayError:
    """A dependency the gateway needs (the database, the shared counters' Redis) is down: 503, and
    the client retries. Nothing was counted or charged; the reason is logged, not sent."""
    what = "rate-limit store (Redis)" if isinstance(exc, StoreUnavailable) else "database"
    log.warning("gateway answering 503: %s unavailable: %s", what, type(exc).__name__)
    return GatewayError(503, "service_unavailable",
                        f"The gateway's {what} is unavailable right now; nothing was charged. "
                        f"Try again in a few seconds.", headers={"retry-after": str(UNAVAILABLE_RETRY_S)})


def _dependency_error(exc: BaseException) -> bool:
    from sqlalchemy.exc import SQLAlchemyError

    return isinstance(exc, (StoreUnavailable, SQLAlchemyError, ConnectionError))


def answers_503_when_down(handler):
    """Route wrapper: a dependency outage anywhere in the handler is a JSON 503, never a stack trace."""

    @functools.wraps(handler)
    async def wrapped(request: Request) -> Response:
        try:
            return await handler(request)
        except Exception as exc:
            if _dependency_error(exc):
                return _unavailable(exc).response()
            raise

    return wrapped


def _now() -> datetime:
    return datetime.now(timezone.utc)


class Gateway:
    """Everything one gateway process holds: caches, counters, upstream clients, the recorder."""

    def __init__(self, config: GatewayConfig | None = None, db_url: str | None = None):
        self.config = config or GatewayConfig.from_env()
        self.limiter = Limiter(self.config.limits_storage_url)
        # With Redis, the key cache's change counter and the budgets are shared like the counters.
        self.directory = Directory(self.config.cache_ttl_s, db_url, self.limiter.redis)
        self.enforcer = Enforcer(self.limiter, Budgets(db_url, self.limiter.redis))
        self.recorder = Recorder(self.config.flush_interval_s, db_url)
        self.simulator = up.Simulator(self.config.simulator_latency_ms)
        self.http: up.HttpUpstream | None = None
        self._box: SecretBox | None = None
        self._credentials: dict[str, str | None] = {}  # ciphertext -> plaintext (memory only)

    # Lifespan -----------------------------------------------------------------------------
    @contextlib.asynccontextmanager
    async def lifespan(self) -> AsyncIterator[None]:
        self.recorder.start()
        try:
            yield
        finally:
            await self.recorder.stop()  # a clean shutdown writes every pending record
            if self.http is not None:
                await self.http.aclose()

    def credential(self, model: gw.GatewayModel) -> str | None:
        token = model.upstream_credential_encrypted
        if not token:
            return None
        if token not in self._credentials:
            self._credentials[token] = gw.credential_of(model, self.box)
        return self._credentials[token]

    @property
    def box(self) -> SecretBox:
        if self._box is None:
            self._box = SecretBox(secret_key())
        return self._box

    # Authentication -------------------------------------------------------------------------
    async def authenticate(self, request: Request) -> KeyEntry:
        header = request.headers.get("authorization", "")
        scheme, _, secret = header.partition(" ")
        secret = secret.strip()
        if not header:
            raise GatewayError(401, "missing_api_key", "No API key: send it as 'Authorization: Bearer sk-...'.")
        if scheme.lower() != "bearer" or not secret.startswith("sk-") or len(secret) > 200:
            raise GatewayError(401, "invalid_api_key",
                               "Malformed API key: send 'Authorization: Bearer ' followed by a key that starts "
                               "with 'sk-'.")
        entry = await self.directory.lookup(secret)
        if entry is None:
            raise GatewayError(401, "invalid_api_key", "Unknown API key. Check that you copied the whole key.")
        key = entry.key
        if key.deleted:
            raise GatewayError(401, "invalid_api_key", "This API key was deleted and no longer works.")
        status = display_status(key.status, key.expires_at, _now())
        if status == "Disabled":
            raise GatewayError(403, "key_disabled",
                               f"The API key {key.public_id} is disabled. Ask its owner or an administrator to "
                               "enable it.")
        if status == "Expired":
            raise GatewayError(403, "key_expired",
                               f"The API key {key.public_id} expired on {key_format.exact_time(key.expires_at)}.")
        return entry

    # Requests ----------------------------------------------------------------------------
    async def read_json(self, request: Request) -> dict:
        length = request.headers.get("content-length")
        limit = self.config.max_body_bytes
        if length and length.isdigit() and int(length) > limit:
            raise GatewayError(413, "request_too_large", f"The request body is larger than {limit:,} bytes.")
        raw = await request.body()
        if len(raw) > limit:
            raise GatewayError(413, "request_too_large", f"The request body is larger than {limit:,} bytes.")
        try:
            body = json.loads(raw)
        except ValueError:
            raise GatewayError(400, "invalid_json", "The request body is not valid JSON.") from None
        if not isinstance(body, dict):
            raise GatewayError(400, "invalid_json", "The request body must be a JSON object.")
        return body

    def validate(self, kind: str, body: dict) -> None:
        model = body.get("model")
        if not isinstance(model, str) or not model.strip():
            raise GatewayError(400, "missing_model", "Name the model: 'model' is required.", "model")
        if kind == up.CHAT:
            messages = body.get("messages")
            if not isinstance(messages, list) or not messages:
                raise GatewayError(400, "missing_messages",
                                   "'messages' is required: a non-empty list of {role, content} objects.", "messages")
            for i, m in enumerate(messages):
                if not isinstance(m, dict) or not isinstance(m.get("role"), str):
                    raise GatewayError(400, "invalid_messages", f"messages[{i}] must be an object with a 'role'.",
                                       "messages")
        else:
            prompt = body.get("prompt")
            if not isinstance(prompt, (str, list)) or (isinstance(prompt, list) and not prompt):
                raise GatewayError(400, "missing_prompt", "'prompt' is required: a string or a list of strings.",
                                   "prompt")
        for name in ("max_tokens", "max_completion_tokens"):
            if name in body and body[name] is not None:
                v = body[name]
                if not isinstance(v, int) or isinstance(v, bool) or v < 1 or v > self.config.max_tokens_cap:
                    raise GatewayError(400, "invalid_max_tokens",
                                       f"'{name}' must be a whole number from 1 to {self.config.max_tokens_cap:,}.",
                                       name)
        if "stream" in body and not isinstance(body["stream"], (bool, type(None))):
            raise GatewayError(400, "invalid_stream", "'stream' must be true or false.", "stream")

    def resolve_model(self, entry: KeyEntry, body: dict, base_path: str | None) -> gw.GatewayModel:
        name = body["model"].strip()
        if base_path is not None:
            served = self.directory.model_by_path(base_path)
            if served is None:
                raise GatewayError(404, "unknown_endpoint", f"No model answers under {base_path}.")
            if name not in (served.identifier, served.name):
                raise GatewayError(400, "model_mismatch",
                                   f"This endpoint serves the model '{served.identifier}', but the request names "
                                   f"'{name}'.", "model")
        model = entry.model(name)
        if model is None:
            raise GatewayError(403, "model_not_allowed",
                               f"The API key {entry.key.public_id} may not use the model '{name}': it is not among "
                               "the key's assets.", "model")
        return model

    def record(self, entry: KeyEntry, model: gw.GatewayModel | None, status: int, outcome: str, started: float,
               usage: up.Usage | None = None, throttled: bool = False, streamed: bool = False) -> float:
        cost = model.cost(usage.input_tokens, usage.output_tokens) if (usage and model) else 0.0
        latency_ms = (time.perf_counter() - started) * 1000
        self.recorder.add(gw.RequestRecord(
            at=_now(), key_id=entry.key.id, asset_id=model.id if model else None, status=status, outcome=outcome,
            input_tokens=usage.input_tokens if usage else 0, output_tokens=usage.output_tokens if usage else 0,
            cost_usd=cost, latency_ms=latency_ms, throttled=throttled, streamed=streamed,
        ))
        return cost

    async def completion(self, request: Request, kind: str) -> Response:
        started = time.perf_counter()
        base_path = None
        prefix = request.path_params.get("prefix")
        if prefix is not None:
            base_path = f"/{prefix}/v1"
        try:
            entry = await self.authenticate(request)
        except GatewayError as e:
            return e.response()
        model = None
        try:
            body = await self.read_json(request)
            self.validate(kind, body)
            model = self.resolve_model(entry, body, base_path)
            now = _now()
            decision = await self.enforcer.admit(entry, model, now)
            if isinstance(decision, Blocked):
                headers = {"retry-after": str(decision.retry_after_s)} if decision.retry_after_s else {}
                raise GatewayError(decision.status, decision.code, decision.message,
                                   extra={"limit": decision.detail()}, headers=headers)
        except GatewayError as e:
            self.record(entry, model if e.code != "model_not_allowed" else None, e.status, e.code, started,
                        throttled=e.status == 429)
            return e.response()
        if body.get("stream"):
            return await self._stream(entry, model, kind, body, decision, started)
        try:
            data, usage = await self._complete(model, kind, body)
        except up.UpstreamError as e:
            self.record(entry, model, e.status, "upstream_timeout" if e.status == 504 else "upstream_error", started)
            return GatewayError(e.status, "upstream_timeout" if e.status == 504 else "upstream_error",
                                e.message).response()
        self._settle(entry, model, decision, usage, started, 200)
        return JSONResponse(data, headers=self.enforcer.headers(decision))

    async def _complete(self, model: gw.GatewayModel, kind: str, body: dict) -> tuple[dict, up.Usage]:
        if not model.upstream_url:
            return await self.simulator.complete(kind, body, model.identifier)
        return await self._http().complete(kind, body, model.upstream_url, model.upstream_model or model.identifier,
                                           self.credential(model), model.upstream_auth_header)

    def _http(self) -> up.HttpUpstream:
        if self.http is None:
            self.http = up.HttpUpstream(self.config.upstream_timeout_s)
        return self.http

    def _settle(self, entry: KeyEntry, model: gw.GatewayModel, adm: Admission, usage: up.Usage, started: float,
                status: int, streamed: bool = False) -> None:
        cost = self.record(entry, model, status, "throttled" if adm.throttled else "ok", started, usage,
                           throttled=adm.throttled, streamed=streamed)
        try:
            self.enforcer.settle(adm, usage.input_tokens + usage.output_tokens, cost, _now())
        except StoreUnavailable as exc:  # served and recorded: the answer stands, the counters miss it
            log.warning("could not add a request's tokens and cost to the shared counters: %s", exc)

    async def _stream(self, entry: KeyEntry, model: gw.GatewayModel, kind: str, body: dict, adm: Admission,
                      started: float) -> Response:
        include_usage = bool((body.get("stream_options") or {}).get("include_usage")) \
            if isinstance(body.get("stream_options"), dict) else False
        if model.upstream_url:
            chunks = self._http().stream(kind, body, model.upstream_url, model.upstream_model or model.identifier,
                                         self.credential(model), model.upstream_auth_header)
        else:
            chunks = self.simulator.stream(kind, body, model.identifier)

        # Get the first chunk before answering, so an unreachable upstream is a 502, not a broken stream.
        try:
            first = await chunks.__anext__()
        except StopAsyncIteration:
            first = None
        except up.UpstreamError as e:
            code = "upstream_timeout" if e.status == 504 else "upstream_error"
            self.record(entry, model, e.status, code, started, streamed=True)
            return GatewayError(e.status, code, e.message).response()

        async def events() -> AsyncIterator[bytes]:
            usage: up.Usage | None = None
            status = 200
            try:
                chunk = first
                while chunk is not None:
                    u = up.usage_from(chunk)
                    if u is not None:
                        usage = u
                    if u is None or chunk.get("choices") or include_usage:
                        if u is not None and not include_usage:
                            chunk = {**chunk, "usage": None}
                        yield b"data: " + json.dumps(chunk, separators=(",", ":")).encode() + b"\n\n"
                    try:
                        chunk = await chunks.__anext__()
                    except StopAsyncIteration:
                        chunk = None
                yield b"data: [DONE]\n\n"
            except up.UpstreamError as e:
                status = e.status
                err = {"error": {"message": e.message, "type": "upstream_error", "param": None,
                                 "code": "upstream_timeout" if e.status == 504 else "upstream_error"}}
                yield b"data: " + json.dumps(err).encode() + b"\n\n"
            finally:
                if status == 200:
                    self._settle(entry, model, adm, usage or up.Usage(up.input_tokens_of(kind, body), 0), started,
                                 200, streamed=True)
                else:
                    self.record(entry, model, status, "upstream_error", started, streamed=True)

        headers = {"cache-control": "no-cache", **self.enforcer.headers(adm)}
        return StreamingResponse(events(), media_type="text/event-stream", headers=headers)

    # Listing ------------------------------------------------------------------------------
    async def models(self, request: Request) -> Response:
        try:
            entry = await self.authenticate(request)
        except GatewayError as e:
            return e.response()
        prefix = request.path_params.get("prefix")
        models = entry.granted()
        if prefix is not None:
            models = [m for m in models if m.base_path == f"/{prefix}/v1"]
        return JSONResponse({"object": "list", "data": [
            {"id": m.identifier, "object": "model", "created": 0, "owned_by": "maas", "name": m.name}
            for m in models]})

    async def limits(self, request: Request) -> Response:
        try:
            entry = await self.authenticate(request)
        except GatewayError as e:
            return e.response()
        return JSONResponse({"object": "limits", "key": entry.key.public_id,
                             "models": await self.enforcer.headroom(entry, _now())})

    async def headroom(self, public_id: str) -> list[dict] | None:
        """What /v1/limits answers, for the console's Policies tab (None: no such key)."""
        entry = await self.directory.by_public_id(public_id)
        if entry is None or entry.key.deleted:
            return None
        return await self.enforcer.headroom(entry, _now())

    async def chat(self, request: Request) -> Response:
        return await self.completion(request, up.CHAT)

    async def text(self, request: Request) -> Response:
        return await self.completion(request, up.TEXT)

    async def unknown(self, request: Request) -> Response:
        if request.url.path.rstrip("/") in ("/v1/models", "/v1/limits", "/v1/chat/completions", "/v1/completions"):
            return GatewayError(405, "method_not_allowed",
                                f"{request.method} is not allowed on {request.url.path}.").response()
        return GatewayError(404, "unknown_endpoint",
                            f"There is no {request.method} {request.url.path} here. The gateway serves GET /v1/models, "
                            "GET /v1/limits, POST /v1/chat/completions and POST /v1/completions.").response()

    def routes(self) -> list[Route]:
        models, limits = answers_503_when_down(self.models), answers_503_when_down(self.limits)
        chat, text = answers_503_when_down(self.chat), answers_503_when_down(self.text)
        return [
            Route("/v1/models", models, methods=["GET"]),
            Route("/v1/limits", limits, methods=["GET"]),
            Route("/v1/chat/completions", chat, methods=["POST"]),
            Route("/v1/completions", text, methods=["POST"]),
            Route("/{prefix:path}/v1/models", models, methods=["GET"]),
            Route("/{prefix:path}/v1/chat/completions", chat, methods=["POST"]),
            Route("/{prefix:path}/v1/completions", text, methods=["POST"]),
            Route("/v1/{rest:path}", self.unknown, methods=["GET", "POST", "PUT", "PATCH", "DELETE"]),
        ]


_gateway: Gateway | None = None


def get_gateway() -> Gateway:
    """The process's gateway (created on first use)."""
    global _gateway
    if _gateway is None:
        _gateway = Gateway()
    return _gateway


async def _method_not_allowed(request: Request, exc) -> Response:
    status = getattr(exc, "status_code", 500)
    if status == 405:
        return GatewayError(405, "method_not_allowed",
                            f"{request.method} is not allowed on {request.url.path}.").response()
    return GatewayError(status, "error", str(getattr(exc, "detail", "Error"))).response()


def create_app(gateway: Gateway | None = None) -> Starlette:
    """The gateway's routes as a Starlette app (Reflex mounts itself under it)."""
    from starlette.exceptions import HTTPException

    return Starlette(routes=(gateway or get_gateway()).routes(),
                     exception_handlers={HTTPException: _method_not_allowed})
