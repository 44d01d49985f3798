"""Customers' questions on product pages: asked (asking), answered from the product's sources or escalated (retrieval, answering), handled by staff (inbox)."""
