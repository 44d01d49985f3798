"""Reading reviews: sentiment (``sentiment/``), what each sentence is about (``aspects``), spam and abuse (``flags``)."""
