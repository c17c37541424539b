import pytest

from ntm.core.catalog import scope_of


@pytest.mark.parametrize(("dimension", "disadvantaged", "expected"), [
    ("region", False, "DBSCL"),
    ("region", True, "TDMNPB"),  # 318/QĐ-TTg amended by 211/QĐ-TTg
    ("group", True, "G2"),
    ("none", False, ""),
])
def test_the_scope_selects_the_region_group_or_nothing(dimension, disadvantaged, expected):
    assert scope_of(dimension, region="DBSCL", group="G2", specially_disadvantaged=disadvantaged) == expected
