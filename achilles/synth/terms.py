"""The domain's shapes as term preferences: what premises, trades, profiles and flags a group has.

Every table names vocabulary terms; `Terms` keeps a preference only when the vocabulary has it,
so a council's own vocabulary still yields valid files.
"""

from __future__ import annotations

from achilles.model.vocabulary import Vocabulary

RESIDENTIAL = ("flat", "dwelling", "hmo")
COMMERCIAL = (
    "pub",
    "bar",
    "takeaway",
    "cafe",
    "restaurant",
    "barber",
    "nail_bar",
    "hair_salon",
    "car_wash",
    "vehicle_repair",
    "convenience_store",
    "off_licence",
    "vape_shop",
    "shop",
    "massage_parlour",
    "lock_up",
    "warehouse",
    "industrial_unit",
    "scrap_yard",
    "taxi_office",
    "hotel",
    "nightclub",
    "betting_shop",
    "land",
)
USE_LICENCES = {
    "pub": ("premises_licence",),
    "bar": ("premises_licence",),
    "nightclub": ("premises_licence", "late_night_refreshment"),
    "off_licence": ("premises_licence",),
    "convenience_store": ("premises_licence",),
    "takeaway": ("late_night_refreshment", "food_business_registration"),
    "cafe": ("food_business_registration",),
    "restaurant": ("food_business_registration",),
    "massage_parlour": ("massage_special_treatment",),
    "scrap_yard": ("scrap_metal_site",),
    "betting_shop": ("gambling_premises",),
    "hmo": ("hmo_licence",),
}
CASH_TRADES = {
    "car_wash",
    "nail_bar",
    "barber",
    "takeaway",
    "vape_shop",
    "convenience_store",
    "cafe",
    "hair_salon",
    "pub",
    "bar",
    "taxi_firm",
    "scrap_yard",
}
FOOD_TRADES = {"takeaway", "cafe", "restaurant", "pub"}
STANDALONE_TRADES = (
    "taxi_firm",
    "haulage",
    "construction",
    "money_service_business",
    "property_letting",
    "security",
    "recruitment_agency",
    "waste_carrier",
    "online_retail",
)
# What a group does: its main line and what comes with it (activity kinds).
PROFILES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "drugs": (
        ("drug_supply", "county_lines", "cuckooing"),
        (
            "violence",
            "weapons",
            "money_laundering",
            "child_criminal_exploitation",
            "intimidation",
            "anti_social_behaviour",
        ),
    ),
    "cannabis": (
        ("cannabis_cultivation", "drug_supply"),
        ("fire_risk", "money_laundering", "modern_slavery", "violence"),
    ),
    "exploitation": (
        ("labour_exploitation", "illegal_working", "modern_slavery"),
        (
            "human_trafficking",
            "sexual_exploitation",
            "tax_evasion",
            "organised_immigration_crime",
            "overcrowding",
        ),
    ),
    "business": (
        ("fraud", "tax_evasion", "money_laundering"),
        (
            "illicit_tobacco",
            "counterfeit_goods",
            "benefit_fraud",
            "illicit_alcohol",
            "procurement_fraud",
            "underage_sales",
        ),
    ),
    "acquisitive": (
        ("acquisitive_crime", "vehicle_crime", "stolen_goods"),
        ("metal_theft", "violence", "drug_supply", "anti_social_behaviour"),
    ),
    "waste": (
        ("waste_crime", "fly_tipping"),
        ("fraud", "tax_evasion", "intimidation", "metal_theft"),
    ),
}
PROFILE_WEIGHTS = {
    "drugs": 50,
    "cannabis": 10,
    "exploitation": 12,
    "business": 13,
    "acquisitive": 10,
    "waste": 5,
}
STATUS_WEIGHTS = {
    "suspected": 25,
    "intelligence": 35,
    "corroborated": 20,
    "evidenced": 14,
    "proven": 6,
}
PREMISES_FLAGS = (
    "fire_risk",
    "overcrowding",
    "unsafe_premises",
    "planning_breach",
    "food_hygiene_risk",
    "nuisance",
    "anti_social_behaviour",
)
AGENCIES = (
    "police",
    "council_housing",
    "licensing",
    "trading_standards",
    "fire_and_rescue",
    "environmental_health",
    "dwp",
    "hmrc",
    "home_office_immigration",
    "childrens_services",
    "adult_social_care",
    "housing_association",
    "community_safety",
    "probation",
)


class Terms:
    """Vocabulary terms by section; preferred terms kept only when the vocabulary has them."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab

    def keep(self, section: str, terms: tuple[str, ...] | list[str]) -> list[str]:
        """The preferred terms the vocabulary has, or all of the section's when it has none."""
        known = [t for t in terms if self.vocab.has(section, t)]
        return known or list(self.vocab.terms(section))

    def one(self, section: str, term: str, fallback: str | None = None) -> str:
        """The term if the vocabulary has it, else the fallback, else the section's first term."""
        if self.vocab.has(section, term):
            return term
        if fallback and self.vocab.has(section, fallback):
            return fallback
        return next(iter(self.vocab.terms(section)))

    def has(self, section: str, term: str) -> bool:
        return self.vocab.has(section, term)
