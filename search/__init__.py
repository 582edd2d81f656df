"""Search over every app's documents: one index, one entry point.

- ``search.documents``: what an app hands the index, and the registry of document types;
- ``search.index``: storing and removing documents, rebuilding the index;
- ``search.params``: the one parser of search parameters (API, search page, library);
- ``search.query``: :func:`search.query.search`, the entry point pages and the API call;
- ``normalize`` (with ``kazakh``, ``translit``, ``stopwords``) and ``snippets``: plain Python,
  the same for both databases; ``postgres`` and ``sqlite``: one backend per database.

Nothing here imports the apps whose documents are indexed; they register themselves.
"""
