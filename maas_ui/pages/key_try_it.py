"""The Assets tab's "Try it" panel: send a prompt through the gateway with this key.

The call runs on the server: the secret is decrypted there and handed to the gateway in process
(the same caches, limits and recording as any client's call); the page only ever receives the
answer, token counts, latency and the rate-limit headers.
"""

from __future__ import annotations

import time

import httpx
import reflex as rx

from maas_ui import pf
from maas_ui.identity import acting_user
from maas_ui.services import api_keys as svc

PROMPT_MAX = 4000
SHOWN_HEADERS = ("x-ratelimit-limit-requests", "x-ratelimit-remaining-requests", "x-ratelimit-reset-requests",
                 "x-ratelimit-limit-tokens", "x-ratelimit-remaining-tokens", "x-ratelimit-reset-tokens",
                 "x-maas-throttled", "retry-after")


async def _call_gateway(secret: str, model: str, prompt: str) -> httpx.Response:
    from maas_gateway.app import create_app, get_gateway

    transport = httpx.ASGITransport(app=create_app(get_gateway()))
    async with httpx.AsyncClient(transport=transport, base_url="http://console", timeout=120) as client:
        return await client.post("/v1/chat/completions", headers={"Authorization": f"Bearer {secret}"},
                                 json={"model": model, "messages": [{"role": "user", "content": prompt}]})


class TryItState(rx.State):
    models: list[dict] = []  # {value, label}
    model: str = ""
    prompt: str = "Explain in one sentence what an API gateway does."
    prompt_error: str = ""
    sending: bool = False
    has_result: bool = False
    ok: bool = False
    status: str = ""
    answer: str = ""
    error: str = ""
    prompt_tokens: str = ""
    completion_tokens: str = ""
    latency: str = ""
    headers: list[dict] = []

    @rx.event
    def load(self):
        details = svc.get_key(self.key_id or "", actor=acting_user())
        models = details.asset_sections[0].assets if details else []
        self.models = [{"value": a.identifier, "label": f"{a.name} ({a.identifier})"} for a in models]
        if self.model not in {m["value"] for m in self.models}:
            self.model = self.models[0]["value"] if self.models else ""
        self.has_result = False

    @rx.event
    def set_model(self, value: str):
        self.model = value

    @rx.event
    def set_prompt(self, value: str):
        self.prompt = value
        self.prompt_error = ""

    @rx.event
    async def send(self):
        prompt = self.prompt.strip()
        if not prompt:
            self.prompt_error = "Type a prompt to send."
            return
        if len(prompt) > PROMPT_MAX:
            self.prompt_error = f"Use at most {PROMPT_MAX:,} characters (this prompt has {len(prompt):,})."
            return
        self.sending = True
        yield
        secret = svc.playground_secret(self.key_id or "", actor=acting_user())
        if secret is None:
            self.sending, self.has_result, self.ok = False, True, False
            self.status, self.error, self.answer, self.headers = "", "This API key no longer exists.", "", []
            return
        started = time.perf_counter()
        response = await _call_gateway(secret, self.model, prompt)
        del secret
        elapsed = (time.perf_counter() - started) * 1000
        body = response.json() if response.headers.get("content-type", "").startswith("application/json") else {}
        self.sending, self.has_result = False, True
        self.ok = response.status_code == 200
        self.status = f"{response.status_code} {response.reason_phrase}"
        self.latency = f"{elapsed:,.0f} ms"
        self.headers = [{"name": h, "value": response.headers[h]} for h in SHOWN_HEADERS if h in response.headers]
        if self.ok:
            usage = body.get("usage") or {}
            self.answer = body["choices"][0]["message"]["content"]
            self.error = ""
            self.prompt_tokens = f"{usage.get('prompt_tokens', 0):,}"
            self.completion_tokens = f"{usage.get('completion_tokens', 0):,}"
        else:
            self.answer, self.prompt_tokens, self.completion_tokens = "", "", ""
            self.error = (body.get("error") or {}).get("message") or response.text[:500]


def _result() -> rx.Component:
    s = TryItState
    return rx.cond(
        s.has_result,
        pf.Stack.create(
            rx.cond(
                s.ok,
                pf.StackItem.create(pf.Content.create(s.answer, component="blockquote", aria_label="Answer")),
                pf.StackItem.create(pf.Alert.create(variant="danger", is_inline=True, title=s.error, component="h3")),
            ),
            pf.StackItem.create(pf.DescriptionList.create(
                pf.DescriptionListGroup.create(pf.DescriptionListTerm.create("Status"),
                                               pf.DescriptionListDescription.create(s.status)),
                pf.DescriptionListGroup.create(pf.DescriptionListTerm.create("Latency"),
                                               pf.DescriptionListDescription.create(s.latency)),
                rx.cond(s.ok, pf.DescriptionListGroup.create(
                    pf.DescriptionListTerm.create("Tokens"),
                    pf.DescriptionListDescription.create(s.prompt_tokens, " in, ", s.completion_tokens, " out"))),
                is_horizontal=True, is_compact=True, aria_label="Test request result",
            )),
            rx.cond(s.headers.length() > 0, pf.StackItem.create(pf.Table.create(
                pf.Thead.create(pf.Tr.create(pf.Th.create("Rate-limit header"), pf.Th.create("Value"))),
                pf.Tbody.create(rx.foreach(s.headers, lambda h: pf.Tr.create(
                    pf.Td.create(rx.el.code(h["name"]), data_label="Rate-limit header"),
                    pf.Td.create(h["value"], data_label="Value")))),
                aria_label="Rate-limit headers", variant="compact",
            ))),
            has_gutter=True,
            class_name="pf-v6-u-mt-md",
        ),
    )


def try_it_panel() -> rx.Component:
    s = TryItState
    return rx.cond(
        s.models.length() > 0,
        pf.Card.create(
            pf.CardHeader.create(pf.CardTitle.create(pf.Title.create("Try it", heading_level="h2", size="lg"))),
            pf.CardBody.create(
                pf.Content.create("Send a prompt to one of this key's models through the gateway. The request "
                                  "counts against the key's limits and shows in its usage.", component="p",
                                  class_name="pf-v6-u-mb-md"),
                pf.Form.create(
                    pf.FormGroup.create(
                        pf.FormSelect.create(
                            rx.foreach(s.models, lambda m: pf.FormSelectOption.create(value=m["value"],
                                                                                      label=m["label"])),
                            id="try-it-model", value=s.model, on_change=s.set_model,
                        ),
                        label="Model", field_id="try-it-model",
                    ),
                    pf.FormGroup.create(
                        pf.TextArea.create(id="try-it-prompt", value=s.prompt, on_change=s.set_prompt, rows=3,
                                           resize_orientation="vertical",
                                           validated=rx.cond(s.prompt_error != "", "error", "default")),
                        rx.cond(s.prompt_error != "", pf.FormHelperText.create(pf.HelperText.create(
                            pf.HelperTextItem.create(s.prompt_error, variant="error")))),
                        label="Prompt", field_id="try-it-prompt",
                    ),
                    pf.ActionGroup.create(
                        pf.Button.create("Send", variant="primary", on_click=s.send, is_loading=s.sending,
                                         is_disabled=s.sending),
                    ),
                    on_submit=[rx.prevent_default, s.send],
                ),
                _result(),
            ),
            aria_label="Try it",
            class_name="pf-v6-u-mb-lg",
        ),
    )
