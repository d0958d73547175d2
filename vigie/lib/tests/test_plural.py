import pytest
from django.template import Context, Template


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (0, "0 traité, 0 nouveau"),
        (1, "1 traité, 1 nouveau"),
        (2, "2 traités, 2 nouveaux"),
        (-3, "-3 traités, -3 nouveaux"),
    ],
)
def test_zero_and_one_take_the_singular_in_french(count, expected):
    template = Template('{{ n }} traité{{ n|pluriel }}, {{ n }} nouveau{{ n|pluriel:"x" }}')
    assert template.render(Context({"n": count})) == expected


def test_a_list_counts_by_its_length_and_anything_else_stays_singular():
    template = Template("ligne{{ rows|pluriel }} / ligne{{ other|pluriel }}")
    assert template.render(Context({"rows": [1, 2], "other": None})) == "lignes / ligne"
