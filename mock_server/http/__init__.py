"""HTTP layer: the Connexion app, handlers and error rendering."""
