"""Models are fitted once per test session, in temporary directories (never in DATA_DIR)."""

import pytest

from vigie.triage import corpus, model
from vigie.triage.classifier import Classifier, load_classifier
from vigie.triage.staff import matcher_for


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("data") / "models"


@pytest.fixture(scope="session")
def classifier(model_dir):
    """The production classifier, built because the directory is empty."""
    return load_classifier(model_dir=model_dir)


@pytest.fixture(scope="session")
def train_split_classifier():
    """Fitted on the training split only: the held-out split's templates stay unseen."""
    matcher = matcher_for()
    return Classifier(model.fit(corpus.generate("train"), matcher, "train-split"), matcher)


@pytest.fixture
def data_dir_with_model(settings, model_dir, classifier):
    """Commands read DATA_DIR/models: point DATA_DIR at the directory holding the session's model."""
    settings.DATA_DIR = model_dir.parent
    return settings.DATA_DIR
