"""Revenue and companies: the law as it stands on 4 December 2026, each fact with its section."""

from __future__ import annotations

from tests.legal._entries import rule

COUNCIL_LAUNDERING_REFERRALS = [
    "rev-hmrc-money-laundering-business-named",
    "rev-hmrc-money-laundering-business-premises",
]


def test_council_referrals_cite_s342_not_the_regulated_sector_duties():
    """A council is generally not in the regulated sector: prejudicing an investigation is
    POCA 2002 s342; the s333A tipping-off offence and the ss330-332 duties are not the council's."""
    for rid in COUNCIL_LAUNDERING_REFERRALS:
        r = rule(rid)
        assert "s342" in r.citation and "s330" not in r.citation, rid
        caution = " ".join(r.cautions)
        assert "s342(1)-(2)" in caution, rid
        assert "Tipping off is an offence in the regulated sector" not in caution, rid


def test_derbyshire_case_is_cited_to_the_lga_guide():
    caution = " ".join(rule("rev-rates-front-business").cautions)
    assert "LGA guide" in caution and "Derbyshire" in caution
