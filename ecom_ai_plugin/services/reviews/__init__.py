"""Review intelligence.

``posting`` (customers post, staff moderate) → ``analysis`` (language,
sentiment, aspects, flags per review) → ``summaries`` ("customers say" and
alerts; ``paragraph`` writes the optional generated paragraph) → ``facts``
(points customers agree on, for copy and answers). ``training`` trains the
sentiment versions analysis uses.
"""
