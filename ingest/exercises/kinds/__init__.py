"""The built-in exercise kinds, one module each; every module registers itself on import
through ``teachback.ingest.exercises.registry.register`` (the same door a third party uses)."""
