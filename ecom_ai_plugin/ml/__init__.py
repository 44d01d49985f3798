"""Model code. Imported only where models run: nothing here at import time pulls torch."""
