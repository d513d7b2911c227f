"""Services: DB sessions in, plain dataclasses out. Importing the package registers the gateway's change counter."""

from maas_ui.services import changes as _changes  # noqa: F401  (session events for the gateway caches)
