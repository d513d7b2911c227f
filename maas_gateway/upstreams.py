"""Where requests go: the built-in simulator, or an OpenAI-compatible server over HTTP.

Both speak in OpenAI bodies: `complete` returns the response body, `stream` yields chunk
bodies, the last one carrying `usage`. Failures raise UpstreamError (502, or 504 on timeout).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import math
import random
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass

from maas_gateway.http11 import HttpError, Http11Client

CHAT = "chat"  # /chat/completions
TEXT = "text"  # /completions

_WORDS = (
    "the model considers your question and answers with a short summary of the main points "
    "platform teams publish endpoints behind a gateway that checks keys enforces limits and records "
    "usage so engineers can build applications safely while administrators watch cost latency and "
    "errors in one console each request is counted tokens are measured and budgets renew monthly "
    "a good answer explains the context gives an example and suggests what to try next"
).split()


class UpstreamError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Usage:
    input_tokens: int
    output_tokens: int


def count_tokens(text: str) -> int:
    """About four characters per token, as for English text with common tokenizers."""
    return max(1, math.ceil(len(text) / 4)) if text else 0


def prompt_text(kind: str, body: dict) -> str:
    if kind == TEXT:
        prompt = body.get("prompt", "")
        return "\n".join(prompt) if isinstance(prompt, list) else str(prompt)
    parts = []
    for m in body.get("messages") or []:
        content = m.get("content") if isinstance(m, dict) else ""
        if isinstance(content, list):  # content parts
            content = " ".join(str(p.get("text", "")) for p in content if isinstance(p, dict))
        parts.append(f"{m.get('role', '') if isinstance(m, dict) else ''}: {content or ''}")
    return "\n".join(parts)


def input_tokens_of(kind: str, body: dict) -> int:
    if kind == TEXT:
        return count_tokens(prompt_text(kind, body))
    messages = body.get("messages") or []
    return sum(4 + count_tokens(str(m.get("content") or "")) for m in messages if isinstance(m, dict)) + 2


def _ids(kind: str) -> tuple[str, str]:
    return ("chatcmpl-", "chat.completion") if kind == CHAT else ("cmpl-", "text_completion")


class Simulator:
    """Deterministic answers derived from the prompt; realistic token counts; fixed latency."""

    def __init__(self, latency_ms: float = 40.0):
        self.latency_ms = latency_ms

    def _answer(self, model: str, prompt: str, max_tokens: int | None) -> tuple[list[str], str]:
        seed = int.from_bytes(hashlib.sha256(f"{model}\n{prompt}".encode()).digest()[:8], "big")
        rng = random.Random(seed)
        n = 12 + seed % 52
        finish = "stop"
        if max_tokens is not None and max_tokens < n:
            n, finish = max_tokens, "length"
        words = [rng.choice(_WORDS) for _ in range(n)]
        if words:
            words[0] = words[0].capitalize()
        pieces = [w + (" " if i < n - 1 else ".") for i, w in enumerate(words)]
        return pieces, finish

    async def _wait(self, share: float = 1.0) -> None:
        if self.latency_ms > 0:
            await asyncio.sleep(self.latency_ms * share / 1000)

    async def complete(self, kind: str, body: dict, model_name: str) -> tuple[dict, Usage]:
        pieces, finish = self._answer(model_name, prompt_text(kind, body), _max_tokens(body))
        await self._wait()
        usage = Usage(input_tokens_of(kind, body), len(pieces))
        prefix, obj = _ids(kind)
        text = "".join(pieces)
        choice = ({"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": finish,
                   "logprobs": None} if kind == CHAT
                  else {"index": 0, "text": text, "finish_reason": finish, "logprobs": None})
        return {
            "id": prefix + hashlib.sha1(f"{time.time_ns()}".encode()).hexdigest()[:24], "object": obj,
            "created": int(time.time()), "model": body.get("model"), "choices": [choice],
            "usage": _usage_body(usage),
        }, usage

    async def stream(self, kind: str, body: dict, model_name: str) -> AsyncIterator[dict]:
        pieces, finish = self._answer(model_name, prompt_text(kind, body), _max_tokens(body))
        prefix, _ = _ids(kind)
        ident = prefix + hashlib.sha1(f"{time.time_ns()}".encode()).hexdigest()[:24]
        created = int(time.time())
        obj = "chat.completion.chunk" if kind == CHAT else "text_completion"

        def chunk(delta_text: str | None, finish_reason: str | None, role: bool = False) -> dict:
            if kind == CHAT:
                delta = {"role": "assistant", "content": ""} if role else ({"content": delta_text} if delta_text else {})
                choice = {"index": 0, "delta": delta, "finish_reason": finish_reason, "logprobs": None}
            else:
                choice = {"index": 0, "text": delta_text or "", "finish_reason": finish_reason, "logprobs": None}
            return {"id": ident, "object": obj, "created": created, "model": body.get("model"), "choices": [choice]}

        await self._wait(0.3)  # time to first token
        if kind == CHAT:
            yield chunk(None, None, role=True)
        step = 4
        groups = [pieces[i:i + step] for i in range(0, len(pieces), step)] or [[]]
        for g in groups:
            await self._wait(0.7 / len(groups))
            yield chunk("".join(g), None)
        yield chunk(None, finish)
        usage = Usage(input_tokens_of(kind, body), len(pieces))
        yield {"id": ident, "object": obj, "created": created, "model": body.get("model"), "choices": [],
               "usage": _usage_body(usage)}


def _max_tokens(body: dict) -> int | None:
    v = body.get("max_completion_tokens", body.get("max_tokens"))
    return v if isinstance(v, int) else None


def _usage_body(u: Usage) -> dict:
    return {"prompt_tokens": u.input_tokens, "completion_tokens": u.output_tokens,
            "total_tokens": u.input_tokens + u.output_tokens}


def usage_from(body: dict | None) -> Usage | None:
    u = (body or {}).get("usage")
    if not isinstance(u, dict):
        return None
    return Usage(int(u.get("prompt_tokens") or 0), int(u.get("completion_tokens") or 0))


class HttpUpstream:
    """An OpenAI-compatible server (vLLM, an external provider). One connection pool for all models."""

    def __init__(self, timeout_s: float = 60.0):
        self.timeout_s = timeout_s
        self.client = Http11Client()

    async def aclose(self) -> None:
        await self.client.aclose()

    @staticmethod
    def _target(url: str, kind: str) -> str:
        return url.rstrip("/") + ("/chat/completions" if kind == CHAT else "/completions")

    @staticmethod
    def _headers(credential: str | None) -> dict:
        return {"Authorization": f"Bearer {credential}"} if credential else {}

    async def complete(self, kind: str, body: dict, url: str, upstream_model: str,
                       credential: str | None) -> tuple[dict, Usage]:
        payload = json.dumps({**body, "model": upstream_model, "stream": False}).encode()
        try:
            async with asyncio.timeout(self.timeout_s):
                r = await self.client.post(self._target(url, kind), payload, self._headers(credential))
        except TimeoutError:
            raise UpstreamError(504, "The model's upstream server did not answer in time.") from None
        except (HttpError, OSError) as exc:
            raise UpstreamError(502, f"The model's upstream server could not be reached ({exc}).") from None
        if r.status >= 400:
            raise UpstreamError(502, f"The model's upstream server answered with HTTP {r.status}.")
        try:
            data = json.loads(r.body)
        except ValueError:
            raise UpstreamError(502, "The model's upstream server sent a response that is not JSON.") from None
        if not isinstance(data, dict):
            raise UpstreamError(502, "The model's upstream server sent a response that is not a JSON object.")
        usage = usage_from(data) or Usage(input_tokens_of(kind, body), 0)
        data["model"] = body.get("model")
        return data, usage

    async def stream(self, kind: str, body: dict, url: str, upstream_model: str,
                     credential: str | None) -> AsyncIterator[dict]:
        payload = json.dumps({**body, "model": upstream_model, "stream": True,
                              "stream_options": {"include_usage": True}}).encode()
        lines = self.client.stream_lines(self._target(url, kind), payload, self._headers(credential))
        try:
            while True:
                try:
                    async with asyncio.timeout(self.timeout_s):  # per line: a stalled stream times out
                        status, line = await lines.__anext__()
                except StopAsyncIteration:
                    break
                if status >= 400:
                    raise UpstreamError(502, f"The model's upstream server answered with HTTP {status}.")
                if not line.startswith(b"data:"):
                    continue
                data = line[5:].strip()
                if data == b"[DONE]":
                    break
                try:
                    chunk = json.loads(data)
                except ValueError:
                    continue
                if isinstance(chunk, dict):
                    chunk["model"] = body.get("model")
                    yield chunk
        except TimeoutError:
            raise UpstreamError(504, "The model's upstream server did not answer in time.") from None
        except (HttpError, OSError) as exc:
            raise UpstreamError(502, f"The model's upstream server could not be reached ({exc}).") from None
        finally:
            await lines.aclose()
