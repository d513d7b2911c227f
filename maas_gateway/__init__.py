"""The live OpenAI-compatible gateway, served by the console's own backend.

Layers: `app` (HTTP routes and error bodies), `directory` (keys, models and policies cached in
memory), `enforcement` (the console's limits, Kuadrant semantics) on `limiter` (the `limits`
library), `upstreams` (simulator, OpenAI-compatible HTTP) and `recorder` (batched usage writes).
It shares maas_ui.domain and maas_ui.services, never UI states.
"""
