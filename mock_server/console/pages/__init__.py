"""The console's pages, one module each; each module's `routes(site)` gives its routes."""
