"""Everything users read: the finding JSON, the terminal summary and the HTML report.

Text from crawled pages is untrusted: the one Jinja environment here autoescapes everything.
"""
