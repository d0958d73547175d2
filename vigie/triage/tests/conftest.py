"""Models are fitted once per test run, shared by every test worker, never in DATA_DIR.

They live in one directory of the run (the parent of the workers' temporary directories under xdist),
named after their version (a hash of the corpus, data and code): the first worker that needs a model
takes the directory's lock and fits it, the others wait and read the file.
"""

import pytest

from vigie.inbox.tests.conftest import chromium, desk_users, open_page, role_groups  # noqa: F401 - browser fixtures
from vigie.triage import model
from vigie.triage.classifier import Classifier, build_lock, load_classifier, training_examples
from vigie.triage.staff import matcher_for


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory, worker_id):
    base = tmp_path_factory.getbasetemp()
    shared = base if worker_id == "master" else base.parent
    return shared / "triage-data" / "models"  # DATA_DIR/models for the commands (data_dir_with_model)


@pytest.fixture(scope="session")
def classifier(model_dir):
    """The production classifier, built because the run's directory starts empty."""
    return load_classifier(model_dir=model_dir)


def fitted_once(model_dir, name: str, examples) -> model.Model:
    """The model fitted on `examples()` under `name`, from the run's directory or fitted there once."""
    version = f"{name}-{model.version()}"
    path = model_dir / f"{version}.npz"
    with build_lock(model_dir):
        if not path.exists():
            model.save(model.fit(examples(), matcher_for(), version), path)
    return model.load(path)


@pytest.fixture(scope="session")
def train_split_classifier(model_dir):
    """Fitted on the training split only: the held-out split's templates stay unseen."""
    return Classifier(fitted_once(model_dir, "train-split", lambda: training_examples(split="train")), matcher_for())


@pytest.fixture
def data_dir_with_model(settings, model_dir, classifier):
    """Commands read DATA_DIR/models: point DATA_DIR at the directory holding the session's model."""
    settings.DATA_DIR = model_dir.parent
    return settings.DATA_DIR


def write_tiny_corpus(directory, lines: int = 2):
    directory.mkdir()
    samples = {
        "positive_neutral": "Merci beaucoup\nBravo à tous", "question": "C'est combien ?\nC'est où ?",
        "complex_request": "DM> Je voudrais un remboursement\nDM> Facture à refaire",
        "criticism": "Trop cher\nSalle froide",
        "spam": "Crypto {lien_spam}\nAbonnés {lien_spam}", "abuse": "Connard\nBande d'abrutis",
        "misinformation": "C'est une secte\nDiplômes bidons", "conflict": "Vous confondez tout\nSource ?",
    }  # fmt: skip
    for label, text in samples.items():
        more = [f"{line} ({n})" for n in range(2, lines // 2 + 2) for line in text.splitlines()][: lines - 2]
        (directory / f"{label}.txt").write_text("\n".join([text, *more]) + "\n", encoding="utf-8")
    return directory


@pytest.fixture
def tiny_corpus(tmp_path):
    """tiny_corpus(lines=2): a corpus directory of `lines` lines a label (a model fits on it in seconds)."""
    return lambda lines=2: write_tiny_corpus(tmp_path / f"corpus-{lines}", lines)
