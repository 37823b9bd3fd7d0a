"""The knowledge base: actors, initiatives, exchanges (site visits), lessons, and the transferability assessment.

One purpose per module:

``models``        the tables (SQLAlchemy; every record organisation-owned, scoped by ``accounts.visible``)
``inputs``        what a person enters (Pydantic): the same for the web forms, the JSON API and the TOML import
``forms``         the web forms' fields (rows, empty rows, "add a row") read into inputs, and inputs into fields
``records``       create, change, delete, find and list records — permission checks, history and search index
``history``       who changed what when (old and new values as JSON)
``search``        full-text search in German and English (SQLite FTS5, PostgreSQL ``to_tsvector``), scoped
``attachments``   files on disk under random names, type checked by content, size limited, read through the record
``tomlio``        the TOML import (users' files and the example content) and the JSON/CSV export
``checklist``     the preconditions checklist (defaults in ``data/checklist.toml``) and its score
``fit``           what the analytics say: structural similarity, cluster strength, portfolio overlap
``assessment``    the transferability assessment: components, total score, versions, side-by-side comparison
``examples``      the example content (hannoverimpuls, the Emscher-Lippe network, the visit): load and remove
"""
