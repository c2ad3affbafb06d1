"""The PBX rules. Nothing here imports Connexion, Starlette or Flask."""
