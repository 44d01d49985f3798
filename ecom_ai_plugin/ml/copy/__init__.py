"""Product copy's model side: prompts, and the check that generated text says only what the facts support.

``prompts`` builds the chat messages; ``grounding`` finds claims the product
data does not back, with the word lists in ``lexicon`` and the countries in
``places``. The generator itself is shared (``ml/generation.py``).
"""
