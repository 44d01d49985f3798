"""Product copy: ``generation`` writes candidates and keeps the best grounded one, ``drafts`` takes a draft
from request to published text and back, ``voice`` learns the shop's own voice."""
