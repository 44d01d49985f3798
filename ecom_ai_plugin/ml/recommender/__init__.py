"""Recommenders trained on customers' item sequences, and their offline evaluation.

Items and customers are dense indices here (``data.InteractionLog`` maps
them to the shop's keys); nothing in this package touches the database.
"""
