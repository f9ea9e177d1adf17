"""Treatment enrolment: facilities, episodes, dossiers."""
