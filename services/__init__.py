"""The shared kernel: small, stable, domain-free code every service imports."""
