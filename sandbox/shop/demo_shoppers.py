"""Demo customers: names, shopping personas and how active each one is.

Personas give every customer category affinities, so their order histories
have the structure recommenders learn from (a runner keeps coming back for
running gear, a pet owner for pet food).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

FIRST_NAMES = (
    "Anna", "Ben", "Clara", "David", "Elena", "Felix", "Grace", "Hannah", "Isaac", "Julia",
    "Karim", "Laura", "Marco", "Nina", "Oliver", "Paula", "Quentin", "Rosa", "Samuel", "Tara",
    "Umar", "Vera", "William", "Xenia", "Yusuf", "Zoe", "Aisha", "Bruno", "Chloe", "Daniel",
    "Emma", "Finn", "Greta", "Henrik", "Ines", "Jonas", "Katja", "Lukas", "Maya", "Noah",
    "Olga", "Pedro", "Rahel", "Sofia", "Tomas", "Ula", "Viktor", "Wen", "Yara", "Leon",
    "Mei", "Arjun", "Lena", "Mateo", "Fatima", "Hugo", "Ingrid", "Jakob", "Lucia", "Priya",
)
LAST_NAMES = (
    "Schmidt", "Rossi", "Novak", "Jensen", "Garcia", "Dubois", "Kowalski", "Silva", "Müller", "Andersson",
    "Brown", "Okafor", "Nakamura", "Haddad", "Petrov", "Costa", "Lindqvist", "Moreau", "Fischer", "Horvat",
    "Wilson", "Chen", "Kaur", "Ibrahim", "Meyer", "Santos", "Berg", "Laurent", "Weber", "Romano",
    "Nielsen", "Kim", "Patel", "Vogel", "Ferrari", "Hughes", "Popescu", "Martins", "Lehmann", "Varga",
    "Eriksen", "Tanaka", "Schneider", "Bianchi", "Walsh", "Nowak", "Hansen", "Zimmermann", "Lopez", "Fontaine",
    "Byrne", "Sato", "Keller", "Marino", "Dahl", "Wagner", "Ortiz", "Kovac", "Ahmed", "Larsen",
)

#: category affinities per persona (category slug → weight)
PERSONAS: dict[str, dict[str, float]] = {
    "coffee lover": {"coffee-tea": 6, "kitchen": 3, "home-office": 1},
    "outdoor enthusiast": {"outdoor-camping": 6, "running": 2, "audio": 1},
    "runner": {"running": 6, "audio": 2, "bath-body": 1, "outdoor-camping": 1},
    "new parent": {"baby": 6, "bath-body": 2, "kitchen": 2, "coffee-tea": 1},
    "pet owner": {"pet-supplies": 6, "garden": 1, "outdoor-camping": 1},
    "remote worker": {"home-office": 5, "audio": 3, "coffee-tea": 2},
    "home cook": {"kitchen": 6, "coffee-tea": 2, "garden": 1},
    "gardener": {"garden": 6, "outdoor-camping": 1, "kitchen": 1},
    "self-care fan": {"bath-body": 6, "coffee-tea": 2, "audio": 1},
    "gadget fan": {"audio": 6, "home-office": 2, "running": 1},
}
#: weight every category gets on top, so nobody buys from one aisle only
BASELINE_AFFINITY = 0.15
EMAIL_DOMAIN = "example.com"


@dataclass
class ShopperSpec:
    username: str
    first_name: str
    last_name: str
    email: str
    personas: tuple[str, ...]
    affinity: dict[str, float]
    #: relative chance to be the buyer of any given order (heavy-tailed)
    activity: float
    #: 0 … 1: where in the order history the account was opened
    joined: float
    #: (product kind, days): re-bought on that rhythm, one product of the kind throughout
    routines: tuple[tuple[str, float], ...] = ()


def _ascii_name(name: str) -> str:
    return name.lower().replace("ü", "ue").replace("ö", "oe").replace("ä", "ae")


def affinity_for(personas: tuple[str, ...], categories: list[str]) -> dict[str, float]:
    """Blend personas (the first counts most) into one weight per category."""
    weights = {slug: BASELINE_AFFINITY for slug in categories}
    for rank, persona in enumerate(personas):
        share = 1.0 if rank == 0 else 0.35
        for slug, weight in PERSONAS[persona].items():
            weights[slug] = weights.get(slug, BASELINE_AFFINITY) + share * weight
    return weights


def build_shoppers(count: int, seed: int, categories: list[str]) -> list[ShopperSpec]:
    """``count`` customers with unique usernames, same output for the same seed."""
    rng = random.Random(f"{seed}:shoppers")
    persona_names = list(PERSONAS)
    shoppers: list[ShopperSpec] = []
    taken: set[str] = {"demo", "admin"}
    for _ in range(count):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        base = f"{_ascii_name(first)}.{_ascii_name(last)}"
        username, number = base, 2
        while username in taken:
            username, number = f"{base}{number}", number + 1
        taken.add(username)
        personas = (rng.choice(persona_names),)
        if rng.random() < 0.35:
            personas += (rng.choice([p for p in persona_names if p != personas[0]]),)
        shoppers.append(
            ShopperSpec(
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@{EMAIL_DOMAIN}",
                personas=personas,
                affinity=affinity_for(personas, categories),
                activity=min(rng.paretovariate(1.5), 10.0),
                joined=0.0 if rng.random() < 0.35 else rng.uniform(0.0, 0.9),
            )
        )
    return shoppers


def demo_shopper(categories: list[str]) -> ShopperSpec:
    """The account visitors log in with: a coffee drinker who also camps, and buys coffee filters monthly."""
    personas = ("coffee lover", "outdoor enthusiast")
    return ShopperSpec(
        username="demo",
        first_name="Dana",
        last_name="Demo",
        email=f"demo@{EMAIL_DOMAIN}",
        personas=personas,
        affinity=affinity_for(personas, categories),
        activity=8.0,
        joined=0.0,
        routines=(("coffee_filters", 30.0),),
    )


def guest_email(rng: random.Random) -> str:
    """An address for a guest checkout (no account)."""
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    return f"{_ascii_name(first)}.{_ascii_name(last)}{rng.randint(1, 999)}@guest.{EMAIL_DOMAIN}"
