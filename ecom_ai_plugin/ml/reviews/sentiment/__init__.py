"""Review sentiment: the model a shop trains on its own star-rated reviews, and its baselines.

``serving`` answers predictions with the active version (word lists until
there is one); ``model`` fits and loads a version (the fine-tuned encoder of
``encoder`` mixed with the TF-IDF classifier of ``tfidf``); ``lexicon`` is
the word-list scorer; ``public_data`` reads the public labelled reviews that
top up a small shop's; ``metrics`` scores them.
"""
