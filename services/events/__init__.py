"""Transactional outbox, the feed endpoint and the feed consumer."""
