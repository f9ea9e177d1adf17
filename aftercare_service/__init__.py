"""After-care supervision: cases, supervisors, contacts and support."""
