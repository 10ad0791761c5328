"""toptasks: audit how well a website serves its customers' top tasks."""

__version__ = "0.1.0"
