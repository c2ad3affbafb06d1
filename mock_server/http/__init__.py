"""HTTP layer: the Connexion app, handlers and error rendering.

Connexion imports Starlette's TestClient when it is imported, which warns about httpx on every
start of the mock (which does not use it for serving); the warning is silenced here, before any
module of the package imports Connexion.
"""

import warnings

warnings.filterwarnings("ignore", message=".*httpx.*starlette.testclient", category=UserWarning)
