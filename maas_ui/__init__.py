"""MaaS Console: Reflex + PatternFly 6 admin console for Models-as-a-Service."""
