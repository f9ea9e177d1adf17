"""Records on a person's file: determinations, drug tests, household commitments, check-ins."""
