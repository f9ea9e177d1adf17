"""The payload of every event type, one model per type, grouped by publisher."""
