"""The ground every part stands on: the model, the configuration schema, URL helpers, crawl events.

Nothing here imports any other govwatch package (an import-linter contract in the tests keeps it so).
"""
