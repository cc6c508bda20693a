"""One module per report kind; each registers its builder with ``reports.registry.register``."""
