"""Product pictures for the demo catalogue, drawn as SVG: no photos, nothing downloaded.

Each product gets a simple illustration of what it is (chosen from words in
its name, else its category's) in its own colour (the "Colour" attribute,
else its category's), on a tint of its category, with its brand beneath.
The same product always gets the same picture.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from xml.sax.saxutils import escape

#: category slug -> (illustration when no word of the name picks one, colour when the product has none, background tint)
CATEGORY_STYLE = {
    "coffee-tea": ("bag", "#7a4a2a", "#f6ede4"),
    "kitchen": ("pan", "#3d4f5c", "#eef2f4"),
    "outdoor-camping": ("tent", "#3f6b3a", "#edf4ea"),
    "running": ("shoe", "#e4572e", "#fdeee9"),
    "home-office": ("notebook", "#2f4a7a", "#ebf0f8"),
    "audio": ("headphones", "#2b2d42", "#eceef3"),
    "baby": ("bottle", "#e89fb3", "#fcf0f3"),
    "pet-supplies": ("bowl", "#c07a2c", "#fbf1e6"),
    "bath-body": ("bottle", "#6a9fb5", "#eaf4f8"),
    "garden": ("plant", "#4f8a3c", "#eef6ea"),
}
DEFAULT_STYLE = ("bag", "#5c6b73", "#f1f3f4")

#: words of a product name -> illustration, the first that matches wins
NAME_SHAPES = [
    (r"coffee filter|nappies|diapers|wipes", "bag"),
    (r"\bjars?\b|canister|container|bath salts", "jar"),
    (r"turntable", "speaker"),
    (r"keyboard", "keyboard"),
    (r"monitor arm", "stand"),
    (r"lamp", "lamp"),
    (r"stove", "pan"),
    (r"swaddle|blanket", "towel"),
    (r"pole", "poles"),
    (r"carrier|wrap\b|sling", "jacket"),
    (r"kettle", "kettle"),
    (r"grinder", "grinder"),
    (r"mug|cup\b|dripper", "mug"),
    (r"knife|knives", "knife"),
    (r"skillet|pan\b|wok|pot\b", "pan"),
    (r"board", "board"),
    (r"bowl", "bowl"),
    (r"scale", "scale"),
    (r"headphone(?! stand)|earbud", "headphones"),
    (r"speaker", "speaker"),
    (r"cable|charger", "cable"),
    (r"stand\b", "stand"),
    (r"tent", "tent"),
    (r"sleeping bag", "sleeping_bag"),
    (r"sleeping pad|mat\b", "pad"),
    (r"filter|bottle|flask", "bottle"),
    (r"shoe|trainer", "shoe"),
    (r"watch", "watch"),
    (r"sock", "sock"),
    (r"jacket|bodysuit|shirt|top\b|bathrobe|robe", "jacket"),
    (r"belt", "belt"),
    (r"desk\b", "desk"),
    (r"lamp", "lamp"),
    (r"keyboard", "keyboard"),
    (r"notebook|planner|journal", "notebook"),
    (r"chair", "chair"),
    (r"soap|shampoo bar", "soap"),
    (r"towel", "towel"),
    (r"toothbrush", "toothbrush"),
    (r"hose", "hose"),
    (r"shears|pruner|secateurs", "shears"),
    (r"planter|seed|plant", "plant"),
    (r"dog bed|cat bed|\bbed\b", "pet_bed"),
    (r"food|treat|litter|compost|beans|tea\b|coffee", "bag"),
    (r"lotion|shampoo|wash|oil|gel", "bottle"),
]

#: colour names of the demo catalogue (and common ones) -> hex
COLOURS = {
    "black": "#23262b", "matte black": "#2b2b2b", "white": "#f4f4f1", "stone": "#b7ad9c", "navy": "#1f2f57",
    "ink blue": "#27416e", "oat": "#d9c9a8", "blue": "#2f6fd0", "brushed steel": "#a9b1b8", "charcoal": "#3a3d42",
    "forest green": "#2f5d3a", "olive": "#6b7235", "sage green": "#8fa889", "silver": "#c0c5ca", "slate": "#5b6770",
    "tan": "#c69c6d", "teal": "#1f8a8a", "terracotta": "#c4663d", "brass": "#b59543", "cherry red": "#b3123a",
    "copper": "#b87333", "coral": "#f2746b", "cream": "#efe6cf", "dusty rose": "#c99a9e", "grey": "#8a9096",
    "gray": "#8a9096", "hi-vis yellow": "#e7f23a", "midnight blue": "#1c2540", "neon green": "#5af03c",
    "ocean blue": "#1f6fa6", "orange": "#f07b22", "red": "#d23a2f", "volt yellow": "#d8f03a", "green": "#3c8a4a",
    "yellow": "#f2c53d", "pink": "#e98bb0", "purple": "#7a4fb5", "brown": "#7a4a2a", "beige": "#d8c7a5",
}


def _shade(colour: str, factor: float) -> str:
    """Darker (factor < 1) or lighter (> 1) version of a #rrggbb colour."""
    rgb = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    if factor < 1:
        rgb = [round(c * factor) for c in rgb]
    else:
        rgb = [round(c + (255 - c) * (factor - 1)) for c in rgb]
    return "#" + "".join(f"{min(255, max(0, c)):02x}" for c in rgb)


def product_colour(attributes: dict[str, Sequence[str]], fallback: str) -> str:
    """The first colour of the product's "Colour" attribute that has a known shade ("White frame, grey mesh" → white)."""
    for value in [*attributes.get("Colour", ()), *attributes.get("Color", ())]:
        lowered = value.lower()
        for name in sorted(COLOURS, key=len, reverse=True):
            if re.search(rf"\b{re.escape(name)}\b", lowered):
                return COLOURS[name]
    return fallback


def shape_for(name: str, category_slug: str) -> str:
    lowered = name.lower()
    for pattern, shape in NAME_SHAPES:
        if re.search(pattern, lowered):
            return shape
    return CATEGORY_STYLE.get(category_slug, DEFAULT_STYLE)[0]


# Drawings on a 400 x 300 canvas; {c} the colour, {d} darker, {l} lighter, {o} outline.
SHAPES = {
    "bag": '<path d="M140 70h120l20 190H120z" fill="{c}" stroke="{o}" stroke-width="4"/><path d="M140 70l10-20h100l10 20" fill="{d}"/><rect x="160" y="130" width="80" height="60" rx="6" fill="{l}"/>',
    "kettle": '<path d="M140 110h110l15 140H125z" fill="{c}" stroke="{o}" stroke-width="4"/><path d="M250 130q50 0 50 60" fill="none" stroke="{d}" stroke-width="14"/><path d="M140 150q-60-30-80-80" fill="none" stroke="{d}" stroke-width="10"/><rect x="170" y="90" width="50" height="20" rx="6" fill="{d}"/>',
    "grinder": '<rect x="150" y="110" width="100" height="150" rx="14" fill="{c}" stroke="{o}" stroke-width="4"/><rect x="160" y="80" width="80" height="35" rx="8" fill="{d}"/><path d="M200 80V50h70" fill="none" stroke="{o}" stroke-width="8"/><circle cx="275" cy="50" r="12" fill="{d}"/>',
    "mug": '<rect x="130" y="100" width="120" height="140" rx="12" fill="{c}" stroke="{o}" stroke-width="4"/><path d="M250 130q50 0 50 40t-50 40" fill="none" stroke="{c}" stroke-width="16"/><path d="M165 85q-10-20 0-40M200 85q-10-20 0-40" fill="none" stroke="{d}" stroke-width="5" opacity=".5"/>',
    "knife": '<path d="M70 170l210-50q30 0 30 25l-230 45z" fill="{l}" stroke="{o}" stroke-width="3"/><rect x="290" y="138" width="80" height="26" rx="10" fill="{c}" transform="rotate(-5 330 150)"/>',
    "pan": '<circle cx="170" cy="160" r="85" fill="{c}" stroke="{o}" stroke-width="4"/><circle cx="170" cy="160" r="62" fill="{d}"/><rect x="250" y="148" width="120" height="24" rx="12" fill="{o}"/>',
    "board": '<rect x="90" y="90" width="220" height="140" rx="24" fill="{c}" stroke="{o}" stroke-width="4"/><circle cx="280" cy="120" r="10" fill="{l}"/>',
    "bowl": '<path d="M90 140h220q0 110-110 110T90 140z" fill="{c}" stroke="{o}" stroke-width="4"/><ellipse cx="200" cy="140" rx="110" ry="18" fill="{d}"/>',
    "scale": '<rect x="100" y="150" width="200" height="90" rx="14" fill="{c}" stroke="{o}" stroke-width="4"/><rect x="130" y="120" width="140" height="20" rx="6" fill="{d}"/><rect x="165" y="180" width="70" height="30" rx="4" fill="{l}"/>',
    "headphones": '<path d="M120 190V150a80 80 0 0 1 160 0v40" fill="none" stroke="{o}" stroke-width="14"/><rect x="100" y="170" width="50" height="80" rx="18" fill="{c}"/><rect x="250" y="170" width="50" height="80" rx="18" fill="{c}"/>',
    "speaker": '<rect x="120" y="70" width="160" height="190" rx="24" fill="{c}" stroke="{o}" stroke-width="4"/><circle cx="200" cy="185" r="45" fill="{d}"/><circle cx="200" cy="110" r="18" fill="{d}"/>',
    "cable": '<path d="M90 100q120 0 110 90t110 20" fill="none" stroke="{c}" stroke-width="12"/><rect x="60" y="88" width="40" height="24" rx="5" fill="{o}"/><rect x="300" y="198" width="40" height="24" rx="5" fill="{o}"/>',
    "stand": '<rect x="180" y="70" width="40" height="170" rx="8" fill="{c}"/><path d="M150 80q50-40 100 0" fill="none" stroke="{c}" stroke-width="18"/><rect x="120" y="235" width="160" height="20" rx="8" fill="{d}"/>',
    "tent": '<path d="M60 250L200 70l140 180z" fill="{c}" stroke="{o}" stroke-width="4"/><path d="M200 70v180M170 250l30-60 30 60" fill="{d}" stroke="{o}" stroke-width="3"/>',
    "sleeping_bag": '<rect x="70" y="120" width="260" height="110" rx="55" fill="{c}" stroke="{o}" stroke-width="4"/><circle cx="125" cy="175" r="40" fill="{d}"/><path d="M180 130v90M230 130v90M280 130v90" stroke="{d}" stroke-width="4"/>',
    "pad": '<rect x="70" y="150" width="260" height="60" rx="18" fill="{c}" stroke="{o}" stroke-width="4"/><path d="M110 150v60M150 150v60M190 150v60M230 150v60M270 150v60" stroke="{d}" stroke-width="4"/>',
    "bottle": '<rect x="160" y="50" width="80" height="30" rx="6" fill="{d}"/><path d="M165 80h70v20q30 20 30 60v90q0 14-14 14H149q-14 0-14-14v-90q0-40 30-60z" fill="{c}" stroke="{o}" stroke-width="4"/><rect x="150" y="160" width="100" height="50" rx="6" fill="{l}"/>',
    "shoe": '<path d="M70 210q0-70 40-90l40 30q40 30 90 30h60q40 0 40 40v10H70z" fill="{c}" stroke="{o}" stroke-width="4"/><rect x="70" y="230" width="270" height="18" rx="8" fill="{l}"/><path d="M150 150l20 15M175 160l15 12" stroke="{l}" stroke-width="5"/>',
    "watch": '<rect x="170" y="40" width="60" height="220" rx="20" fill="{d}"/><circle cx="200" cy="150" r="62" fill="{c}" stroke="{o}" stroke-width="6"/><circle cx="200" cy="150" r="46" fill="{l}"/><path d="M200 150v-30M200 150h22" stroke="{o}" stroke-width="5"/>',
    "sock": '<path d="M170 50h70v140q0 50-50 60l-60 10q-40 0-40-35 0-30 40-40l40-10z" fill="{c}" stroke="{o}" stroke-width="4"/><rect x="170" y="50" width="70" height="24" fill="{d}"/>',
    "jacket": '<path d="M150 60l-80 40 20 60 30-10v120h160V150l30 10 20-60-80-40q-25 30-50 30t-50-30z" fill="{c}" stroke="{o}" stroke-width="4"/><path d="M200 90v180" stroke="{d}" stroke-width="4"/>',
    "belt": '<rect x="60" y="140" width="280" height="40" rx="16" fill="{c}" stroke="{o}" stroke-width="4"/><rect x="160" y="128" width="80" height="64" rx="10" fill="{d}"/>',
    "desk": '<rect x="70" y="110" width="260" height="22" rx="6" fill="{c}" stroke="{o}" stroke-width="3"/><rect x="95" y="132" width="16" height="120" fill="{d}"/><rect x="289" y="132" width="16" height="120" fill="{d}"/><rect x="80" y="248" width="46" height="10" fill="{d}"/><rect x="274" y="248" width="46" height="10" fill="{d}"/>',
    "lamp": '<rect x="130" y="240" width="120" height="18" rx="8" fill="{d}"/><path d="M190 240l-30-100 90-60" fill="none" stroke="{c}" stroke-width="12"/><path d="M230 60l70 30-30 40z" fill="{c}" stroke="{o}" stroke-width="4"/>',
    "keyboard": '<rect x="60" y="120" width="280" height="100" rx="12" fill="{c}" stroke="{o}" stroke-width="4"/>'
    + "".join(f'<rect x="{80 + 26 * i}" y="{140 + 24 * j}" width="18" height="16" rx="3" fill="{{l}}"/>' for j in range(3) for i in range(10)),
    "notebook": '<rect x="120" y="50" width="170" height="210" rx="10" fill="{c}" stroke="{o}" stroke-width="4"/><rect x="255" y="50" width="14" height="210" fill="{d}"/><rect x="150" y="90" width="80" height="14" rx="4" fill="{l}"/>',
    "chair": '<rect x="140" y="50" width="120" height="110" rx="20" fill="{c}" stroke="{o}" stroke-width="4"/><rect x="130" y="165" width="140" height="28" rx="10" fill="{d}"/><path d="M200 193v40M150 250l50-17 50 17" stroke="{o}" stroke-width="8" fill="none"/>',
    "soap": '<rect x="100" y="140" width="200" height="90" rx="30" fill="{c}" stroke="{o}" stroke-width="4"/><ellipse cx="200" cy="185" rx="60" ry="18" fill="{l}"/><circle cx="300" cy="110" r="16" fill="none" stroke="{d}" stroke-width="4"/><circle cx="270" cy="90" r="9" fill="none" stroke="{d}" stroke-width="3"/>',
    "towel": '<rect x="90" y="170" width="220" height="50" rx="14" fill="{c}" stroke="{o}" stroke-width="4"/><rect x="110" y="120" width="180" height="50" rx="14" fill="{d}"/><rect x="130" y="75" width="140" height="45" rx="14" fill="{c}"/>',
    "toothbrush": '<rect x="70" y="175" width="230" height="22" rx="11" fill="{c}" stroke="{o}" stroke-width="3" transform="rotate(-15 185 186)"/><rect x="280" y="120" width="50" height="30" rx="6" fill="{l}" transform="rotate(-15 305 135)"/>',
    "hose": '<circle cx="200" cy="160" r="90" fill="none" stroke="{c}" stroke-width="16"/><circle cx="200" cy="160" r="60" fill="none" stroke="{d}" stroke-width="14"/><rect x="280" y="210" width="60" height="22" rx="6" fill="{o}"/>',
    "shears": '<path d="M200 160L90 70M200 160L110 50" stroke="{l}" stroke-width="14" stroke-linecap="round"/><path d="M200 160l80 90M200 160l100 70" stroke="{c}" stroke-width="22" stroke-linecap="round"/><circle cx="200" cy="160" r="10" fill="{o}"/>',
    "plant": '<path d="M140 180h120l-15 80h-90z" fill="{c}" stroke="{o}" stroke-width="4"/><path d="M200 180q-10-70-70-90 10 60 70 90zM200 180q10-80 70-100-10 70-70 100z" fill="#4f8a3c"/><path d="M200 180V90" stroke="#2f5d3a" stroke-width="5"/>',
    "jar": '<rect x="150" y="70" width="100" height="28" rx="8" fill="#c69c6d"/><rect x="140" y="98" width="120" height="160" rx="18" fill="{l}" stroke="{o}" stroke-width="4" opacity=".9"/><rect x="155" y="170" width="90" height="75" rx="10" fill="{c}" opacity=".6"/>',
    "poles": '<path d="M160 60l-20 200M240 60l20 200" stroke="{c}" stroke-width="10" stroke-linecap="round"/><rect x="148" y="55" width="24" height="50" rx="8" fill="{o}" transform="rotate(6 160 80)"/><rect x="228" y="55" width="24" height="50" rx="8" fill="{o}" transform="rotate(-6 240 80)"/>',
    "pet_bed": '<ellipse cx="200" cy="190" rx="150" ry="65" fill="{c}" stroke="{o}" stroke-width="4"/><ellipse cx="200" cy="180" rx="105" ry="38" fill="{l}"/>',
}


def product_svg(name: str, category_slug: str, attributes: dict[str, Sequence[str]]) -> str:
    """The picture of one product, as an SVG document."""
    _, fallback, tint = CATEGORY_STYLE.get(category_slug, DEFAULT_STYLE)
    colour = product_colour(attributes, fallback)
    light = colour.lower() in ("#f4f4f1", "#efe6cf", "#e7f23a", "#d8f03a")
    drawing = SHAPES[shape_for(name, category_slug)].format(
        c=colour, d=_shade(colour, 0.7 if not light else 0.85), l=_shade(colour, 1.6), o=_shade(colour, 0.45 if not light else 0.6)
    )
    brand = escape((list(attributes.get("Brand") or ()) or [""])[0])
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 300" role="img">'
        f'<rect width="400" height="300" fill="{tint}"/>{drawing}'
        f'<text x="200" y="288" text-anchor="middle" font-family="system-ui, sans-serif" font-size="16" fill="#616e7c">{brand}</text>'
        "</svg>"
    )
