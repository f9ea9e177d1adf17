"""The gateway: identity and tokens, routing to the services, the SPA."""
