"""Person registry: administrative units and the commune's file on each person."""
