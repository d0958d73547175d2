from vigie.ops.bench_planning import run_planning_bench
from vigie.planning.models import Board


def test_the_planning_bench_prints_calls_and_complexity_and_leaves_nothing(db):
    lines = []
    run_planning_bench(lines.append, items=30)
    text = "\n".join(lines)
    assert "première lecture (complète): 2 appels" in text  # one page of 30 and the people's names
    assert "lecture périodique, rien de changé: 1 appels" in text and "(0 éléments lus)" in text
    assert "10 éléments modifiés: 1 appels" in text and "(10 éléments lus)" in text
    assert "webhook : relecture d'un élément: 1 appels" in text
    assert not Board.objects.exists()  # rolled back
