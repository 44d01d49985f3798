"""Answering customers' questions: what a question asks (reading), what must be refused (hostile), answers built from sources (compose)."""
