"""The toxicity's second stage (encoder.py): asked only where the fast model hesitates."""

import numpy as np

from vigie.triage import encoder


def test_sentences_become_unit_vectors_that_carry_meaning():
    vectors = encoder.SentenceEncoder.embed(
        ["Merci pour cette belle formation", "Merci pour ce très bon stage", "Espèce d'ordure, je vais te frapper"]
    )
    assert vectors.shape == (3, encoder.DIMENSIONS)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]  # two thanks are closer than a thanks and a threat


def test_only_the_uncertain_rows_are_asked_and_averaged():
    toxicity = np.array([0.02, 0.4, 0.6, 0.97])
    weights = np.zeros(encoder.DIMENSIONS + 1, np.float32)
    weights[-1] = 10.0  # the second stage says « toxic » (probability ≈ 1) whatever the text
    refined = encoder.refine(toxicity, weights, ["a", "b", "c", "d"])
    assert refined[0] == 0.02 and refined[3] == 0.97  # sure: left alone
    assert np.allclose(refined[1:3], [(0.4 + 1) / 2, (0.6 + 1) / 2], atol=1e-4)
    assert list(encoder.uncertain(toxicity)) == [1, 2]


def test_a_model_without_a_second_stage_keeps_the_fast_toxicity():
    toxicity = np.array([0.4, 0.6])
    assert encoder.refine(toxicity, np.zeros(0, np.float32), ["a", "b"]) is toxicity


def test_the_fitted_second_stage_tells_abuse_from_clean_on_its_own(classifier):
    weights = classifier.model.encoder_toxic
    assert weights.shape == (encoder.DIMENSIONS + 1,)
    toxic, clean = encoder.probability(
        weights, ["Vous êtes une bande d'incapables et d'escrocs", "Merci beaucoup pour votre réponse rapide"]
    )
    assert toxic > 0.5 > clean
