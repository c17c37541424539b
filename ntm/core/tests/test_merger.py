"""The path letter 267/BNN-VPĐP gives a commune formed by a merger, from its constituents' recognitions."""

from __future__ import annotations

import pytest

from ntm.core.merger import Constituent, Path, Proposal, Rule, propose


def c(name: str, level: str | None = None, *, known: bool = True) -> Constituent:
    return Constituent(name, level, known)


@pytest.mark.parametrize(("constituents", "expected"), [
    pytest.param([c("A", "ntm"), c("B", "ntm"), c("C", "ntm")],
                 Proposal(Path.RECOGNISE, Rule.ALL_SAME, level="ntm"), id="all NTM: recognised NTM"),
    pytest.param([c("A", "model"), c("B", "model")],
                 Proposal(Path.RECOGNISE, Rule.ALL_SAME, level="model"), id="all model: recognised model"),
    pytest.param([c("A", "model"), c("B", "ntm")],
                 Proposal(Path.RECOGNISE, Rule.ALL_DIFFERENT, level="ntm", target="ntmnc"),
                 id="model + NTM: recognised NTM, builds NTMNC"),
    pytest.param([c("A", "ntmnc"), c("B")],
                 Proposal(Path.REASSESS, Rule.MIXED, target="ntm"), id="NTMNC + not recognised: reassessed for NTM"),
    pytest.param([c("A", "model"), c("B", "ntm"), c("C")],
                 Proposal(Path.REASSESS, Rule.MIXED, target="ntm"), id="model + NTM + none: reassessed for NTM"),
    pytest.param([c("A"), c("B")],
                 Proposal(Path.REASSESS, Rule.NONE, target="ntm"), id="none recognised: builds NTM"),
    pytest.param([c("A", "ntm")],
                 Proposal(Path.RECOGNISE, Rule.ALL_SAME, level="ntm"), id="one constituent (renamed)"),
])
def test_the_letter_gives_the_path(constituents, expected):
    assert propose(constituents) == expected


def test_a_constituent_without_data_leaves_the_path_open_with_both_answers():
    proposal = propose([c("Nhị Thành", known=False), c("Quê Mỹ Thạnh", "ntm"), c("Lạc Tấn", "ntm")])

    assert proposal.path is None
    assert proposal.rule is Rule.UNKNOWN
    assert proposal.unknown == ("Nhị Thành",)
    assert proposal.if_recognised == Proposal(Path.RECOGNISE, Rule.ALL_SAME, level="ntm")
    assert proposal.if_not == Proposal(Path.REASSESS, Rule.MIXED, target="ntm")


def test_a_constituent_without_data_cannot_change_a_mixed_merger():
    proposal = propose([c("A", known=False), c("B", "ntmnc"), c("C")])

    assert (proposal.path, proposal.target, proposal.unknown) == (Path.REASSESS, "ntm", ("A",))


def test_nothing_known_gives_no_path_and_no_guess():
    proposal = propose([c("A", known=False), c("B", known=False)])

    assert proposal == Proposal(None, Rule.UNKNOWN, unknown=("A", "B"))


def test_no_constituent_no_proposal():
    assert propose([]) is None


def test_an_unknown_level_is_refused_with_the_commune_named():
    with pytest.raises(ValueError, match="A: unknown level 'ntm2'"):
        Constituent("A", "ntm2")
