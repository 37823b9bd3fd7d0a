"""The web app and its multi-user base: organisations, networks, users, roles and the app database."""
