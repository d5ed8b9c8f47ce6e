"""The engine mechanisms added for answers nobody tuned the rubrics on: answer-declared actor
names (metaphors, predicates, parentheses), note headings, verbs that look like actor nouns,
subscripts, unnamed actors, ``except`` and ``not_actor`` phrasings, counterfactual "without X",
reasons given before their actor, split words and sentence ends after formulas; each with an
answer that should pass and one that should fail.

A small toy rubric keeps the tests independent of the assignment; a few tests run the real
rubrics on the answers that motivated the mechanism.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from autograder.rubric import RubricError, load_rubric, score_answer
from autograder.rubric.text import Analyzer

REPO = Path(__file__).resolve().parents[1]
RUBRICS = REPO / "solutions" / "rubrics"

TOY = """\
part: pets
max_marks: 4
settings:
  window: 6
  anonymous_actors: true
synonyms:
  cat: [=cat, feline, =mouser]
  dog: [=dog, canine, =hound, =guard]
  chase: [chase, pursue, "run after", hunt]
  bird: [bird, sparrow, pigeon]
  pair: ["cat or dog", "dog or cat"]
  calm: [calm, quiet, peaceful]
  need: [need, needs, require]
actors:
  cat: {pattern: "@cat", labels: [kit]}
  dog: "@dog"
concepts:
  - id: hunting
    marks: 1
    feedback: Say who goes after the small animals.
    phrasings:
      - {actor: cat, does: "@chase @bird"}
  - id: guarding
    marks: 1
    feedback: Say who protects the house.
    phrasings:
      - {actor: dog, does: "protect|protects|guards house"}
  - id: calm_house
    marks: 1
    feedback: Say how the house feels.
    phrasings:
      - {match: "@calm house|home", except: ["@pair"], not_actor: dog}
  - id: food
    marks: 1
    feedback: Say what they eat.
    phrasings:
      - {actor: cat, does: "eat|eats fish"}
"""


@pytest.fixture(scope="module")
def pets(tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("rubric") / "pets.yaml"
    path.write_text(TOY, encoding="utf-8")
    return load_rubric(path)


def earned(rubric, text: str, concept: str) -> float:
    result = score_answer(rubric, text)
    return next(c.earned for c in result.concepts if c.id == concept)


def concepts(rubric, text: str) -> dict[str, float]:
    return {c.id: c.earned for c in score_answer(rubric, text).concepts}


def swap(text: str, a: str, b: str) -> str:
    """``text`` with every ``a`` and ``b`` exchanged (headings, column headers)."""
    return text.replace(a, "\0").replace(b, a).replace("\0", b)


# --------------------------------------------------------------------------- answer's own names
def test_metaphor_declared_with_like_names_the_actor(pets):
    text = "The cat is like a hunter. The hunter chases birds."
    assert earned(pets, text, "hunting") == 1
    # The same metaphor given to the dog makes the dog the hunter: a role swap.
    assert earned(pets, "The dog is like a hunter. The hunter chases birds.", "hunting") == 0


def test_metaphor_declared_with_as_and_parentheses(pets):
    assert earned(pets, "Think of the cat as a ninja; the ninja hunts sparrows.", "hunting") == 1
    assert earned(pets, "The ninja (the cat) hunts sparrows.", "hunting") == 1
    assert earned(pets, "The ninja (the dog) hunts sparrows.", "hunting") == 0


def test_generic_nouns_are_never_aliases(pets):
    assert earned(pets, "The cat is a hunter. The hunter chases birds.", "hunting") == 1
    # "model" is too general to name the cat: the subject of the second sentence stays unknown.
    assert earned(pets, "The cat is a model. The model chases birds.", "hunting") == 0


def test_predicate_noun_of_another_actor_belongs_to_the_subject(real):
    # "classifier" names the discriminator, but here it is what the generator is said to be.
    swapped = (
        "The generator is a binary classifier that labels images as real or fake, and the "
        "discriminator synthesizes images from latent noise."
    )
    result = concepts(real["q3"], swapped)
    assert result["discriminator_role"] == 0 and result["generator_role"] == 0
    right = "The discriminator is a binary classifier of real versus fake images."
    assert concepts(real["q3"], right)["discriminator_role"] == 0.5


def test_forger_and_detective_metaphor_earns_the_roles_and_the_aim(real):
    text = (
        "A forger and a detective: the forger network produces fake paintings from random noise, "
        "the detective network judges whether a painting is real or forged. Each improves by "
        "competing against the other until the fakes cannot be told apart from real ones."
    )
    # "competing against the other" is the bare label: half the adversarial point (SCHEME.md)
    assert score_answer(real["q3"], text).score == 2.5
    goals = text.replace("Each improves by competing against the other",
                         "The forger tries to fool the detective, who tries to catch every fake,")
    assert score_answer(real["q3"], goals).score == 3


def test_student_teacher_metaphor_declared_in_the_answer(real):
    text = (
        "Generator is like a student who copy the painting, discriminator is like a teacher who "
        "check the painting is original or copy. Generator want the teacher think the copy is "
        "original. Finally the copy is same like the original."
    )
    assert score_answer(real["q3"], text).score == 3


# --------------------------------------------------------------------------- headings, verbs
def test_note_heading_names_the_actor(pets):
    assert earned(pets, "Kit: chases birds all day.", "hunting") == 1
    # Not a heading in running prose.
    assert earned(pets, "The dog and the kit chase birds.", "hunting") == 0


def test_heading_labels_in_real_rubric(real):
    text = (
        "Down: cheaper and larger receptive field. "
        "Up: back to input resolution for per-pixel labels."
    )
    assert score_answer(real["q1_i"], text).score == 2
    swapped = "Up: cheaper and larger receptive field. Down: back to input resolution."
    assert score_answer(real["q1_i"], swapped).score == 0


def test_actor_noun_used_as_a_verb(pets):
    # "guard" names the dog; "the dog guards" is a verb, not a second actor.
    assert earned(pets, "The dog guards the house.", "guarding") == 1
    assert earned(pets, "The cat guards the house.", "guarding") == 0


def test_verb_forms_are_not_typos_of_actor_nouns(real):
    # "inspects" is not a typo of the actor "inspector": no actor is named, so "it" is not the
    # discriminator and the unnamed net's drawing is the generator's role.
    text = "One net inspects pictures, then it dreams up new pictures from random noise."
    assert concepts(real["q3"], text)["generator_role"] == 0.5
    text = "The inspector inspects pictures, then it dreams up new pictures from random noise."
    assert concepts(real["q3"], text)["generator_role"] == 0


def test_subscript_letters_are_not_actors(real):
    assert earned(real["q3"], "At the optimum p_g = p_data.", "aim") == 1
    assert earned(real["q3"], "At the optimum $p_g = p_{data}$.", "aim") == 1
    assert earned(real["q3"], "At the optimum p_g is large.", "aim") == 0


# --------------------------------------------------------------------------- unnamed actors
def test_unnamed_actors_are_credited_when_nothing_can_be_swapped(pets):
    assert earned(pets, "One of them chases birds.", "hunting") == 1
    # As soon as the answer names an actor, binding applies again.
    assert earned(pets, "The dog sleeps. One of them chases birds.", "hunting") == 0
    # People are not the actors.
    assert earned(pets, "We chase birds.", "hunting") == 0


def test_unnamed_actors_off_by_default(real):
    # q1_i does not enable it: an answer that never names the operations earns nothing.
    text = "FCN is much faster and can take an input of any size."
    assert score_answer(real["q1_i"], text).score == 0


# --------------------------------------------------------------------------- except, not_actor
def test_except_pattern_vetoes_overlapping_matches(pets):
    assert earned(pets, "The cat keeps the house calm.", "calm_house") == 1
    # "cat or dog" is the except pattern; the match shares no word with it here ...
    assert earned(pets, "A cat or dog keeps the house calm.", "calm_house") == 1
    # ... but vetoes a match that uses one of its words.
    vetoed = load_pattern_rubric('{match: "@calm cat", except: ["@pair"]}')
    assert earned(vetoed, "A calm cat.", "c") == 1
    assert earned(vetoed, "Is it calm, cat or dog?", "c") == 0


def test_not_actor_rejects_that_subject(pets):
    assert earned(pets, "The cat makes the house calm.", "calm_house") == 1
    assert earned(pets, "The dog makes the house calm.", "calm_house") == 0


def test_role_swap_does_not_leak_through_real_or_fake(real):
    swapped = (
        "The discriminator generates images from noise and the generator classifies them as "
        "real or fake."
    )
    assert score_answer(real["q3"], swapped).score == 0
    right = "The generator produces samples from noise until they look real."
    # "look real" is the half-mark aim of the marking scheme (realistic, not indistinguishable)
    assert earned(real["q3"], right, "aim") == 0.5
    wrong_maker = (
        "The discriminator tries to fool the generator by producing realistic samples, and the "
        "generator judges them."
    )
    assert score_answer(real["q3"], wrong_maker).score == 0


def load_pattern_rubric(phrasing: str):
    text = textwrap.dedent(
        f"""\
        part: p
        max_marks: 1
        synonyms:
          calm: [calm, quiet]
          pair: ["cat or dog"]
        concepts:
          - id: c
            marks: 1
            feedback: Say it.
            phrasings:
              - {phrasing}
        """
    )
    import tempfile

    path = Path(tempfile.mkdtemp()) / "p.yaml"
    path.write_text(text, encoding="utf-8")
    return load_rubric(path)


# --------------------------------------------------------------------------- negation, clauses
def test_without_the_actor_states_what_it_is_for(real):
    text = (
        "Upsampling is not just cosmetic: without it the output would be 1/32 of the input size "
        "and we could not label each pixel."
    )
    assert earned(real["q1_i"], text, "upsampling") == 1
    # "without" something that is not the actor keeps its plain meaning.
    text = "Upsampling is used, but without skip connections we could not label each pixel."
    assert earned(real["q1_i"], text, "upsampling") == 0


def test_reason_before_its_actor(real):
    text = (
        "The network must classify every pixel, so the output needs the same spatial resolution "
        "as the input; that is why the decoder upsamples."
    )
    assert earned(real["q1_i"], text, "upsampling") == 1
    swapped = (
        "The network must classify every pixel, so the output needs the same spatial resolution "
        "as the input; that is why the encoder downsamples."
    )
    assert earned(real["q1_i"], swapped, "upsampling") == 0


def test_actor_named_in_parentheses_after_the_claim(real):
    text = "One is continuous (VAE) and the other one is discrete (VQ-VAE)."
    assert score_answer(real["q2"], text).score == 2
    swapped = "One is continuous (VQ-VAE) and the other one is discrete (VAE)."
    assert score_answer(real["q2"], swapped).score == 0


def test_colon_separates_the_actors_of_a_list(real):
    text = "Two players: the forger paints fakes from noise, the detective decides real or fake."
    result = concepts(real["q3"], text)
    assert result["generator_role"] == 0.5 and result["discriminator_role"] == 0.5


def test_split_without_is_one_word():
    tokens = Analyzer().analyse("It grows with out adding weights.").tokens
    assert [t.norm for t in tokens] == ["it", "grows", "without", "adding", "weights"]
    assert tokens[2].is_cue
    tokens = Analyzer().analyse("Carried on with out-of-range values.").tokens
    assert "without" not in [t.norm for t in tokens]


def test_split_without_in_real_rubric(real):
    text = "Dilated convolusion increse the recepive field with out adding more paramters."
    assert score_answer(real["q1_iii"], text).score == 1


def test_sentence_ends_after_a_formula_but_not_inside_eg():
    a = Analyzer().analyse("It is N(0, 1). In VQ-VAE it is not.")
    assert a.n_sentences == 2
    a = Analyzer().analyse("We use e.g. pooling here. Then more.")
    assert a.n_sentences == 2
    assert len({t.sentence for t in a.tokens if t.norm in {"use", "e", "g", "pooling"}}) == 1


# --------------------------------------------------------------------------- guards
def test_terse_notes_with_headings_are_not_a_keyword_list(real):
    result = score_answer(
        real["q2"], "VQ-VAE: discrete latent (codebook). VAE: continuous Gaussian latent."
    )
    assert result.score == 2 and "keyword-list" not in result.flags
    result = score_answer(real["q2"], "VQ-VAE, VAE, discrete, continuous, codebook, Gaussian")
    assert result.score == 0 and "keyword-list" in result.flags


def test_slash_separated_terms_are_a_list(real):
    result = score_answer(
        real["q3"], "generator / discriminator / minimax / fool / indistinguishable / p_g = p_data"
    )
    assert result.score == 0 and "keyword-list" in result.flags


# --------------------------------------------------------------------------- schema
def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bad.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


BASE = """\
part: x
max_marks: 1
settings:
  {setting}
actors:
  a: {actor}
concepts:
  - id: c
    marks: 1
    feedback: Say it.
    phrasings:
      - {phrasing}
"""


@pytest.mark.parametrize(
    ("setting", "actor", "phrasing", "message"),
    [
        ("window: 8", '"=ant"', '{match: "walk", except: 3}', "'except'"),
        ("window: 8", '"=ant"', '{match: "walk", except: [{actor: a, does: "x"}]}', "except"),
        ("window: 8", '"=ant"', '{match: "walk", not_actor: b}', "not_actor"),
        ("window: 8", '"=ant"', '{actor: a, does: "walk", not_actor: a}', "not_actor"),
        ("window: 8", '"=ant"', '{match: "walk", unnamed: true}', "unnamed"),
        ("window: 8", '"=ant"', '{actor: a, does: "walk", unnamed: 1}', "unnamed"),
        ("window: 8", '"=ant"', '{actor: a, does: "walk", unnamed: always}', "anywhere"),
        ("window: 8", '{pattern: "=ant", labels: 3}', '"walk"', "labels"),
        ("window: 8", '{pattern: "=ant", tags: [x]}', '"walk"', "unknown key 'tags'"),
        ("anonymous_actors: 1", '"=ant"', '"walk"', "anonymous_actors"),
        ("anonymous_actors: some", '"=ant"', '"walk"', "true, false or parts"),
    ],
)
def test_new_schema_keys_are_validated(tmp_path, setting, actor, phrasing, message):
    path = write(tmp_path, BASE.format(setting=setting, actor=actor, phrasing=phrasing))
    with pytest.raises(RubricError) as exc:
        load_rubric(path)
    assert message in str(exc.value) and "line" in str(exc.value)


def test_new_schema_keys_load(tmp_path):
    path = write(
        tmp_path,
        BASE.format(
            setting="anonymous_actors: true",
            actor='{pattern: "=ant", labels: [bug]}',
            phrasing='{match: "walk", except: ["walk away"], not_actor: a}',
        ),
    )
    rubric = load_rubric(path)
    assert rubric.settings.anonymous_actors and rubric.actor_labels[0][0] == "a"
    parts = write(tmp_path, BASE.format(setting="anonymous_actors: parts", actor='"=ant"',
                                        phrasing='"walk"'))
    assert load_rubric(parts).settings.anonymous_actors == "parts"
    phrasing = rubric.concepts[0].phrasings[0]
    assert phrasing.not_actor == "a" and phrasing.excepts[0].source == "walk away"


# --------------------------------------------------------------------------- actor clauses
def test_action_words_from_another_actors_clause_do_not_count(real):
    # "less" is the downsampling's, "parameters" the upsampling's: no cost argument is made.
    text = (
        "Downsampling is used so that the network overfits less, and upsampling adds more "
        "parameters to make the model more powerful."
    )
    assert earned(real["q1_i"], text, "downsampling") == 0
    text = (
        "Downsampling is used so that the network needs fewer parameters, and upsampling follows."
    )
    assert earned(real["q1_i"], text, "downsampling") == 1


def test_discriminator_verdict_needs_its_object_after_the_verb(real):
    text = "The aim is that G reproduces the real data distribution, so that D outputs 0.5."
    assert earned(real["q3"], text, "discriminator_role") == 0
    assert earned(real["q3"], "D outputs whether its input is real.", "discriminator_role") == 0.5


def test_sentence_fragments_without_headings_are_an_enumeration(real):
    # Unnamed actors would credit each fragment; the density guard caps the whole.
    result = score_answer(
        real["q3"], "Making images from noise. Deciding real or fake. Fooling. Indistinguishable."
    )
    # Capped; whether the cap alone asks for review is the review weights' business (review.py).
    assert "keyword-density" in result.flags and result.score <= 1
    notes = "G: noise -> fake samples. D: real vs fake classifier. Minimax: G tries to fool D."
    result = score_answer(real["q3"], notes)
    assert "keyword-density" not in result.flags and result.score == 2


# --------------------------------------------------------------------------- coordinated actors
def test_two_actors_together_are_the_subject_of_neither(pets):
    # "The cat and the dog chase birds" says nothing the cat alone does.
    assert earned(pets, "The cat and the dog chase birds.", "hunting") == 0
    assert earned(pets, "The cat chases birds.", "hunting") == 1
    # Two mentions of one actor are not a pair of actors.
    assert earned(pets, "The cat and the mouser chase birds.", "hunting") == 1


def test_a_pair_of_actors_gives_no_alias(pets):
    # "The dog and the cat are the guard and the hunter" names neither one "hunter".
    text = "The dog and the cat are the hunter and the guard. The hunter chases birds."
    assert earned(pets, text, "hunting") == 0


def test_an_object_marker_does_not_reach_across_a_comma(pets):
    # "with, the cat ..." : the cat after the comma is a subject again.
    assert earned(pets, "The dog is calm to live with, the cat chases birds.", "hunting") == 1
    assert earned(pets, "The dog plays with the cat chasing birds.", "hunting") == 0


def test_instead_opens_a_clause_for_the_next_actor(real):
    text = ("The VQ-VAE uses a discrete latent space with a codebook, instead the VAE uses a "
            "continuous latent space.")
    assert score_answer(real["q2"], text).score == 2


# --------------------------------------------------------------------------- scheme's 0-mark rules
@pytest.mark.parametrize("text, concept", [
    # Q1(i): the stages in the wrong order, upsampling for more parameters
    ("The upsampling is done first to see details, then downsampling compresses it into the "
     "final segmentation map.", "downsampling"),
    ("Upsampling layers add more learnable parameters, so the model gives better segmentation.",
     "upsampling"),
])
def test_q1_i_wrong_purposes_earn_nothing(real, text, concept):
    assert earned(real["q1_i"], text, concept) == 0


def test_q1_i_vague_benefits_earn_half(real):
    text = "Downsampling makes the image small so it is easier to compute with."
    assert earned(real["q1_i"], text, "downsampling") == 0.5
    assert earned(real["q1_i"], "Upsampling recovers the details that were lost.",
                  "upsampling") == 0.5


def test_q1_iii_dilation_as_upsampling_and_pooling_still_needed_earn_nothing(real):
    text = ("Dilated convolution upsamples the map, so the output has a higher resolution than "
            "the input.")
    assert score_answer(real["q1_iii"], text).score == 0
    text = "It keeps the resolution, but you still need pooling to keep the map manageable."
    assert earned(real["q1_iii"], text, "no_loss_or_cost") == 0
    assert earned(real["q1_iii"], "It keeps the resolution of the feature map.",
                  "no_loss_or_cost") == 0.5


def test_q2_vq_as_a_loss_without_decoder_earns_nothing(real):
    text = ("VQ-VAE is a VAE trained with a vector quantization loss instead of the "
            "reconstruction loss, so it does not need a decoder.")
    assert score_answer(real["q2"], text).score == 0


def test_q2_replacing_the_continuous_latent_states_both_points(real):
    text = "VQ-VAE replaces the continuous latent of the VAE with a discrete one."
    assert score_answer(real["q2"], text).score == 2
    swapped = "VQ-VAE has a continuous latent, the VAE a discrete one."
    assert score_answer(real["q2"], swapped).score == 0


def test_and_in_the_actor_opens_a_clause(real):
    text = "The latent of VQ-VAE is quantized, and in VAE it is a stochastic latent."
    result = concepts(real["q2"], text)
    assert result == {"vqvae_discrete": 1, "vae_continuous": 0.5}


def test_q2_random_outputs_are_not_the_vae_point(real):
    assert earned(real["q2"], "VAE outputs are probabilistic.", "vae_continuous") == 0
    assert earned(real["q2"], "The VAE is probabilistic.", "vae_continuous") == 0.5


def test_q3_generator_wanting_its_samples_taken_for_real_is_the_game(real):
    text = "The generator wants its samples to be scored as real."
    assert earned(real["q3"], text, "adversarial") == 1
    # the discriminator's verdict on samples is its role, not the generator's goal
    text = "One net paints pictures, the other scores how likely the pictures are to be genuine."
    assert earned(real["q3"], text, "adversarial") == 0


def test_reason_in_the_sentence_before_hence_and_its_actor(pets):
    assert earned(pets, "Birds must be chased out of the garden. Hence the cat.", "hunting") == 1
    assert earned(pets, "Birds must be chased out of the garden. Hence the dog.", "hunting") == 0
    # "So, ..." opening a sentence is often a filler, not a reason's consequence
    assert earned(pets, "Birds must be chased out of the garden. So the cat sleeps.",
                  "hunting") == 0


def test_q1_i_upsampling_beyond_the_input_earns_nothing(real):
    text = "The decoder upsamples to produce a higher resolution than the original image."
    assert earned(real["q1_i"], text, "upsampling") == 0
    # "higher than" said of something else is no claim about the input
    text = ("Upsampling brings the map back to the original input resolution so that every pixel "
            "gets a label, which is higher than the coarse map.")
    assert earned(real["q1_i"], text, "upsampling") == 1


def test_a_multi_word_name_never_runs_across_a_joining_word(real):
    # "vector quantization and VAE" is the method and the other model, not one name of VQ-VAE:
    # the claim about VQ-VAE earns the half mark the scheme gives for naming the quantisation.
    for joiner in ("and", "while", "whereas"):
        text = f"VQ-VAE uses vector quantization {joiner} VAE does not."
        assert concepts(real["q2"], text) == {"vqvae_discrete": 0.5, "vae_continuous": 0}, joiner


def test_answers_in_note_form_are_claims_not_keyword_lists(real):
    # Each heading names its model and what follows is claimed of it: the keyword guards,
    # which cap strings of terms, do not cap notes however terse.
    for text in (
        "vqvae -> discrete latent (codebook lookup, nearest nbr). vae -> continuous gaussian "
        "latent w/ reparam trick",
        "VQ-VAE: discrete latent variables (codebook, nearest neighbour lookup). VAE: "
        "continuous latent variables, Gaussian posterior, reparameterisation trick.",
    ):
        result = score_answer(real["q2"], text)
        assert result.score == 2, (text, result.flags)
    # The same terms strung together without headings are still capped.
    stuffed = "VQ-VAE, discrete, codebook, VAE, continuous, Gaussian, KL, latent"
    assert score_answer(real["q2"], stuffed).score == 0


def test_terse_notes_separated_by_dashes_and_vs_are_claims(real):
    text = ("Quantised (discrete) latent vs continuous latent - VQ-VAE picks the nearest "
            "embedding vector, VAE samples from N(mu, sigma).")
    assert score_answer(real["q2"], text).score == 2


def test_actor_named_in_parentheses_after_a_longer_claim(real):
    assert concepts(real["q2"], "discrete codes (VQ-VAE) vs continuous gaussian latent (VAE)") == {
        "vqvae_discrete": 1, "vae_continuous": 1}


def test_clauses_of_statements_are_not_an_enumeration_of_terms(real):
    # Three short statements joined by commas are not keyword stuffing.
    text = ("Generator makes fake images out of noise, discriminator classifies real vs fake. "
            "They're trained adversarially.")
    assert score_answer(real["q3"], text).score == 1.5


def test_reason_given_clauses_before_its_actor(real):
    text = ("because the final output have to be same size as the input image, every pixel "
            "need a label, so upsampling is needed")
    assert concepts(real["q1_i"], text)["upsampling"] == 1


def test_an_operation_people_perform_is_its_actor(real):
    # "we have to upsample to restore ...": the upsampling restores, not some other actor.
    text = ("We downsample because it makes the image easier to process. After that we have to "
            "upsample to restore the original resolution, otherwise we can't classify each pixel.")
    assert concepts(real["q1_i"], text) == {"downsampling": 0.5, "upsampling": 1}


def test_an_arrow_heads_a_note_in_the_middle_of_a_line(real):
    assert concepts(real["q1_i"], "down -> fewer params, less compute up -> enlarge the feature "
                                  "maps") == {"downsampling": 1, "upsampling": 0.5}


def test_a_note_claim_may_list_several_terms_but_a_list_is_no_heading(real):
    note = ("VAE -> z ~ N(mu, sigma), continuous. VQ-VAE -> z quantised to nearest codebook "
            "entry -> discrete latent space")
    assert score_answer(real["q2"], note).score == 2
    # A slash-separated list after the label, or a list before an "=", is still a list.
    listed = ("Downsampling = pooling / strided conv / encoder / receptive field. Upsampling = "
              "transposed conv / decoder / skip connections.")
    assert score_answer(real["q1_i"], listed).score == 0
    stuffed = "generator / discriminator / minimax / fool / indistinguishable / p_g = p_data"
    assert score_answer(real["q3"], stuffed).score == 0


def test_we_and_an_operation_open_a_clause_of_their_own(real):
    text = ("We downsample so the features are smaller and easier to handle for the network, and "
            "we upsample at the end so that the output has the same resolution as the input image "
            "and we can assign one class to each pixel.")
    assert concepts(real["q1_i"], text) == {"downsampling": 0.5, "upsampling": 1}


def test_an_actor_named_twice_heads_its_own_clause(real):
    # "decoder is doing upsampling" is a clause of its own, not "downsampling and decoder".
    text = ("Encoder is doing downsampling and decoder is doing upsampling, so the output is same "
            "size as the input picture and each pixel have its class.")
    assert concepts(real["q1_i"], text) == {"downsampling": 0, "upsampling": 1}


def test_a_swapped_pair_loses_even_the_bare_game(real):
    # The scheme: the game described through swapped roles goes with them; the aim, stated
    # without roles, stays.
    text = ("The discriminator generates fake images from noise, and the generator tries to "
            "classify whether they are real or fake; they play a minimax game against each other. "
            "Training ends when the fakes can no longer be distinguished from real data.")
    assert concepts(real["q3"], text) == {"generator_role": 0, "discriminator_role": 0,
                                          "adversarial": 0, "aim": 1}


def test_after_a_joining_word_a_written_sequence_continues_at_once(real):
    # "fake data and a discriminator that distinguishes real ..." is not "fake and real".
    text = ("GANs consist of a generator that produces fake data and a discriminator that "
            "distinguishes real from fake.")
    assert concepts(real["q3"], text)["generator_role"] == 0.5


def test_an_abbreviation_in_capitals_opening_a_sentence_names_its_actor(real):
    assert concepts(real["q1_i"], "DS uses less memory. US increases spatial size of the "
                                  "features.") == {"downsampling": 1, "upsampling": 0.5}
    # The pronoun "us" is no label.
    assert concepts(real["q1_i"], "It lets us save memory.")["upsampling"] == 0


def test_prob_and_dist_with_a_full_stop_do_not_end_the_sentence(real):
    text = ("Two-player game. The generator takes noise and produces data; the discriminator "
            "outputs whether data is real or fake. D maximises the prob. of labelling correctly, "
            "G maximises the prob. of D being wrong. At equilibrium the generated dist. is the "
            "same as the real one.")
    assert score_answer(real["q3"], text).score == 3


def test_a_second_note_after_a_comma_has_its_own_heading(real):
    text = ("down = cheaper + bigger receptive field, up = get back to input res for pixelwise "
            "labels")
    assert concepts(real["q1_i"], text) == {"downsampling": 1, "upsampling": 1}


TOY_NEGATED = """\
part: lead
max_marks: 1
synonyms:
  bird: [bird, birds]
concepts:
  - id: lead
    marks: 1
    feedback: Say what the cat does that the dog misses.
    phrasings:
      - {match: "chases @bird =dog (not|never) see|sees", order: strict, window: 12}
"""


def test_words_before_a_written_negator_lead_up_to_its_subject(real, tmp_path):
    # "(cannot) @tell_apart" written in a phrasing after the maker and the judge: the words
    # before the negator lead up to the judge named right before it, however long the object.
    text = ("The generator tries to make fake images that the discriminator can't tell from "
            "real, and the discriminator is trained to catch them.")
    assert concepts(real["q3"], text)["adversarial"] == 1
    # Not when the negator stands far from the words before it.
    path = tmp_path / "lead.yaml"
    path.write_text(TOY_NEGATED, encoding="utf-8")
    toy = load_rubric(path)
    assert concepts(toy, "The cat chases birds in the big old garden that the dog does not "
                         "see") == {"lead": 1}
    # The last word before the negator must be close to it: here "dog" is four content words
    # away, so "see" is negated by a negator the phrasing does not lead up to.
    assert concepts(toy, "The cat chases birds, and the dog, tired and sleepy and old, does "
                         "not see") == {"lead": 0}


def test_operations_described_in_plain_words_name_their_stage(real):
    # Informal answers that never name downsampling or upsampling: the description is the actor.
    text = ("the picture gets smaller so the net sees more of the photo at once and gets what's "
            "in it. then it gets stretched back to the same size as the input so every pixel can "
            "get its own class")
    assert concepts(real["q1_i"], text) == {"downsampling": 1, "upsampling": 1}
    assert concepts(real["q1_i"], "going down = cheaper + more 'what' info. going up = mask has "
                                  "to line up with the image pixel for pixel") == {
        "downsampling": 1, "upsampling": 1}
    # Growing with no link to the input's size, and no stage named: the scheme's half mark.
    assert concepts(real["q1_i"], "then at the end it gets bigger again")["upsampling"] == 0.5


def test_thats_why_names_the_actor_of_the_reason_before_it(real):
    # "That's why" reads "that why": the reason in the sentence before is the decoder's.
    text = ("But the output has to be at street level again, i.e. the same resolution as the input "
            "image, so that every pixel gets labelled. That's why the decoder upsamples.")
    assert concepts(real["q1_i"], text)["upsampling"] == 1


def test_of_two_actor_names_as_long_the_one_written_word_for_word_wins(real):
    # "strided transposed convolution" is upsampling; "strided ... convolution" with a word
    # between spans as much but is not what was written.
    text = ("Upsampling: unpooling or strided transposed convolution -> back to the original "
            "image resolution for pixel-level prediction.")
    assert concepts(real["q1_i"], text)["upsampling"] == 1


def test_images_produced_by_the_generator_by_name_are_its_role(real):
    assert concepts(real["q3"], "The generator produces images and the discriminator judges "
                                "if they are real or fake.")["generator_role"] == 0.5
    # What the whole model is for is not the generator's role.
    assert concepts(real["q3"], "GANs learn to generate images.")["generator_role"] == 0


def test_short_claims_each_making_a_point_are_no_keyword_string(real):
    # Each concept credited from within one item of the list: terse claims, not a string of
    # terms, so the density guard does not cap them.
    assert score_answer(real["q1_iii"], "Larger field of view, same output size, no extra "
                                        "param.").score == 1
    assert score_answer(real["q3"], "Generator generate fake data from noise; discriminator "
                                    "distinguish real and fake. Two player minimax game, G fool "
                                    "D, D catch G. Aim: generated distribution same as real data "
                                    "distribution.").score == 3
    # Terms strung together still are.
    assert score_answer(real["q1_iii"], "receptive field, context, resolution, parameters, "
                                        "dilation, holes, kernel").score <= 0.5


def test_on_the_other_hand_opens_a_clause_of_its_own(real):
    text = ("The VAE uses a continuous latent variable with a gaussian prior, on the other hand "
            "the VQ-VAE uses a discrete latent representation which is obtained by vector "
            "quantization with a codebook.")
    assert concepts(real["q2"], text) == {"vqvae_discrete": 1, "vae_continuous": 1}


def test_a_line_opening_with_a_heading_and_a_colon_is_a_new_item(real):
    # One line per stage, no full stops: the second line's purpose is the upsampling's, not
    # said of the downsampling named on the line before.
    text = ("downsampling: feature maps get smaller so its easier to process\n"
            "upsampling: restore to the original image size so we can predict the class of "
            "every pixel")
    assert concepts(real["q1_i"], text) == {"downsampling": 0.5, "upsampling": 1}
    # A line wrapped in the middle of a sentence is not broken.
    sentences = Analyzer().analyse("the decoder upsamples the maps back\nto the input size")
    assert sentences.n_sentences == 1


def test_arrows_up_and_down_read_as_increases_and_reduces(real):
    text = ("Downsampling → ↓ spatial size → ↓ computation / memory, ↑ receptive field\n"
            "Upsampling → back to input resolution → pixel-wise (dense) prediction")
    assert concepts(real["q1_i"], text) == {"downsampling": 1, "upsampling": 1}


def test_wave_36_to_41_misreadings(real):
    # The receptive field put down to the upsampling is a wrong purpose, not its purpose.
    assert concepts(real["q1_i"], "FCN downsamples so it doesn't need fully connected layers, "
                                  "and the upsampling layers increase the receptive field so "
                                  "that every output pixel can see the whole image."
                    )["upsampling"] == 0
    # A wrong claim about the receptive field does not cancel the separate no-loss point.
    assert concepts(real["q1_iii"], "Dilated convolution reduces the receptive field so each "
                                    "output focuses on a small local area. It also keeps the "
                                    "feature map size the same.")["no_loss_or_cost"] == 0.5
    # Sharper reconstructions are a consequence, not the output image quantised.
    assert concepts(real["q2"], "VAE samples the latent from a Gaussian distribution. VQ-VAE "
                                "uses vector quantization and a codebook, and gets sharper "
                                "reconstructions.")["vqvae_discrete"] == 0.5


def test_a_statement_the_writer_takes_back_does_not_count_against_them(real):
    # "hmm, no, scratch that": the misconception is retracted and the answer marked on what
    # follows; the same misconception left standing still cancels.
    taken_back = ("The GAN is trained like an autoencoder to reconstruct its input... hmm, no, "
                  "scratch that, a GAN never reconstructs anything. The generator produces fake "
                  "samples from random noise and the discriminator is trained to tell real from "
                  "fake; the generator tries to fool the discriminator. Training succeeds when "
                  "the fakes are indistinguishable from real data.")
    assert score_answer(real["q3"], taken_back).score == 3
    standing = taken_back.replace("hmm, no, scratch that, a GAN never reconstructs anything",
                                  "and that is the whole idea")
    assert score_answer(real["q3"], standing).score < 3
    # A contradiction the writer corrects is no contradiction.
    corrected = ("The VAE has discrete latents and the VQ-VAE has continuous ones - wait, no, I "
                 "have that backwards. In VQ-VAE the latent is quantised to one of K codebook "
                 "entries, so it is discrete. In the VAE the latent is continuous, sampled from "
                 "a Gaussian.")
    assert score_answer(real["q2"], corrected).score == 2


def test_a_note_headings_item_runs_on_over_semicolons(real):
    text = ("- downsampling: trade spatial resolution for channel depth; fewer activations "
            "(memory), larger receptive field")
    assert concepts(real["q1_i"], text)["downsampling"] == 1
    # but not over a full stop into a summary naming no actor
    text = ("VAE: z ~ N(mu, sigma^2), a continuous latent. VQ-VAE: z_q = e_k, the latent is "
            "quantised to one of K discrete codes. The difference: continuous latent vs "
            "discrete latent.")
    assert score_answer(real["q2"], text).score == 2


def test_a_choice_left_open_is_no_claim_either_way(real):
    # "or the other way round": the right pairing and its swap offered, neither adopted.
    text = ("Perhaps the VQ-VAE latent is discrete and the VAE latent is continuous, or the other "
            "way round, I always mix them up.")
    assert score_answer(real["q2"], text).score == 0
    # The same claim made plainly earns its marks.
    assert score_answer(real["q2"], "The VQ-VAE latent is discrete and the VAE latent is "
                                    "continuous.").score == 2
    # Options offered ("it could be ..., or maybe ...") neither earn nor cancel; the one the
    # writer then settles on earns the point.
    hedged = ("For downsampling it could be to reduce computation, or maybe to remove noise, or "
              "to add parameters. After thinking about it I think the main reason is computation "
              "cost plus getting a bigger receptive field. Upsampling is to get back to the "
              "original image size so each pixel can be assigned a class.")
    assert concepts(real["q1_i"], hedged) == {"downsampling": 1, "upsampling": 1}
    assert concepts(real["q1_i"], hedged.split(". After")[0] + ".")["downsampling"] == 0
    # The next sentence may leave the list open ("It is one of these."); a doubt voiced later
    # about something else leaves an earlier claim standing.
    listed = ("The objective could be minimising MSE, maximising likelihood, fooling a "
              "discriminator, or matching distributions. It is one of these.")
    assert score_answer(real["q3"], listed).score == 0
    assert score_answer(real["q2"], "The VQ-VAE latent is discrete and the VAE latent is "
                                    "continuous. Which one came first, I'm not sure which."
                        ).score == 2


def test_the_actor_named_after_in_is_the_subject_of_the_property(real):
    assert score_answer(real["q2"], "The latent space: discrete in VQ-VAE vs continuous in "
                                    "VAE.").score == 2
    # swapped the same way, it is swapped
    assert score_answer(real["q2"], "The latent space: continuous in VQ-VAE vs discrete in "
                                    "VAE.").score == 0


def test_a_separator_inside_parentheses_does_not_split_a_claim(real):
    text = ("1. Conv + pooling layers reduce the spatial size → far less memory/computation, and "
            "the receptive field becomes large enough to capture global context.\n"
            "2. The resulting score map is coarse (e.g. 1/32 of input).\n"
            "3. Upsampling (`ConvTranspose2d` / bilinear) brings it back to the original image "
            "size.\n"
            "4. Result: a dense, per-pixel class prediction.")
    assert score_answer(real["q1_i"], text).score == 2


def test_bullets_under_a_heading_line_are_about_its_subject(real):
    # Markdown or plain heading lines with bullets under them: each section is a note about
    # its heading's model or stage, not a list of terms.
    notes = ("**Downsampling**\n"
             "- reduces spatial size -> less computation + memory\n"
             "- bigger receptive field => more global context\n"
             "**Upsampling**\n"
             "- recovers the input resolution\n"
             "- -> dense per-pixel prediction, each pixel gets a class label")
    assert concepts(real["q1_i"], notes) == {"downsampling": 1, "upsampling": 1}
    assert score_answer(real["q1_i"], notes).score == 2
    headers = "# Why downsample\n- less FLOPs\n# Why upsample\n- output must be same size as input"
    assert score_answer(real["q1_i"], headers).score == 2
    models = ("**VQ-VAE**\n- latent = discrete codes\n- encoder output → nearest codebook vector\n"
              "**VAE**\n- latent continuous, Gaussian N(μ, σ)")
    assert score_answer(real["q2"], models).score == 2
    # the same notes under swapped headings are swapped
    swapped = swap(models, "**VQ-VAE**", "**VAE**")
    assert score_answer(real["q2"], swapped).score == 0


def test_a_line_opening_with_a_name_and_an_arrow_is_a_new_note(real):
    text = ("vq-vae → latent quantized to nearest embedding in codebook (discrete)\n"
            "vae → latent sampled from continous gaussian dist.")
    assert score_answer(real["q2"], text).score == 2


def test_a_cell_of_a_table_is_said_of_its_columns_header(real):
    table = ("|               | VAE                          | VQ-VAE                 |\n"
             "| latent        | continuous, sampled from N(mu, sigma^2) | discrete, nearest "
             "codebook vector |\n"
             "| prior         | fixed N(0, I)                | learned afterwards     |\n"
             "Key difference = continuous vs discrete latent.")
    assert score_answer(real["q2"], table).score == 2
    # the columns swapped, the cells are swapped
    swapped = swap(table, "| VQ-VAE  ", "| VAE     ")
    assert score_answer(real["q2"], swapped).score == 0


def test_an_actor_word_after_who_is_the_verb_of_the_named_subject(real):
    # "the generator is the food critic who judges ..." names the generator as the judge: the
    # "judges" after "who" is what the critic (the generator) does, not a second actor, so the
    # roles are read as swapped and the game said through them goes with them.
    swapped = ("The discriminator is like a chef who cooks up new dishes (it generates the "
               "images) and the generator is the food critic who judges whether a dish comes "
               "from a real restaurant. The chef tries to trick the critic and the critic tries "
               "not to be tricked. In the end the fake dishes become indistinguishable from the "
               "real ones.")
    result = score_answer(real["q3"], swapped)
    assert "role-swap" in result.flags and result.score == 1
    # the same metaphor with the roles the right way round keeps its marks
    right = swapped.replace("The discriminator is like a chef", "The generator is like a chef") \
        .replace("and the generator is the food critic", "and the discriminator is the food critic")
    assert score_answer(real["q3"], right).score >= 2.5


def test_a_bare_heading_line_over_bullets_opens_a_note_of_its_own(real):
    # A name alone on a line with bullets under it is the subject of those bullets; it is not
    # the subject of the bullet above it ("- quantizes the latent ...\nVAE").
    notes = ("VQ-VAE\n- quantizes the latent into codebook vectors\n"
             "VAE\n- latent is a continuous Gaussian")
    assert score_answer(real["q2"], notes).score == 2
    swapped = swap(notes, "VQ-VAE\n", "VAE\n")
    assert score_answer(real["q2"], swapped).score == 0
    # an output continuous "too", beside a continuous latent, is no misconception about it
    also = ("VQ-VAE\n- quantizes the colours of the output image into a fixed palette\n"
            "VAE\n- latent is a continuous Gaussian, output colours are continuous too")
    assert score_answer(real["q2"], also).score == 1


def test_a_correction_with_the_other_way_around_takes_the_statement_back(real):
    # "X — no sorry, it's the other way around: Y" corrects X; it is not left open.
    text = ("VAE's latent is discrete — no sorry, it's the other way around: VQ-VAE's latent is "
            "discrete (chosen from a codebook) and the VAE's latent is a continuous Gaussian.")
    assert score_answer(real["q2"], text).score == 2
    # offered both ways and never settled, it is still no claim
    open_choice = ("VQ-VAE's latent is discrete and the VAE's is continuous, or the other way "
                   "round.")
    assert score_answer(real["q2"], open_choice).score == 0


def test_a_vae_said_to_be_deterministic_loses_its_continuous_point(real):
    wrong = ("VQ-VAE: the latent is replaced by its nearest codebook entry, so it is discrete. "
             "VAE: the encoder outputs z = mu(x) directly, deterministic, no sampling.")
    result = score_answer(real["q2"], wrong)
    assert result.score == 1
    assert any("vae_deterministic" in n for c in result.concepts for n in c.notes)
    # a plain autoencoder's deterministic code set against the VAE's costs nothing
    contrast = ("VQ-VAE quantises the latent to codebook vectors; a VAE's latent is continuous, "
                "sampled from a Gaussian, while in a normal autoencoder the latent is just a "
                "deterministic vector.")
    assert score_answer(real["q2"], contrast).score == 2


def test_quantising_the_output_and_a_continuous_output_are_the_wrong_objects(real):
    wrong = ("VQ-VAE quantizes the pixels of the generated image into a limited colour palette, so "
             "the output is discrete, whereas VAE produces continuous output values.")
    assert score_answer(real["q2"], wrong).score == 0
    assert score_answer(real["q2"], "VQ-VAE quantises its output into 256 values per pixel. "
                                     "The VAE's latent is continuous.").score == 1
    # the encoder's output quantised is the latent, however it is written
    for right in ("VQ-VAE quantizes the encoder output to the nearest codebook vector, so the "
                  "latent is discrete; VAE latent is continuous Gaussian.",
                  "In VQ-VAE, the encoder output is vector-quantised: each output vector is "
                  "replaced by its nearest codebook entry, a discrete latent. A VAE samples a "
                  "continuous latent."):
        assert score_answer(real["q2"], right).score == 2, right


def test_upsampling_past_the_starting_size_and_a_decoder_of_discrete_labels_are_misconceptions(
        real):
    beyond = ("Downsampling makes the network cheaper to run. Upsampling gives a higher resolution "
              "output than what we started with, like zoom and enhance.")
    assert score_answer(real["q1_i"], beyond).score <= 1
    labels = ("VQ-VAE is discrete because its decoder outputs a discrete class label per pixel. "
              "The VAE has a continuous Gaussian latent space.")
    assert score_answer(real["q2"], labels).score == 1
    # the encoder's output made discrete is the latent
    assert score_answer(real["q2"], "VQ-VAE: the encoder outputs discrete codes from a codebook, "
                                     "so the latent is discrete. VAE: a continuous Gaussian "
                                     "latent.").score == 2


def test_the_game_turned_round_and_likelihood_as_the_objective_lose_the_training_point(real):
    turned = ("Generator: makes fake images. Discriminator: tells real vs. fake. In the minimax "
              "game the discriminator tries to fool the generator, and the generator tries to "
              "detect when it is fooled. Training continues until the generated distribution "
              "equals the data distribution.")
    assert score_answer(real["q3"], turned).score == 2
    likelihood = ("The training objective is maximum likelihood: the generator maximises the "
                  "likelihood of the training images. The discriminator tells real from fake.")
    assert score_answer(real["q3"], likelihood).score <= 0.5
    # the discriminator's own likelihood of classifying, and a discriminator that is fooled,
    # are the GAN's game
    right = ("The generator produces samples from noise. "
             "The discriminator classifies real versus generated samples and maximises the log "
             "likelihood of classifying both correctly; the discriminator is penalised whenever "
             "it is fooled, and the generator tries to fool the discriminator. At the end the "
             "generated samples are indistinguishable from real data.")
    assert score_answer(real["q3"], right).score == 3


def test_a_pronoun_for_both_stages_together_names_neither(real):
    # "Together they give context and detail" sums up both stages: the context is not credited
    # to the stage named last, so purposes given the wrong way round earn nothing.
    swapped = ("Upsampling is used to enlarge the receptive field so the network gets more "
               "global context, whereas downsampling restores the original resolution so each "
               "pixel can receive a label. Together they give both context and detail.")
    assert score_answer(real["q1_i"], swapped).score == 0
    # "they" alone still stands for the stage it follows
    right = ("Downsampling shrinks the maps. They give the network more global context. "
             "Upsampling restores the original resolution so each pixel gets a label.")
    assert score_answer(real["q1_i"], right).score == 2


def test_a_trailing_though_closes_its_clause_and_the_next_one_names_the_stage(real):
    # "we want a per-pixel output though, so the map is upsampled": "though" ends the clause
    # (it does not open one), so the reason goes with the stage named after "so".
    text = ("The encoder downsamples a lot, which is efficient and captures the semantics. For "
            "segmentation we want a per-pixel output though, so the coarse score map is "
            "upsampled with deconvolution to the image size.")
    assert score_answer(real["q1_i"], text).score == 2
    # "though" opening a clause still opens one
    assert earned(real["q1_i"], text.replace("output though, so", "output, though"),
                  "upsampling") < 1


def test_a_heading_opening_a_bullet_is_the_subject_of_every_sentence_on_it(real):
    # "- Downsampling: ... . Reducing the resolution makes it cheaper ...": the second
    # sentence of the bullet is still about the heading's stage, not the one on the next line.
    text = ("- Downsampling: convolutions at full resolution in every layer would be very "
            "expensive. Reducing the resolution makes the network cheaper and lets each neuron "
            "see a larger part of the image.\n"
            "- Upsampling: the output is too coarse, so it is upsampled to the same size as the "
            "input image so that each pixel receives a class label.")
    result = score_answer(real["q1_i"], text)
    assert result.score == 2
    # a heading in the middle of a line governs its own sentence only (its own sentence here
    # gives no reason: the full resolution's cost would earn the point on its own)
    inline = text.replace("\n- Upsampling:", " Upsampling:").replace("- Downsampling:",
                                                                        "So, downsampling:")
    inline = inline.replace("convolutions at full resolution in every layer would be very "
                            "expensive", "it comes before the rest")
    assert earned(real["q1_i"], inline, "downsampling") < 1


def test_a_table_row_names_its_actor_in_its_first_cell(real):
    # Rows headed by the network ("| Generator G | noise z | fake image | ... |") say what
    # that network does in the cells after it, even under a header naming no network, and a
    # header cell ending in "to" does not make the next row's name a verb.
    table = ("| network | input | output | wants to |\n"
             "|---|---|---|---|\n"
             "| Generator G | noise z | fake image | make D wrong (D says \"real\" on fakes) |\n"
             "| Discriminator D | real or fake image | P(real) | be right on real and fake |\n"
             "The goals are opposite, and at the end the fakes are indistinguishable from "
             "real images.")
    assert score_answer(real["q3"], table).score == 3
    swapped = concepts(real["q3"], swap(table, "Generator G", "Discriminator D"))
    assert swapped["generator_role"] == 0 and swapped["adversarial"] == 0
    # a row-labelled table is a set of notes, not a list of terms
    stages = ("| stage | how | why |\n|---|---|---|\n"
              "| downsampling | pooling / stride 2 conv | less memory + compute, bigger receptive "
              "field |\n"
              "| upsampling | transposed conv | get back HxW of the input -> per-pixel "
              "prediction |")
    assert score_answer(real["q1_i"], stages).score == 2


def test_so_we_do_it_opening_the_next_sentence_gives_the_reason_before_it(real):
    # "... the memory would be too high. So we downsample": the reason is downsampling's;
    # "So, ..." with a comma is often a filler and is not read that way.
    text = ("Keeping full resolution in every layer, the memory and computation would be too "
            "high. So we downsample with pooling. Upsampling restores the input size.")
    assert score_answer(real["q1_i"], text).score == 2
    field = "The deep layers must capture semantic information. So we downsample with pooling."
    assert earned(real["q1_i"], field, "downsampling") == 1
    assert earned(real["q1_i"], field.replace("So we", "So, we"), "downsampling") == 0
    # (the full resolution's cost said too high with no subject is the downsampling's reason
    # whatever joins the sentences: round 80's 'unnamed: anywhere')
    assert earned(real["q1_i"], text.replace("So we", "So, we"), "downsampling") == 1


def test_a_true_but_off_the_point_statement_spares_a_separate_correct_one(real):
    # "the VAE outputs continuous pixel values" is true of a VAE, only not its difference: it
    # cancels the VAE point when it is all the answer says, not beside a separate statement
    # of the continuous, sampled latent (the misconception's spared_by).
    both = ("VQ-VAE quantizes the colours of the output image into a fixed palette of discrete "
            "values, while VAE outputs continuous pixel values and samples its latent from a "
            "Gaussian.")
    assert concepts(real["q2"], both) == {"vqvae_discrete": 0, "vae_continuous": 1}
    alone = ("VQ-VAE quantizes the colours of the output image into a fixed palette of discrete "
             "values, while VAE outputs continuous pixel values.")
    assert concepts(real["q2"], alone) == {"vqvae_discrete": 0, "vae_continuous": 0}
    # the output's own distribution is no statement of the latent
    likelihood = alone.replace("pixel values.", "pixel values from a Gaussian likelihood p(x|z).")
    assert concepts(real["q2"], likelihood)["vae_continuous"] == 0


def test_memorising_the_training_images_is_not_the_aim(real):
    text = ("The generator makes images and the discriminator classifies real vs fake. D "
            "minimises its classification loss while G maximises it, so G is learning to fool "
            "D. The final objective is that G memorises the training images, so that every "
            "generated image is an exact copy of one training image.")
    result = concepts(real["q3"], text)
    assert result["aim"] == 0 and result["adversarial"] == 1
    # memorising named as what must not happen is no misconception
    right = ("G generates images from noise, D classifies real vs fake, G tries to fool D. "
             "Memorising the training set would be a failure; the aim is that the generated "
             "distribution matches the real one.")
    assert score_answer(real["q3"], right).score == 3


def test_contradictions_are_read_in_their_own_clause_and_never_through_a_typo(real):
    game = ("- Generator: maps noise to fake samples.\n- Discriminator: binary classifier, real "
            "vs fake.\n- Training: G tries to fool D, D tries not to be fooled - they have "
            "opposite goals, so it's a two-player game.\n- Objective: generated samples "
            "indistinguishable from real data.")
    assert score_answer(real["q3"], game).score == 3
    hedged = ("The generator turns noise into fake data and the discriminator classifies real vs "
              "fake; D minimises its classification error while G maximises D's mistakes. I'm "
              "fairly (not completely) sure the aim is fakes that can't be told apart from real "
              "samples.")
    assert score_answer(real["q3"], hedged).score == 3
    same = ("The generator turns a latent code into an image and the discriminator scores whether "
            "an image is real or generated. The discriminator maximises its classification "
            "objective, the generator minimises the same objective. At the optimum the samples "
            "are indistinguishable from real ones.")
    assert score_answer(real["q3"], same).score == 3
    # a contradiction stated plainly still counts, and so does one loss minimised together
    assert earned(real["q3"], same + " They do not compete at all.", "adversarial") == 0
    assert earned(real["q3"], "The objective of a GAN is to minimize one common loss together "
                              "so the images get better; the loss is adversarial.",
                  "adversarial") == 0


def test_but_no_takes_back_a_first_thought(real):
    text = ("At first I thought maybe the VAE is the discrete one, but no: the VAE encoder "
            "outputs a mean and a variance, so its latent is a continuous Gaussian. VQ-VAE snaps "
            "the encoder output to the nearest codebook vector, so its latent is discrete.")
    assert score_answer(real["q2"], text).score == 2


def test_a_discrete_vae_named_as_another_model_contradicts_nothing(real):
    text = ("VQ-VAE's latent is discrete, looked up in a codebook. In a VAE the latent follows a "
            "Gaussian distribution. DALL-E used a discrete VAE (dVAE) with Gumbel-softmax.")
    assert score_answer(real["q2"], text).score == 2
    assert earned(real["q2"], "The VAE has a discrete latent and VQ-VAE a continuous one.",
                  "vae_continuous") == 0


def test_spared_by_is_a_list_of_phrasings(tmp_path):
    base = BASE.format(setting="window: 8", actor='"=ant"', phrasing='"walk"')
    misconception = ("misconceptions:\n  - id: m\n    cancels: [c]\n    feedback: Revisit it.\n"
                     '    phrasings: ["run"]\n    spared_by: {value}\n')
    with pytest.raises(RubricError) as exc:
        load_rubric(write(tmp_path, base + misconception.format(value="3")))
    assert "spared_by" in str(exc.value) and "line" in str(exc.value)
    rubric = load_rubric(write(tmp_path, base + misconception.format(value='["walk fast"]')))
    assert [p.source for p in rubric.misconceptions[0].spared_by] == ["walk fast"]


def test_a_label_written_as_a_capital_abbreviation_names_its_stage_anywhere(real):
    # "DS" and "US" in capitals are the stages wherever they stand, not only opening a note;
    # in lower case "us" is a pronoun.
    text = ("1. full res all the way = too costly -> DS. also DS enlarges RF.\n"
            "2. seg needs label for each px at orig res -> US (bilinear / deconv).")
    assert score_answer(real["q1_i"], text).score == 2
    assert earned(real["q1_i"], "It lets us see more context and be cheaper.",
                  "downsampling") == 0


def test_cont_with_a_stop_is_an_abbreviation_not_the_end_of_a_sentence(real):
    assert score_answer(real["q2"], "latent: discrete (VQ-VAE) vs cont. (VAE)").score == 2


def test_a_codebook_lookup_alone_is_the_half_mark(real):
    # the scheme: naming the codebook without saying the latent is what gets quantised
    text = ("VAE has a continuous latent space that you can interpolate in smoothly. VQ-VAE adds "
            "a codebook lookup step in the middle of the network.")
    assert concepts(real["q2"], text) == {"vqvae_discrete": 0.5, "vae_continuous": 1}
    assert earned(real["q2"], text.replace("adds a codebook lookup step in the middle of the "
                                           "network", "snaps each encoder vector to the nearest "
                                           "codebook entry, so its latent is discrete"),
                  "vqvae_discrete") == 1


def test_more_wrong_objects_of_a_gan(real):
    # the networks as prior and posterior; the discriminator as a pixel loss against a target;
    # the generator reproducing the training images exactly
    bayes = ("In a GAN the discriminator learns the prior p(z) and the generator learns the "
             "posterior p(z|x), combined through Bayes' rule. The adversarial part is that the "
             "KL divergence between them is minimised, so the two networks are pushed against "
             "each other.")
    assert score_answer(real["q3"], bayes).score == 0
    pixel = ("The objective is for the generator to reproduce the training images exactly. The "
             "discriminator computes the pixel error between the generator output and the "
             "ground truth image, and the generator is updated until that error is zero.")
    result = concepts(real["q3"], pixel)
    assert result["adversarial"] == 0 and result["aim"] == 0
    # a patch discriminator added to a reconstruction loss (VQ-GAN) is no such claim
    vqgan = ("In VQ-GAN the GAN part is only a patch discriminator added to the reconstruction "
             "loss. The generator synthesises images from a random latent and the discriminator "
             "judges whether an image is real or synthesised; D is trained to catch the fakes, "
             "G to fool D, until the samples are indistinguishable from the training data.")
    assert score_answer(real["q3"], vqgan).score == 3


def test_a_gaussian_likelihood_over_pixels_is_the_vae_output_not_its_latent(real):
    text = ("VQ-VAE quantises the output image so each pixel is one of 256 values, while the VAE "
            "uses a continuous Gaussian likelihood over the pixel values.")
    assert score_answer(real["q2"], text).score == 0


def test_terms_translated_word_for_word_name_the_same_things(real):
    # "sampling-down", "anti-convolution", "feeling field", "dispersed", "counter each other":
    # other languages' textbook terms taken over word for word
    q1 = ("Sampling-down enlarges the feeling field and reduces the computation. Sampling-up "
          "(anti-convolution) brings the feature graph back to the input resolution so every "
          "pixel gets a class.")
    assert score_answer(real["q1_i"], q1).score == 2
    assert score_answer(real["q1_i"], swap(q1, "Sampling-down", "Sampling-up")).score == 0
    q2 = "VQ-VAE: dispersed latent by vector quantification. VAE: continuous Gaussian latent."
    assert score_answer(real["q2"], q2).score == 2
    q3 = ("A GAN trains two nets, the generating net and the discriminating net, which counter "
          "each other.")
    result = concepts(real["q3"], q3)
    assert result["generator_role"] == 0.5 and result["adversarial"] == 0.5


def test_the_means_opening_a_sentence_is_its_actor(real):
    text = ("By pooling the network sees a larger receptive field and needs less memory. "
            "Upsampling then restores the input size so each pixel gets a label.")
    assert score_answer(real["q1_i"], text).score == 2
    # the same purposes given the wrong way round
    swapped = ("By upsampling the network sees a larger receptive field and needs less memory. "
               "Pooling then restores the input size so each pixel gets a label.")
    assert score_answer(real["q1_i"], swapped).score == 0


def test_a_numbered_item_opening_its_line_is_a_note_of_its_own(real):
    text = ("1) pooling/stride 2: RF grows, less memory\n"
            "2) upsample to the original image size -> pixel-wise classification map")
    assert score_answer(real["q1_i"], text).score == 2


def test_the_answer_to_a_students_own_question_is_about_its_subject(real):
    text = ("Why downsample? A bigger receptive field and less memory.\n"
            "Why upsample? One label per input pixel, at the original size.")
    assert score_answer(real["q1_i"], text).score == 2
    # the question names the stage the answer is about, the wrong way round too
    assert score_answer(real["q1_i"], swap(text, "downsample", "upsample")).score == 0
    # a hedge in brackets asks nothing: the answer after it keeps its own subject
    hedged = ("VAE: continuous Gaussian latent.\nVQ-VAE: discrete latent from a codebook, no "
              "posterior collapse (I think?)\nSo the key difference is continuous vs discrete.")
    assert score_answer(real["q2"], hedged).score == 2


def test_roles_side_by_side_are_no_game_and_goals_called_targets_are_no_reconstruction(real):
    roles = "Generator produces images from noise, discriminator classifies real vs generated."
    assert earned(real["q3"], roles, "adversarial") == 0
    targets = ("The generator's loss is small when the discriminator makes a mistake, the "
               "discriminator's loss is small when it classifies correctly, so they optimise "
               "opposite targets.")
    assert earned(real["q3"], targets, "adversarial") == 1
    score = ("The generator wants its fakes to get a high score from the discriminator, which "
             "wants them to get a low one.")
    assert earned(real["q3"], score, "adversarial") == 1
    same = ("The same objective is minimised by G and maximised by D: G wants its fakes judged "
            "real, D wants not to be fooled.")
    assert earned(real["q3"], same, "adversarial") == 1
    # "so that D misclassifies", however far the generator was named before
    so_that = ("G (which takes random noise as input) is optimised so that D misclassifies its "
               "samples as real.")
    assert earned(real["q3"], so_that, "adversarial") == 1


def test_the_vaes_continuous_point_is_not_read_from_the_vq_vaes_clause(real):
    text = ("VQ-VAE adds quantization noise to its continuous latent to regularize it, VAE uses "
            "the KL term instead.")
    assert earned(real["q2"], text, "vae_continuous") < 1


def test_a_property_and_its_noun_before_in_and_an_actor_are_said_of_that_actor(real):
    text = "Discrete (quantised) latent in VQ-VAE vs continuous latent in VAE."
    assert score_answer(real["q2"], text).score == 2
    # a comparison is no statement about the other model
    like = ("VQ-VAE uses a discrete codebook. The latent of VQ-VAE is continuous like in VAE, "
            "where it is sampled from a Gaussian.")
    assert earned(real["q2"], like, "vqvae_discrete") == 0
    # "continuous vs discrete" compares the two: no contradiction of either
    summary = ("VAE: x -> (mu, sigma) -> z = mu + sigma * eps, a continuous Gaussian latent\n"
               "VQ-VAE: x -> z_e -> nearest codeword e_k -> z_q, quantised and discrete\n"
               "So the difference is the latent: continuous vs discrete.")
    assert score_answer(real["q2"], summary).score == 2


def test_what_downsampling_would_lose_and_zero_extra_parameters_are_no_contradictions(real):
    lost = ("Dilated convolution enlarges the receptive field while the feature map stays at "
            "high resolution, so the detail that would be lost by downsampling is kept.")
    assert score_answer(real["q1_iii"], lost).score == 1
    zero = ("Stacked dilated convolutions make the receptive field grow exponentially, and each "
            "one has zero extra parameters.")
    assert earned(real["q1_iii"], zero, "no_loss_or_cost") == 0.5
    # still a contradiction when the dilated layer itself is said to downsample
    assert earned(real["q1_iii"], "Dilated convolution enlarges the receptive field and "
                  "downsampling the map like a strided conv.", "no_loss_or_cost") == 0


def test_the_passive_voice_names_its_actor_after_by(real):
    q3 = ("Samples are generated from random noise by the generator, and a distinction between "
          "real and generated samples is made by the discriminator.")
    assert concepts(real["q3"], q3)["generator_role"] == 0.5
    assert concepts(real["q3"], q3)["discriminator_role"] == 0.5
    # the roles given the wrong way round, in the same voice
    told = ("Images are generated from noise by the generator, and real and fake images are "
            "told apart by the discriminator.")
    assert score_answer(real["q3"], told).score == 1
    assert score_answer(real["q3"], swap(told, "generator", "discriminator")).score == 0
    q1 = ("A reduction of resolution is performed for the acquisition of global context at a "
          "reduced cost; the restoration of the original resolution is then performed by "
          "upsampling so that a class label can be assigned to every pixel.")
    assert score_answer(real["q1_i"], q1).score == 2
    # not into a clause nested in the action: "decides whether it was produced by G"
    nested = ("The generator produces samples from noise, and the discriminator decides whether "
              "a given sample is real or was produced by the generator.")
    assert earned(real["q3"], nested, "discriminator_role") == 0.5


def test_a_purpose_put_first_belongs_to_the_main_clause_after_it(real):
    text = ("In order that high-level semantic features be learned with an affordable amount of "
            "computation, downsampling is employed. Upsampling restores the input resolution "
            "so that every pixel is labelled.")
    assert score_answer(real["q1_i"], text).score == 2
    # a sequence is no main clause: "to reduce the size, then upsample ..."
    sequence = ("to reduce the memory, then upsample to get a full resolution segmentation mask "
                "same as input")
    assert earned(real["q1_i"], sequence, "downsampling") == 0


def test_the_second_side_of_a_comparison_has_its_own_property(real):
    text = ("1) latent: VQ-VAE discrete (indices into a codebook) vs VAE continuous. "
            "2) prior: VQ-VAE learns an autoregressive prior afterwards.")
    assert score_answer(real["q2"], text).score == 2
    # a stop after a closing bracket ends the sentence, even after "etc"
    etc = ("vae = z is continuous (gaussian, reparam trick etc). vqvae = z is discrete bc it "
           "gets replaced by the nearest codebook vector.")
    assert score_answer(real["q2"], etc).score == 2


def test_an_analogy_of_rounding_colours_is_no_quantised_output(real):
    text = ("In a VAE the latent is a smooth continuous cloud you sample from a Gaussian. In "
            "VQ-VAE the latent snaps to the nearest entry of a codebook, like rounding every "
            "colour to a fixed palette, so the latent is discrete.")
    assert score_answer(real["q2"], text).score == 2
    # the output itself rounded is still the wrong object
    assert earned(real["q2"], "VQ-VAE rounds every output pixel colour to a fixed palette.",
                  "vqvae_discrete") == 0


def test_a_discriminator_added_to_a_vae_is_no_vq_vae(real):
    text = ("VQ-VAE is a VAE that adds a vector quantised discriminator, like in a GAN, so the "
            "generated images are sharper.")
    assert earned(real["q2"], text, "vqvae_discrete") == 0


def test_a_firm_statement_is_preferred_to_a_loose_word_and_beating_is_only_the_label(real):
    fool = ("Two networks are trained against each other: one tries to fool the other and the "
            "other tries not to be fooled.")
    assert earned(real["q3"], fool, "adversarial") == 1
    beat = "Two networks are trained against each other, each one trying to beat the other."
    assert earned(real["q3"], beat, "adversarial") == 0.5
    # the generator's own goal, in the counterfeiter's words
    goal = ("The counterfeiter (generator) wants his fakes to pass as real, and the police "
            "(discriminator) want to catch every fake.")
    assert earned(real["q3"], goal, "adversarial") == 1
    # the output looking real is the aim's half mark, not the discriminator's role
    looks = "Two networks play a minimax game until the output looks real."
    assert earned(real["q3"], looks, "discriminator_role") == 0
    # the generator as the one fooled is no statement of its role
    fooled = "The discriminator tries to fool the generator by making better images."
    assert earned(real["q3"], fooled, "generator_role") == 0


def test_a_bracket_right_after_an_actor_glosses_that_actor(real):
    text = ("It is the latent representation: continuous for the VAE (we sample it from the "
            "distribution the encoder outputs) and discrete for the VQ-VAE (nearest codebook "
            "vectors).")
    assert score_answer(real["q2"], text).score == 2


def test_a_factor_before_a_stage_does_not_hide_its_clause(real):
    text = ("With strided layers the receptive field grows much faster and there are fewer FLOPs. "
            "The price is an output stride of 32, so we need 32x upsampling to get back to H x W "
            "and assign a label to each pixel.")
    assert earned(real["q1_i"], text, "upsampling") == 1


def test_costs_that_blow_up_are_no_upsampling(real):
    text = ("At full resolution the memory cost blows up, e.g. 256 channels at 512x512 in float32 "
            "is 256MB per map, so downsampling keeps it cheap. Then we upsample to restore the "
            "original input resolution, one class per pixel.")
    assert score_answer(real["q1_i"], text).score == 2
    shrink = ("If every layer worked on the full size picture, the memory needed would blow up, "
              "so shrinking it keeps the job manageable.")
    assert earned(real["q1_i"], shrink, "downsampling") == 1


def test_a_list_of_applications_numbered_inline_is_still_off_topic(real):
    text = ("GANs are used for: 1. image generation (StyleGAN) 2. super-resolution (SRGAN) "
            "3. image-to-image translation (pix2pix) 4. data augmentation. The generator and "
            "discriminator are adversarial.")
    assert score_answer(real["q3"], text).score == 0


def test_a_continuous_input_is_not_the_vaes_latent(real):
    text = ("VQ-VAE works on discrete tokens. The VAE encodes the raw continuous image directly, "
            "which keeps more detail.")
    assert earned(real["q2"], text, "vae_continuous") == 0
    # the encoder's continuous vector, then snapped, is no contradiction of the discrete latent
    snapped = ("In VQ-VAE the encoder produces a continuous vector which is then snapped to the "
               "nearest vector in a learned codebook, so the latent the decoder sees is "
               "discrete.")
    assert earned(real["q2"], snapped, "vqvae_discrete") == 1
    # quantised only at the output, it still is
    late = ("VQ-VAE learns continuous latent vectors that are then quantised only at the "
            "output.")
    assert earned(real["q2"], late, "vqvae_discrete") == 0


def test_what_goes_wrong_without_a_stage_states_its_purpose(real):
    text = ("No downsampling = huge compute + tiny receptive field; no upsampling = no pixel-wise "
            "output at the input resolution.")
    assert score_answer(real["q1_i"], text).score == 2
    arrows = ("What goes wrong without downsampling -> too expensive.\n"
              "What goes wrong without upsampling -> output smaller than the image, no label per "
              "pixel.")
    assert score_answer(real["q1_i"], arrows).score == 2
    # the benefit said of the absence is no purpose
    assert earned(real["q1_i"], "Without downsampling the network is cheaper.",
                  "downsampling") == 0


def test_formulas_and_names_that_only_look_like_the_point(real):
    # the optimal discriminator's formula is no distribution match
    formula = ("The objective is a two-player minimax game between G and D. "
               "D* = p_data / (p_data + p_g)")
    assert earned(real["q3"], formula, "aim") == 0
    assert earned(real["q3"], "Training ends when p_g = p_data.", "aim") == 1
    # nothing to tell the generator how good it is: no indistinguishability
    tell = ("If we train only the generator there is no loss to tell it how good the samples "
            "are.")
    assert earned(real["q3"], tell, "aim") == 0
    assert earned(real["q3"], "In the end D cannot tell them apart.", "aim") == 1
    # "a discrete VAE" names another model; the VQ-VAE's latent set against the VAE's is not
    dalle = "VQ-VAE-2 generates faces, and the first DALL-E used a discrete VAE for its tokens."
    assert earned(real["q2"], dalle, "vqvae_discrete") == 0
    contrast = "VQ-VAE's latent variables are discrete while VAE's are continuous."
    assert score_answer(real["q2"], contrast).score == 2
    # upsampling said to shrink the receptive field back
    back = ("Downsampling gives context. Upsampling then reduces the receptive field back to "
            "small, which gives sharp boundaries.")
    assert earned(real["q1_i"], back, "upsampling") == 0


def test_a_discriminator_checking_pixels_against_a_target_has_no_role(real):
    text = ("G copies the training images; D checks whether the copy is pixel-identical "
            "(MSE < 0.01).")
    assert earned(real["q3"], text, "discriminator_role") == 0
    # L2 named in passing is no such check
    passing = ("There is a generator that turns noise into images and a discriminator that says "
               "real or fake. The adversarial loss is better than L2.")
    assert earned(real["q3"], passing, "discriminator_role") == 0.5


def test_no_set_off_by_a_comma_answers_and_negates_nothing(real):
    analysis = Analyzer().analyse("Actually no, I think the latent is discrete.")
    discrete = next(t for t in analysis.tokens if t.norm == "discrete")
    assert not analysis.negated_by[discrete.index]
    analysis = Analyzer().analyse("There is no KL term, and no-KL objectives are common.")
    kl = [t for t in analysis.tokens if t.norm == "kl"]
    assert all(analysis.negated_by[t.index] for t in kl)
    # the writer takes the continuous VAE back for a discrete one: the VAE point is lost
    text = ("VQ-VAE: latent is discrete. VAE: latent is continuous... actually no, I think the "
            "VAE latent is also discrete, it's just sampled instead of looked up in a table.")
    assert earned(real["q2"], text, "vae_continuous") == 0
    assert earned(real["q2"], text, "vqvae_discrete") == 1


def test_a_list_of_terms_with_a_closing_remark_is_still_a_list(real):
    terms = "generator, discriminator, minimax, adversarial, real vs fake, Nash equilibrium"
    assert score_answer(real["q3"], terms + ", I mean that's the gist.").score == 0
    assert score_answer(real["q3"], terms + " - that's all I remember").score == 0
    # a closing remark after sentences leaves them sentences
    prose = ("The generator makes fake images from noise and the discriminator says whether an "
             "image is real or fake; the generator tries to fool the discriminator until the "
             "fakes are indistinguishable from real data. That's the gist.")
    assert score_answer(real["q3"], prose).score == 3


def test_both_models_continuous_denies_the_vqvae_its_discrete_latent(real):
    both = "Both have continuous latent spaces; VQ-VAE is called vector quantised."
    assert earned(real["q2"], both, "vqvae_discrete") == 0
    # ... and is right about the VAE: its point in full (round 69: markers gave it the point on
    # 21 of the 22 such answers in the read waves, where the rubric had given half)
    assert earned(real["q2"], both, "vae_continuous") == 1
    # two things of one model, or the encoder output both start from, are not that
    one = ("In VQ-VAE the latent is a discrete codebook index. In a VAE both the posterior and "
           "the prior are continuous Gaussians.")
    assert score_answer(real["q2"], one).score == 2
    start = ("Both start from a continuous encoder output, but VQ-VAE snaps it to the nearest "
             "codebook vector, so its latent is discrete.")
    assert earned(real["q2"], start, "vqvae_discrete") == 1
    # naming the method is no statement that the latent is quantised
    named = "VQ-VAE represents the latent with vectors, that's why it is called vector quantised."
    assert earned(real["q2"], named, "vqvae_discrete") == 0.5


def test_statements_stay_in_their_clause_and_about_their_model(real):
    # "not" of one clause, "separate" of the next: nothing is told apart
    dash = "G not trained against D — separate training. D = real/fake classifier."
    assert earned(real["q3"], dash, "aim") == 0
    assert earned(real["q3"], "In the end D is not able to tell them apart.", "aim") == 1
    # the ELBO said of the VAE, set beside the GAN, is no reconstruction-loss GAN
    vae = ("The VAE is trained by maximising the ELBO. A GAN has two networks: G maps noise to "
           "images, D classifies real vs fake, G tries to fool D in a minimax game, until "
           "p_g = p_data.")
    assert score_answer(real["q3"], vae).score == 3
    assert earned(real["q3"], "A GAN is trained by maximising the ELBO; G tries to fool D.",
                  "adversarial") == 0
    # "first" of the writer's own draft is no order of the stages
    draft = ("Downsampling grows the receptive field. So upsampling is used - I first wrote "
             "'to enlarge the maps', but I mean to restore the input resolution so each pixel "
             "is classified.")
    assert earned(real["q1_i"], draft, "upsampling") == 1
    assert earned(real["q1_i"], "Upsampling is used first, then pooling.", "upsampling") == 0


def test_the_reason_to_a_stage_is_said_of_that_stage(real):
    text = ("The reason to downsample is that the network needs a large receptive field. The "
            "reason to upsample is that segmentation is per-pixel, so the map has to go back "
            "to the input size.")
    assert score_answer(real["q1_i"], text).score == 2
    # "to" before a stage is still an object elsewhere: "pass the map to upsampling"
    passed = "Pooling reduces memory, and we pass the coarse map to upsampling."
    assert earned(real["q1_i"], passed, "downsampling") == 1


def test_arrows_heading_a_note_name_the_stage(real):
    notes = ("↓: pool / stride → res ↓ → compute + mem ↓, RF ↑ → global ctx. "
             "↑: coarse score map → back to input H×W → 1 label per px.")
    assert score_answer(real["q1_i"], notes).score == 2
    lines = ("why ↓: mem+compute ↓, RF ↑ → context for recognising objs\n"
             "why ↑: pred map must be input res → dense (pixelwise) labels")
    assert score_answer(real["q1_i"], lines).score == 2
    assert earned(real["q1_i"], "↓sampling → mem ↓ massively.", "downsampling") == 1
    # an arrow inside a statement still says "goes up" or "goes down"
    analysis = Analyzer().analyse("RF ↑ and memory ↓")
    assert [t.norm for t in analysis.tokens] == ["rf", "increases", "and", "memory", "reduces"]


def test_a_model_named_after_is_a_says_what_kind_of_thing_its_subject_is(real):
    # "It's a VAE with a vector-valued Gaussian latent": the sentence is about "it" (VQ-VAE)
    kind = ("VQ-VAE isn't discrete at all!! It's a VAE with a VECTOR-valued Gaussian latent, "
            "whereas the plain VAE uses a scalar latent.")
    assert earned(real["q2"], kind, "vae_continuous") == 0
    whose = "VQ-VAE is a VAE whose latent is discrete; the VAE's latent is continuous."
    assert score_answer(real["q2"], whose).score == 2
    # after a noun that names no actor, the name is the subject it seems
    half = ("Pooling grows the receptive field. The second half is an upsampling path that "
            "restores the input resolution so every pixel gets a label.")
    assert earned(real["q1_i"], half, "upsampling") == 1


def test_consequences_and_plain_words_of_round_57(real):
    # a prior "fixed in advance as in the VAE": the VAE side is implied (the scheme)
    prior = ("VQ-VAE works with discrete latent codes from a codebook, and its prior is learned "
             "afterwards rather than being fixed in advance as in the VAE.")
    assert earned(real["q2"], prior, "vae_continuous") == 1
    # without having to shrink the image: nothing lost
    shrink = "You get multi-scale context without having to shrink the image."
    assert earned(real["q1_iii"], shrink, "no_loss_or_cost") == 0.5


def test_second_person_answers_keep_their_actors(real):
    # "With a VQ-VAE ..." opens a sentence on its model: not an object of "with"
    opened = ("With a VQ-VAE your latent is a grid of discrete codes from the codebook. "
              "With a VAE you simply sample z from N(0, I) and decode it.")
    assert score_answer(real["q2"], opened).score == 2
    compared = "Compared with the VAE, VQ-VAE has a discrete latent."
    assert earned(real["q2"], compared, "vqvae_discrete") == 1
    # "you let the discriminator generate ... and you let the generator decide": two clauses,
    # the roles swapped
    swapped = ("You let the discriminator generate images from noise and you let the generator "
               "decide if an image is real or fake.")
    assert earned(real["q3"], swapped, "discriminator_role") == 0
    # a one-letter name after "to" is the network, not a verb; the verdict on its fakes
    steps = ("You feed real and fake images to D and train D to classify them correctly. Then "
             "you freeze D and update G so that D says \"real\" on its fakes.")
    assert earned(real["q3"], steps, "adversarial") == 1
    # D's own verdict on real images is no game
    verdict = "D says real on real images, and D says fake on the others."
    assert earned(real["q3"], verdict, "adversarial") == 0


def test_wrong_objects_and_wrong_owners_of_round_58(real):
    # the generator maximising the discriminator's correct classification: no game
    owner = ("The generator produces images from noise and its objective is to maximise the "
             "probability of correctly classifying real and fake images, while the "
             "discriminator minimises this probability.")
    assert earned(real["q3"], owner, "adversarial") == 0
    right = ("D maximises the probability of correctly classifying real and fake images, "
             "while the generator minimises this probability.")
    assert earned(real["q3"], right, "adversarial") == 1
    # upsampling past the input resolution is super-resolution, not the decoder's purpose
    past = "Then you upsample past the input resolution so you get a finer mask."
    assert earned(real["q1_i"], past, "upsampling") == 0
    back = "We upsample back to the input resolution, never past the original size."
    assert earned(real["q1_i"], back, "upsampling") == 1
    # the gradients quantised, or the quantisation adding noise: not the latent
    grads = "VQ-VAE replaces the KL term by a vector quantisation of the gradients."
    assert earned(real["q2"], grads, "vqvae_discrete") == 0
    noise = "VQ-VAE makes it stochastic because you add noise through the vector quantization."
    assert earned(real["q2"], noise, "vqvae_discrete") == 0
    straight = ("VQ-VAE quantises the latent to the nearest codebook vector; since quantisation "
                "has no gradient, the gradients are copied straight through.")
    assert earned(real["q2"], straight, "vqvae_discrete") == 1


def test_passive_aims_latin_abbreviations_and_bracketed_commas(real):
    # "the fakes cannot be distinguished": the aim, not the judge's role, in an answer with
    # unnamed networks; nor "as the name says"
    unnamed = ("Two networks play a minimax game, one tries to fool the other and the other "
               "tries not to be fooled, until the fake samples cannot be distinguished from "
               "the real ones.")
    assert earned(real["q3"], unnamed, "discriminator_role") == 0
    assert earned(real["q3"], unnamed, "aim") == 1
    named = ("A GAN trains two networks against each other (adversarially, as the name says) "
             "until the generated images cannot be told apart from real ones.")
    assert earned(real["q3"], named, "discriminator_role") == 0
    # "e.g." names no generator G
    example = ("A single network trained alone, e.g. an autoencoder with an L2 loss, gives "
               "blurry averages. The generator makes fake images from random noise.")
    assert earned(real["q3"], example, "generator_role") == 0.5
    assert [t.norm for t in Analyzer().analyse("e.g. G, i.e. D").tokens] == ["eg", "g", "ie", "d"]
    # a relative clause runs on past the comma inside "N(mu, sigma)"
    unlike = ("The VQ-VAE, unlike the VAE where z ~ N(mu, sigma) is continuous, maps each "
              "encoder vector to its closest codebook embedding, so the codes are discrete.")
    assert score_answer(real["q2"], unlike).score == 2
    # the answer to the student's own question
    asked = ("to get pixel level labels at the original size you upsample. why downsample at "
             "all then? cuz computing at full res is expensive")
    assert earned(real["q1_i"], asked, "downsampling") == 1


def test_trade_offs_tangents_and_notes_of_round_59(real):
    # the nearest-codebook notes under a heading: claims, not a list of terms
    notes = ("- latent type: VQ-VAE = discrete (finite codebook), VAE = continuous\n"
             "- prior: VQ-VAE learned autoregressive prior, VAE fixed N(0,I)")
    assert score_answer(real["q2"], notes).score == 2
    assert score_answer(real["q3"], "GAN: generator, discriminator, adversarial, minimax, "
                        "realistic, indistinguishable").score == 0
    # a cost listed as a drawback is no purpose
    drawback = ("Advantage of upsampling: it recovers the original image size so the output is "
                "a per-pixel map. Drawback: extra learnable layers (deconvolution) to train.")
    assert earned(real["q1_i"], drawback, "upsampling") == 1
    purpose = "We upsample to add extra learnable parameters to the network."
    assert earned(real["q1_i"], purpose, "upsampling") == 0
    # details "lost by the downsampling" are recovered by another step
    fused = ("Pooling reduces computation and enlarges the receptive field. FCN-8s fuses pool3 "
             "and pool4 predictions to recover details lost by the downsampling.")
    assert earned(real["q1_i"], fused, "downsampling") == 1
    # ASPP is no downsampling stage
    aspp = ("ASPP (atrous spatial pyramid pooling) probes the feature map with several dilation "
            "rates to get multi-scale context and a large receptive field.")
    assert earned(real["q1_i"], aspp, "downsampling") == 0
    # denoising is no purpose of downsampling
    denoise = "So downsampling = denoising and upsampling = reconstruction."
    assert earned(real["q1_i"], denoise, "downsampling") == 0
    # a closing list of uses after the objective; a term added to the game in pix2pix
    uses = ("The generator maps noise to images and the discriminator classifies images as real "
            "or fake; G tries to fool D. GANs are used in image synthesis, super-resolution and "
            "style transfer.")
    assert score_answer(real["q3"], uses).score == 2
    pix = ("G maps noise to an image, D outputs the probability that an image is real, and G "
           "is trained to fool D until its samples are indistinguishable from real data. "
           "pix2pix adds an L1 loss so the output stays close to the target.")
    assert score_answer(real["q3"], pix).score == 3
    # the KL term quantised is the wrong object; "simple" is no typo of "sample"
    kl = "VQ-VAE quantizes the KL divergence term into discrete levels to stabilise training."
    assert earned(real["q2"], kl, "vqvae_discrete") == 0
    assert earned(real["q2"], "VQ-VAE pros: quantization. VAE pros: simple.",
                  "vae_continuous") == 0


def test_actors_named_by_the_answer_of_round_59(real):
    # a metaphor of one network given to the other names it for the whole answer
    swapped = ("The discriminator is the actor: it generates candidate images from noise. The "
               "generator is the critic, which evaluates whether each image is real or fake. "
               "The actor tries to maximise the critic's score while the critic tries to catch "
               "the actor's fakes.")
    assert earned(real["q3"], swapped, "discriminator_role") == 0
    kept = ("The discriminator is the critic: it judges real vs fake. The generator makes fakes "
            "from noise and tries to fool the critic.")
    assert score_answer(real["q3"], kept).score == 2
    # "a two-player non-cooperative game" is no cooperation
    game = ("It is a two-player non-cooperative game. Whatever D gains by catching fakes, G "
            "loses, so G learns to fool D.")
    assert earned(real["q3"], game, "adversarial") == 1
    # an actor opening a line opens a clause; a colon before the determiner too
    sections = ("VQ-VAE\npros: the latent codes are discrete\ncons: codebook collapse\n"
                "VAE\npros: continuous latent sampled from N(0, I)")
    assert score_answer(real["q2"], sections).score == 2
    quoted = ('I would summarise the slide "VAE: continuous, VQ-VAE: discrete" like this: a VAE '
              "draws its latent from a continuous distribution; VQ-VAE restricts the latent to "
              "a finite codebook of discrete vectors.")
    assert score_answer(real["q2"], quoted).score == 2
    # "the output after downsampling" is no subject; "After pooling, ..." opening a sentence is
    after = ("Because the output after downsampling is much smaller than the image, FCN "
             "upsamples the score maps to recover the original input resolution.")
    assert earned(real["q1_i"], after, "upsampling") == 1
    opening = "After downsampling, the receptive field is larger."
    assert earned(real["q1_i"], opening, "downsampling") == 1
    # a Gaussian's own parameters are no continuous weights
    params = ("In the VAE the latent stays continuous, a Gaussian whose parameters the encoder "
              "predicts.")
    assert earned(real["q2"], params, "vae_continuous") == 1


def test_spoken_answers_of_round_60(real):
    # a point taken back right after it is made earns nothing; a separate point stands
    taken = ("The receptive field gets bigger - well, actually, no, I think the receptive field "
             "is the same, it's just sparser sampling. But the output resolution is preserved.")
    assert earned(real["q1_iii"], taken, "larger_context") == 0
    assert earned(real["q1_iii"], taken, "no_loss_or_cost") == 0.5
    # a closing remark after a list of terms does not make it a statement
    listed = ("Generator, discriminator, adversarial, minimax, Nash equilibrium, real vs fake, "
              "p_data, mode collapse. Um, yeah, those are the key things.")
    assert score_answer(real["q3"], listed).score == 0
    # "gen" and "disc" name the networks: the swap is read
    swapped = ("The discriminater produces images from noise and the genarator checks if the "
               "image is fake or real. It's a minimax game where the disc tries to fool the gen "
               "and the gen tries to spot the fakes.")
    assert score_answer(real["q3"], swapped).score == 0
    # a role said of no one is no swap: "the generated data should be ..."
    spoken = ("So you have, um, a generator and a discriminator, two networks. One tries to fool "
              "the other and the other one tries not to be fooled. In the end the generated "
              "data should be indistinguishable from the real data.")
    assert earned(real["q3"], spoken, "adversarial") == 1
    # items numbered inline are sentences of their own
    items = ("1) latent: VQ-VAE discrete (nearest codebook vector), VAE continuous Gaussian "
             "2) VQ-VAE has no KL loss, uses codebook + commitment loss instead")
    assert score_answer(real["q2"], items).score == 2


def test_likenesses_and_wrong_objects_of_round_60(real):
    # "think of downsampling as making a thumbnail": the thumbnail is the stage
    thumb = ("Think of downsampling as making a thumbnail of the photo. The thumbnail is much "
             "cheaper to work with (less memory and computation). But a thumbnail is no good as "
             "a segmentation mask, so the FCN upsamples the coarse score map back to the "
             "original image resolution.")
    assert score_answer(real["q1_i"], thumb).score == 2
    then = ("The FCN downsample the input with pooling layers. Then it has to upsample to get "
            "back to the input image resolution.")
    assert earned(real["q1_i"], then, "upsampling") == 1
    task = "Decoder: second half. This is the standard design for dense prediction tasks."
    assert earned(real["q1_i"], task, "upsampling") == 0
    # the discriminator as an object classifier; the analogy that names real and fake is kept
    imagenet = ("The discriminator is trained with softmax cross entropy over the ImageNet "
                "classes, and the generator produces images that the discriminator should "
                "classify into the correct class with high confidence.")
    assert earned(real["q3"], imagenet, "discriminator_role") == 0
    assert earned(real["q3"], imagenet, "adversarial") == 0
    like = ("The generator produces images from noise; the discriminator is like an ImageNet "
            "classifier but with two classes, real and fake.")
    assert earned(real["q3"], like, "discriminator_role") == 0.5
    # q2: the decoder said to be discrete, the output said to be continuous; what is passed to
    # the decoder, and the image after its codebook entries, are the latent's
    decoder = ("VQ-VAE is discrete... I mean, the decoder is discrete, it outputs categorical "
               "pixels.")
    assert earned(real["q2"], decoder, "vqvae_discrete") == 0
    passed = ("The VAE latent is a continuous Gaussian, while the VQ-VAE snaps it to the closest "
              "codebook entry, so the representation it passes to the decoder is discrete.")
    assert score_answer(real["q2"], passed).score == 2
    grid = ("VQ-VAE makes the latent discrete: each encoder output vector is snapped to its "
            "nearest codebook entry, so the image is represented as a grid of code indices.")
    assert earned(real["q2"], grid, "vqvae_discrete") == 1
    output = ("In VQ-VAE every output pixel is quantised to the nearest codebook colour. The VAE "
              "produces continuous values at the output.")
    assert earned(real["q2"], output, "vae_continuous") == 0


def test_symbol_notes_of_round_61(real):
    # an arrow opening a clause and then acting is the stage: "↓ makes it easier ..."
    acting = "↓ makes it easier to process, ↑ makes it bigger"
    assert earned(real["q1_i"], acting, "downsampling") == 0.5
    assert earned(real["q1_i"], acting, "upsampling") == 0.5
    notes = ("FCN: ↓ for efficiency + semantic ctx; ↑ bc seg needs output res = input res "
             "(pixel-level labels)")
    assert score_answer(real["q1_i"], notes).score == 2
    assert [t.norm for t in Analyzer().analyse("memory ↓ so RF ↑").tokens] == [
        "memory", "reduces", "so", "rf", "increases"]
    # a lower resolution for a larger field, with no stage named
    assert earned(real["q1_i"], "↓res → ↑RF. ↑ via deconv", "downsampling") == 1
    # "VQ:" names the model; z ~ N(μ, σ) is a Gaussian latent
    symbols = "VAE: z~N(μ,σ) via reparam. VQ: z_e → argmin_k ‖z_e − e_k‖ → z_q (discrete codes)"
    assert score_answer(real["q2"], symbols).score == 2
    # the generator's note from noise to fakes; "imgs" are images
    assert earned(real["q3"], "G: z~N(0,I) → fake x; D: real vs fake.", "generator_role") == 0.5
    assert earned(real["q3"], "G makes fake imgs, D detects fakes. adversarial training → "
                  "realistic imgs.", "aim") == 0.5
    assert earned(real["q1_iii"], "captures more ctx, multi-scale objs", "larger_context") == 0.5


def test_wrong_objects_and_verdicts_of_round_61(real):
    # gradients quantised; the VQ-VAE's latent "still Gaussian like a normal VAE"
    grads = ("VQ-VAE is a VAE with vector-quantized gradients, meaning the gradients are rounded "
             "to discrete values during backprop. The latent is still Gaussian like a normal VAE.")
    assert score_answer(real["q2"], grads).score == 0
    # the VAE decoder's Gaussian over pixels is no latent
    decoder = ("In VQ-VAE the decoder output gets vector-quantised; in the VAE the decoder "
               "outputs a Gaussian over pixels.")
    assert earned(real["q2"], decoder, "vae_continuous") == 0
    # the judge's own verdict is no game
    verdict = ("The generator produces samples from noise and the discriminator says whether an "
               "input is real.")
    assert earned(real["q3"], verdict, "adversarial") == 0


def test_beliefs_reported_then_denied_round_62(real):
    # someone else's belief, denied: not the writer's claim
    denied = ("People often think upsampling recovers the exact details that were lost in "
              "pooling - it can't, those are gone. Downsampling is for lowering the cost.")
    assert earned(real["q1_i"], denied, "upsampling") == 0
    assert earned(real["q1_i"], denied, "downsampling") == 1
    myth = ("A common misconception is that VAE latents are continuous. Actually the VAE uses "
            "discrete latent categories.")
    assert earned(real["q2"], myth, "vae_continuous") == 0
    # ... and a misconception reported and denied cancels nothing
    student = ("Many student think the difference is VQVAE have no encoder. Not true. The key "
               "different is the latent: VAE latent continuous (gaussian distribution), VQVAE "
               "latent discrete, choose from embedding dictionary.")
    assert score_answer(real["q2"], student).score == 2
    # a reported belief the writer endorses stands
    endorsed = "People think dilated conv makes the receptive field bigger, and that's right."
    assert earned(real["q1_iii"], endorsed, "larger_context") == 0.5


def test_notes_numbers_and_quantised_losses_round_62(real):
    # a decimal point ends no sentence
    analysis = Analyzer().analyse("at equilibrium D outputs 0.5 everywhere")
    assert len({t.sentence for t in analysis.tokens}) == 1
    chance = "D tells real from fake, G tries to fool D. at equilibrium D outputs 0.5 everywhere"
    assert earned(real["q3"], chance, "aim") == 1
    # the note-taker's "w/" and "b/c"; an arrow heading a numbered item
    norms = [t.norm for t in Analyzer().analyse("latents w/ codebook b/c RF").tokens]
    assert norms == ["latents", "with", "codebook", "because", "rf"]
    items = ("Motivation — (1) ↓: ↑RF, captures global ctx + semantics; ↓FLOPs & memory. "
             "(2) ↑: recover spatial size lost by pooling, output = same size as input → dense "
             "per-pixel classification.")
    assert score_answer(real["q1_i"], items).score == 2
    notes = ("VQ-VAE learns discrete latents w/ codebook + straight-through grad; VAE learns "
             "continuous latents w/ Gaussian prior")
    assert score_answer(real["q2"], notes).score == 2
    # the KL term quantised, the KL computed "continuously": neither latent
    kl = ("In VQ-VAE the KL divergence term is vector-quantized into discrete bins before "
          "loss.backward(), whereas VAE computes the KL continuously.")
    assert earned(real["q2"], kl, "vqvae_discrete") == 0
    assert earned(real["q2"], kl, "vae_continuous") < 1
    # "G wants D to say 'real' on fakes" is the game
    game = "G creates fakes from z; D classifies. G wants D to say 'real' on fakes."
    assert earned(real["q3"], game, "adversarial") == 1


def test_upsampling_for_display_round_62(real):
    cosmetic = ("Many people think upsampling is needed to get a pixel-wise output, but actually "
                "the upsampling is just to make the mask look smoother and bigger for "
                "visualisation. Downsampling is used to reduce memory.")
    assert earned(real["q1_i"], cosmetic, "upsampling") == 0
    purpose = ("We upsample back to the input size so every pixel gets a label, not just to make "
               "it look nicer.")
    assert earned(real["q1_i"], purpose, "upsampling") == 1


def test_dialogues_and_names_round_63(real):
    # a tutor's reply settles the student's line: "Other way round", "Not really"
    turned = ("Student: G makes fake images and D judges them? TA: Other way round. The "
              "discriminator generates images and the generator checks whether they're real or "
              "fake.")
    assert earned(real["q3"], turned, "generator_role") == 0
    overruled = ("Student: So G makes fakes from noise and D tries to spot them. And the aim is "
                 "that p_g = p_data? TA: Not really. The real objective is a strong classifier.")
    assert earned(real["q3"], overruled, "aim") == 0
    assert earned(real["q3"], overruled, "generator_role") == 0.5
    confirmed = "Student: so the aim is p_g = p_data? TA: Yes, exactly."
    assert earned(real["q3"], confirmed, "aim") == 1
    # "that's NOT the real reason" denies a reported belief
    denied = ("A lot of people think downsampling in FCN is about reducing computation, but "
              "that's NOT the real reason, the real reason is to make the network deeper.")
    assert earned(real["q1_i"], denied, "downsampling") == 0
    # the model's name is no bare label, and GANs generating data is no network's role ...
    name = ("The objective of GANs is to generate new data. GAN stands for Generative "
            "Adversarial Network, introduced in 2014.")
    assert score_answer(real["q3"], name).score == 0
    # ... but two networks named are the roles' half mark, as markers give it
    two = "GANs learn to generate new data by training two networks together."
    assert earned(real["q3"], two, "generator_role") == 0.5
    assert earned(real["q3"], "G and D compete with each other.", "adversarial") == 0.5


def test_notes_dashes_and_abbreviations_round_64(real):
    # a numbered note with a spaced dash says which stage does what: no list of terms
    dashed = ("1. downsampling - fewer FLOPs / memory, more global 'what' info\n"
              "2. upsampling - coarse -> HxW, class per pixel")
    assert score_answer(real["q1_i"], dashed).score == 2
    # a heading's brackets are an aside, and "prob." ends no note
    terse = ("Objective = two-player minimax. D: maximise prob. of correct real/fake label. "
             "G (noise -> sample): minimise log(1 - D(G(z))), i.e. fool D. Optimum: p_g = p_data.")
    assert score_answer(real["q3"], terse).score == 3
    # ... while a bare list of terms is still capped
    listed = "Generator, discriminator, minimax, adversarial, distribution, fake, real."
    assert score_answer(real["q3"], listed).score <= 1


def test_roles_stated_both_ways_round_64(real):
    both = ("The generator produces fake images from random noise, and the discriminator tries "
            "to distinguish these fake images from real ones. The generator wants to fool the "
            "discriminator, while the discriminator wants to catch the fakes, so they are "
            "trained in a minimax game. To sum up, the discriminator generates samples and the "
            "generator decides if they are real, and training finishes when the fakes are "
            "indistinguishable from real data.")
    result = score_answer(real["q3"], both)
    got = {c.id: c.earned for c in result.concepts}
    assert got["generator_role"] == got["discriminator_role"] == 0
    assert got["adversarial"] == 1 and got["aim"] == 1
    right = ("G generates fakes to fool D, and D classifies real vs fake, so D is trained on "
             "what G generates.")
    assert earned(real["q3"], right, "generator_role") == 0.5
    # the generator's fakes shown to the discriminator, and a game naming both, are no roles
    # stated the other way
    shown = ("The generator takes a random noise vector and turns it into a face image. The "
             "discriminator is shown both real face photos and the generator's faces and has to "
             "say which is real and which is generated. D wants to maximise the probability of "
             "labelling real and fake correctly; G wants to maximise the probability that D "
             "makes a mistake on its fakes.")
    assert concepts(real["q3"], shown)["generator_role"] == 0.5
    assert concepts(real["q3"], shown)["discriminator_role"] == 0.5


def test_negation_scopes_end_at_dashes_not_arrows_round_64(real):
    assert earned(real["q2"], "The VAE latent is not discrete - it's a continuous Gaussian.",
                  "vae_continuous") == 1
    assert earned(real["q2"], "The VAE latent is not continuous.", "vae_continuous") == 0
    # an arrow carries a counterfactual to its consequence: "without X -> Y"
    counterfactual = ("What goes wrong without downsampling -> too expensive, receptive field "
                      "stays small.")
    assert earned(real["q1_i"], counterfactual, "downsampling") == 1


def test_wrong_objects_and_contradictions_round_64(real):
    # both models given a discrete latent contradicts the VAE's point
    both = ("In the VAE the latent is sampled from a continuous Gaussian. In conclusion, both "
            "models actually end up with a discrete latent space.")
    assert earned(real["q2"], both, "vae_continuous") == 0
    # the input's pixels snapped, not the latent at each position
    pixels = ("VQ-VAE discretises the spectrogram itself: each pixel value of the spectrogram is "
              "snapped to one of K codebook levels. The VAE learns a Gaussian latent space.")
    assert earned(real["q2"], pixels, "vqvae_discrete") == 0
    latent = ("VQ-VAE quantises the latent: each pixel of the latent map is snapped to the "
              "nearest codebook vector; the VAE's latent is a continuous Gaussian.")
    assert earned(real["q2"], latent, "vqvae_discrete") == 1
    # the camera's downsampling is not the network's
    camera = ("The downsampling is done by the car camera, it records at low resolution to save "
              "bandwidth.")
    assert earned(real["q1_i"], camera, "downsampling") == 0
    assert earned(real["q1_i"], "Downsampling is done by pooling layers so the computation is "
                                "lower.", "downsampling") == 1
    # a receptive field said to be no larger than a standard layer's
    same = "The receptive field of dilated conv is the same as standard conv."
    assert earned(real["q1_iii"], same, "larger_context") == 0
    assert earned(real["q1_iii"], "Larger RF, same resolution.", "no_loss_or_cost") == 0.5
    skip = "With dilated conv we can skip the downsampling so the output map is dense."
    assert earned(real["q1_iii"], skip, "no_loss_or_cost") == 0.5


def test_table_rows_read_as_notes_round_65(real):
    from autograder.rubric.text import _table_rows_as_notes

    boxed = ("+------+------------------------------------------------+\n"
             "| Down | large receptive field, less FLOPs              |\n"
             "| Up   | output same size as input -> label every pixel |\n"
             "+------+------------------------------------------------+")
    assert len(_table_rows_as_notes(boxed)) == len(boxed)      # offsets kept
    assert score_answer(real["q1_i"], boxed).score == 2
    models = ("| model  | latent                          |\n"
              "|--------|---------------------------------|\n"
              "| VAE    | continuous (Gaussian)           |\n"
              "| VQ-VAE | discrete, quantised to codebook |")
    assert score_answer(real["q2"], models).score == 2
    assert _table_rows_as_notes(models) == models   # a Markdown table is read as a table
    # a conditional is no table: "q(z|x)"
    conditional = "VAE: q(z|x) is a Gaussian"
    assert _table_rows_as_notes(conditional) == conditional
    # rows run together with semicolons, and a first column of labels ("property") left as is
    inline = "VQ-VAE vs VAE: VQ-VAE | uses a codebook ; VAE | samples z from N(mu, sigma)"
    assert concepts(real["q2"], inline) == {"vqvae_discrete": 0.5, "vae_continuous": 1}
    labelled = "property | VAE | VQ-VAE\nlatent | codebook | Gaussian"
    assert _table_rows_as_notes(labelled) == labelled
    # the purposes swapped between the rows is the stages' order wrong, and a header's "why"
    # asks nothing
    swapped = ("stage | why\n"
               "downsampling | restore the original resolution for pixelwise labels\n"
               "upsampling | reduce memory and cost")
    assert score_answer(real["q1_i"], swapped).score == 0
    # the goals swapped between the rows: the game is not credited
    goals = ("network | input | output | goal\n"
             "G | noise | fake image | detect fakes\n"
             "D | image | real/fake probability | fool the other")
    assert earned(real["q3"], goals, "adversarial") == 0
    # a table naming its subjects in the columns is left as written
    columns = "| | Generator | Discriminator |\n| input | noise z | image |"
    assert _table_rows_as_notes(columns) == columns


def test_wrong_objects_and_same_direction_round_65(real):
    labels = ("The ground truth label map is downsampled so the classes become coarse and easier "
              "to learn, and the input image is upsampled so the network can see more details.")
    assert score_answer(real["q1_i"], labels).score == 0
    right = ("The encoder downsamples to cut computation and enlarge the receptive field; the "
             "decoder upsamples the coarse map back to the input image size so each pixel gets "
             "a label.")
    assert score_answer(real["q1_i"], right).score == 2
    weights = ("VQ-VAE quantizes the network weights to 8 bit for faster inference, and VAE keeps "
               "float32 weights that are continuous.")
    assert score_answer(real["q2"], weights).score == 0
    same = ("The generator turns noise into images and the discriminator says if the image is "
            "real or fake. Both networks push in the same direction.")
    assert earned(real["q3"], same, "adversarial") == 0
    # a note's claim with its own subject is a statement, not a run of terms
    noted = ("- Generator: takes noise, makes fake images\n"
             "- Discriminator: classifies real vs fake\n"
             "- Minimax game: G tries to fool D, D tries to catch G's fakes\n"
             "- End: D outputs 0.5 everywhere")
    assert score_answer(real["q3"], noted).score == 3


def test_quoted_answers_and_headings_round_66(real):
    # another's answer quoted and then turned round is not the writer's claim
    turned = ('A classmate wrote "downsampling gives a large receptive field, upsampling '
              'restores resolution". I think it\'s the other way round: upsampling is what makes '
              "the receptive field larger because the feature map gets bigger, and downsampling "
              "is needed to match the label map which is smaller than the image.")
    assert score_answer(real["q1_i"], turned).score == 0
    # ... and one the writer agrees with is: here the game it states is inverted
    agreed = ('Classmate\'s answer: "The generator wants to produce images that the '
              'discriminator labels as fake, and the discriminator wants to be fooled." I agree.')
    assert earned(real["q3"], agreed, "adversarial") == 0
    # a bracketed aside between a label and its colon, and a bullet run on in its line
    figure = ("Down (left of fig.): larger receptive field, less compute. Up (right of fig.): "
              "back to input res for pixel-wise labels.")
    assert score_answer(real["q1_i"], figure).score == 2
    inline = ("- down: pooling enlarges receptive field + reduces computation (it would OOM "
              "without it)  - up: recover spatial resolution to input size -> dense per-pixel "
              "prediction")
    assert score_answer(real["q1_i"], inline).score == 2


def test_decoders_are_not_the_latent_round_66(real):
    decoder = ("VQ-VAE is discrete because its decoder is an autoregressive model (PixelCNN) "
               "that generates pixel by pixel, but the VAE decoder is continuous.")
    assert score_answer(real["q2"], decoder).score == 0
    right = ("VQ-VAE's latent is discrete, the nearest codebook vector; the VAE's latent is a "
             "continuous Gaussian sample.")
    assert score_answer(real["q2"], right).score == 2


def test_study_guides_and_verdicts_round_67(real):
    # a belief labelled as a mistake is denied by its label
    guide = ("Two networks: the generator G maps random noise to fake samples, the discriminator "
             "D classifies inputs as real or fake. They play a minimax game: G tries to fool D, "
             "D tries to catch G's fakes. The objective is reached when G's distribution matches "
             "the data distribution. Common mistake: thinking a GAN minimises reconstruction "
             "error like an autoencoder.")
    assert score_answer(real["q3"], guide).score == 3
    terse = ("VQ-VAE: discrete latent (codebook). VAE: continuous latent (Gaussian). Mistake: "
             "'VQ-VAE has no encoder' - it does.")
    assert score_answer(real["q2"], terse).score == 2
    # the judge's verdict is no goal of the generator's, and a classifier's label no
    # reconstruction target
    verdict = ("G generates samples from z, D outputs the probability that the input is real "
               "(trained with BCE).")
    assert earned(real["q3"], verdict, "adversarial") == 0
    bce = ("The discriminator is a real/fake classifier, its loss is just BCE on real images "
           "(target 1) and generated ones (target 0). The generator maps noise to images: it "
           "wants D to be wrong, while D wants to be right. This pushes the generator's samples "
           "to become indistinguishable from the real ones.")
    assert earned(real["q3"], bce, "aim") == 1
    # a note heading after a closing bracket on the same line
    inline = ("VQVAE: discrete latent representation (codebook index) VAE: continuous latent, "
              "learn mean and variance then sampling")
    assert score_answer(real["q2"], inline).score == 2


def test_inputs_outputs_and_latents_round_67(real):
    output = ("VQ-VAE quantises the output pixels into 256 colour bins, whereas the VAE outputs "
              "continuous Gaussian pixel values.")
    assert score_answer(real["q2"], output).score == 0
    inputs = ("VQ-VAE is the discrete one because it works on discrete pixel values (0-255) as "
              "input, while VAE works on continuous input data.")
    assert earned(real["q2"], inputs, "vqvae_discrete") == 0
    latent = ("A normal VAE has a continuous Gaussian latent. In VQ-VAE the encoder output is "
              "snapped to the nearest codebook vector, so the latent is discrete. It's the latent "
              "that gets quantised, the decoder output is normal.")
    assert score_answer(real["q2"], latent).score == 2


def test_answers_in_the_voice_of_a_part_round_67(real):
    voiced = ("As the discriminator I want to maximise the probability of correctly labelling "
              "real and fake samples; the generator wants to minimise exactly that.")
    assert earned(real["q3"], voiced, "discriminator_role") == 0.5
    both = ("As a VAE, my latent space is continuous, I sample z ~ N(mu, sigma^2). And as the "
            "VQ-VAE (other voice now) my latent codes are discrete indices into a learned "
            "embedding table.")
    assert score_answer(real["q2"], both).score == 2
    # "If I were a VAE" changes the voice; "my cousin the VAE" is the VAE, not the speaker
    counterfactual = ("As a VQ-VAE, my latent is a discrete code from a finite codebook. If I "
                      "were a VAE instead, I would have a continuous latent sampled from a "
                      "Gaussian.")
    assert score_answer(real["q2"], counterfactual).score == 2
    cousin = ("I'm a VQ-VAE: my encoder's output gets snapped to the nearest vector in my "
              "codebook, so my latent is discrete. My cousin the VAE has a continuous latent.")
    assert score_answer(real["q2"], cousin).score == 2
    # a part named by its own verb speaks, whatever part the writer said they were
    stage = ("I am the decoder. First I downsample the image so I get a bigger receptive field, "
             "then I upsample it back to the input size because we need pixelwise labels.")
    assert score_answer(real["q1_i"], stage).score == 2
    # the writer's own "I" without a part declared is no actor
    plain = "I think the generator makes fake images from noise."
    assert earned(real["q3"], plain, "generator_role") == 0.5


def test_mark_brackets_and_stops_inside_brackets_round_68(real):
    # the writer's own mark allocations divide the answer into points
    bracketed = ("[1] VQ-VAE: the latent is discrete, a codebook index [1] VAE: continuous "
                 "Gaussian latent")
    assert score_answer(real["q2"], bracketed).score == 2
    trailing = "VQ-VAE has a discrete latent (1 mark) VAE has a continuous latent (1 mark)"
    assert score_answer(real["q2"], trailing).score == 2
    # "(strided conv.) then ...": the sentence runs on past the abbreviation's full stop
    aside = ("Downsampling (pooling or strided conv.) then gives a bigger receptive field. "
             "Upsampling (transposed conv.) then maps back to the input size for per-pixel "
             "labels.")
    assert score_answer(real["q1_i"], aside).score == 2


def test_the_other_network_and_unnamed_parts_round_68(real):
    # "the other network" is the part not named last: here the generator, doing the
    # discriminator's job, so neither role is credited
    swapped = ("The discriminator takes noise and outputs a fake image, and the other network "
               "tells real from fake.")
    assert earned(real["q3"], swapped, "generator_role") == 0
    assert earned(real["q3"], swapped, "discriminator_role") == 0
    right = "The generator makes fake images from noise and the other network tells real from fake."
    assert earned(real["q3"], right, "discriminator_role") == 0.5
    # an answer naming no part says what the whole model is for, not a part's role
    whole = "The objective is to generate new realistic data."
    assert earned(real["q3"], whole, "generator_role") == 0
    unnamed = ("One network dreams up pictures from noise, the other inspects them and says "
               "real or fake.")
    assert earned(real["q3"], unnamed, "generator_role") == 0.5


def test_plain_denials_and_vague_benefits_round_68(real):
    # the concept's statement plainly denied earns none of its partial credit
    denied = "VQ-VAE is not discrete, it only adds a vector quantisation loss to the VAE."
    assert earned(real["q2"], denied, "vqvae_discrete") == 0
    # a contrast is no denial: "not continuous like VAE" says the VAE's latent is continuous
    contrast = "VQ-VAE uses a discrete codebook latent, not continuous like VAE."
    assert score_answer(real["q2"], contrast).score == 2
    # efficiency said of the downsampling is a vague benefit (half its mark); tied to no stage
    # it earns nothing
    vague = ("Downsampling is for efficiency. Upsampling gives the output the input's size so "
             "every pixel gets a label.")
    assert score_answer(real["q1_i"], vague).score == 1.5
    assert score_answer(real["q1_i"], "It gives more accurate and efficient results.").score == 0


def test_means_opening_a_clause_and_purposes_of_the_previous_sentence_round_69(real):
    # "that with downsampling the network sees more": the means opens the clause and acts
    means = ("The motivation is that with downsampling the network can see a larger context of "
             "the image, so it understands the whole object.")
    assert earned(real["q1_i"], means, "downsampling") == 1
    # a sentence opening on the purpose of what the previous one described
    steps = ("1. Firstly the image is passed through convolution and pooling, resolution becomes "
             "lower. The motivation is to reduce computation cost and get a bigger receptive "
             "field. 2. Secondly use upsampling to make the output back to the same size as the "
             "input image for pixel-wise classification.")
    assert score_answer(real["q1_i"], steps).score == 2
    # ... but not across a stage named in the wrong place
    wrong = "First the decoder upsamples. The reason is to get a bigger receptive field."
    assert earned(real["q1_i"], wrong, "downsampling") == 0
    assert earned(real["q1_i"], "Downsampling removes noise from the image.", "downsampling") == 0


def test_spaced_dash_headings_and_swapped_letters_round_69(real):
    # a note heading after a spaced dash on the same line
    dashes = ("- generator: creates fake data from noise, tries to fool the discriminator "
              "- discriminator: distinguishes real vs fake, tries to detect the fakes "
              "- minimax game between the two - objective: generator produces data that cannot "
              "be distinguished from the real data")
    assert score_answer(real["q3"], dashes).score == 3
    # "D tries to fool G": the judge deceiving is no competition, and no bare "minimax" saves it
    swapped = ("G makes fake images from noise. D classifies real vs fake. D tries to fool G and "
               "G tries to detect D's mistakes, it is a minimax game.")
    assert earned(real["q3"], swapped, "adversarial") == 0
    # the objective as two updates, each with its player
    updates = ("Step 1: max_D E_x[log D(x)] + E_z[log(1 - D(G(z)))]. Step 2: min_G "
               "E_z[log(1 - D(G(z)))]. Step 3: alternate step 1 and step 2.")
    assert earned(real["q3"], updates, "adversarial") == 1
    nobody = ("The generator produces images so good that nobody can distinguish the fake from "
              "the real ones.")
    assert earned(real["q3"], nobody, "aim") == 1
    against = "The generator is trained against a discriminator."
    assert earned(real["q3"], against, "adversarial") == 0.5


def test_what_is_quantised_and_both_latents_round_69(real):
    # the decoder working from the quantised latent is no quantised output
    decoded = ("VQ-VAE: the encoder output is replaced by the nearest codebook vector, so the "
               "latent is discrete, and the decoder reconstructs from the quantized latent.")
    assert earned(real["q2"], decoded, "vqvae_discrete") == 1
    then = "First VQ-VAE uses vector quantization, then the decoder generates the image."
    assert earned(real["q2"], then, "vqvae_discrete") == 0.5
    # a likelihood p(x|z) is no latent: the continuous output stays a misconception
    output = ("VQ-VAE quantizes the output image to a palette. A VAE outputs continuous pixel "
              "values, p(x|z) Gaussian.")
    assert score_answer(real["q2"], output).score == 0
    # "both have a continuous latent" is right about the VAE
    both = ("Both have a continuous latent; VQ-VAE only adds a quantisation loss on the "
            "weights.")
    assert earned(real["q2"], both, "vae_continuous") == 1
    # how the encoder is trained is not whether it exists
    backprop = ("In VAE the latent is continuous, sampled from a normal distribution. In VQVAE "
                "the latent is discrete, the nearest codebook vector. So VQVAE does not need "
                "backpropagation for the encoder.")
    assert score_answer(real["q2"], backprop).score == 2


def test_scanned_scripts_are_read_through_ocr_misreadings_round_70(real):
    # "rn" read for "m" and digits for letters, as an OCR of handwriting gives them
    scanned = ("Down-sampling reduces the cornputation and the rnemory; up-sarnpling restores the "
               "0riginal input size so each pixe1 gets a label.")
    assert score_answer(real["q1_i"], scanned).score == 2
    # ... but a layer's name and number is no misreading: "pool3" is not "poole"
    layers = ("Downsampling is for semantics. Upsampling with skips from pool4 and pool3 goes "
              "back to the image size so every pixel is labelled.")
    assert score_answer(real["q1_i"], layers).score == 2
    from autograder.rubric.words import ocr_reading
    assert ocr_reading("cornpute") == "compute" and ocr_reading("resoluti0n") == "resolution"
    assert ocr_reading("3x3") is None and ocr_reading("vgg16") is None


def test_spoken_corrections_and_epithets_round_70(real):
    # a spoken self-correction takes back what it corrects
    spoken = ("So VAE has a discrete - sorry, I mean VQ-VAE - VQ-VAE has a discrete latent "
              "space, and the normal VAE has a continuous one.")
    assert score_answer(real["q2"], spoken).score == 2
    again = ("In VQ-VAE the latent is, uh, continuous - no, discrete, sorry, discrete, it's "
             "quantised to the codebook. And VAE is continuous.")
    assert score_answer(real["q2"], again).score == 2
    # "..., and the standard VAE has ...": the epithet opens the VAE's own clause
    standard = "VQ-VAE has a discrete latent space, and the standard VAE has a continuous one."
    assert score_answer(real["q2"], standard).score == 2


def test_denied_attempts_and_widened_gaps_round_70(real):
    # no attempt to tell real from fake is neither the judge's job nor the aim
    denied = ("The discriminator does not try to tell real from fake, it just helps the "
              "generator. The generator generates images from noise.")
    assert earned(real["q3"], denied, "discriminator_role") == 0
    assert earned(real["q3"], denied, "aim") == 0
    # the attempt failing in the end still is the aim
    failing = "In the end the discriminator cannot distinguish real from fake."
    assert earned(real["q3"], failing, "aim") == 1
    widened = ("The final objective is for the generator to maximise the Jensen-Shannon "
               "divergence between p_g and p_data.")
    assert earned(real["q3"], widened, "aim") == 0
    narrowed = "G minimises the JS divergence between p_g and p_data."
    assert earned(real["q3"], narrowed, "aim") == 1


def test_where_the_codebook_acts_round_70(real):
    after = ("VQ-VAE adds a quantization step after the decoder so the generated image pixels "
             "are discrete values.")
    assert earned(real["q2"], after, "vqvae_discrete") == 0
    mapped = "VQ-VAE has a codebook, the output of the encoder is mapped to the codebook entries."
    assert earned(real["q2"], mapped, "vqvae_discrete") == 1
    grid = ("In VQ-VAE the latent space is discrete: every encoder output vector is replaced by "
            "the closest vector in a codebook, so an image turns into a grid of indices.")
    assert earned(real["q2"], grid, "vqvae_discrete") == 1


def test_relative_clauses_whereby_and_compounds_round_71(real):
    # "whereby" as German writers use it, for "whereas", opens a clause
    whereby = ("In VAE the latent space is continuous, whereby in VQ-VAE the latent space is "
               "discretised through vector quantisation.")
    assert score_answer(real["q2"], whereby).score == 2
    # a negation closing its clause: "VQ-VAE is not, it maps ..."
    closed = "VAE is stochastic, whereas VQ-VAE is not, it maps the latent to discrete codes."
    assert earned(real["q2"], closed, "vqvae_discrete") == 1
    # a compound written as one word
    compound = ("Through the Downsamplingoperation the network gets a large receptive field and "
                "the computation becomes cheaper.")
    assert earned(real["q1_i"], compound, "downsampling") == 1


def test_announced_reasons_restated_questions_and_shrinking_fields_round_71(real):
    # reasons a sentence announces, given in the sentences after it
    announced = ("Downsampling has two reasons. First the maps become smaller, so the computation "
                 "is cheaper. Second the receptive field grows.")
    assert earned(real["q1_i"], announced, "downsampling") == 1
    # a restated question's "not the minimax formula" denies no game, and its model's name is
    # no game either
    restated = ("So the question wants the idea behind GAN training, not the minimax formula "
                "itself. Answer: G makes fakes from noise, D says real or fake; G wants to fool "
                "D, D wants not to be fooled; at the end G's samples can't be told apart from "
                "real data.")
    assert score_answer(real["q3"], restated).score == 3
    name_only = ("The question is what is the training objective of Generative Adversarial "
                 "Networks; we should not just pose the equations for the generator and "
                 "discriminator.")
    assert score_answer(real["q3"], name_only).score == 0
    # the receptive field said to shrink is the opposite of the purpose
    shrinks = ("Downsampling makes the receptive field smaller so that each neuron is more "
               "selective and focuses on fine details.")
    assert earned(real["q1_i"], shrinks, "downsampling") == 0
    denied = "Downsampling is cheaper; it does not make the receptive field smaller, it grows."
    assert earned(real["q1_i"], denied, "downsampling") == 1


def test_citations_run_ons_and_supposed_premises_round_72(real):
    # a citation marker is no word of the statement
    cited = ("Downsampling, usually implemented with max pooling[1], reduces the computational "
             "burden and memory footprint of the network[2][3].")
    assert earned(real["q1_i"], cited, "downsampling") == 1
    # a run-on's next clause has its own subject ...
    run_on = ("downsampling cuts the computation a lot, then since we want a label per pixel we "
              "upsample the small output back to full image size at the end")
    assert score_answer(real["q1_i"], run_on).score == 2
    # ... but not after the purpose it serves
    purpose = "To save computation we downsample with pooling."
    assert earned(real["q1_i"], purpose, "downsampling") == 1
    # "augment" for "increase" is no data augmentation; data augmentation still is
    augments = "The downsampling permits to augment the receptive field, so the network sees more."
    assert earned(real["q1_i"], augments, "downsampling") == 1
    assert earned(real["q1_i"], "Downsampling is a kind of data augmentation.",
                  "downsampling") == 0
    # a premise supposed in an "if" clause spares no list of uses
    supposed = ("GANs are used for deepfakes, style transfer, super-resolution and AI art. "
                "Philosophically: if a generator can fool a discriminator, in what sense is "
                "anything still real?")
    assert score_answer(real["q3"], supposed).score == 0


def test_outputs_said_continuous_and_quantised_latents_round_72(real):
    # the VAE's output, not its latent, said to be continuous earns nothing
    for output in ("vq vae quantizes the output image into a fixed palette of colours so it is "
                   "discrete, vae output is continuous gaussian",
                   "The VQ-VAE quantizes the output image into a small palette of colours, "
                   "whereas the VAE produces a continuous, somewhat blurrier image."):
        assert score_answer(real["q2"], output).score == 0
    latent = "the VAE encoder outputs a continuous gaussian latent"
    assert earned(real["q2"], latent, "vae_continuous") == 1
    # the decoder working from the quantised vectors quantises no image
    decoder = ("The VQ-VAE has a discrete latent space: each encoder output is replaced by its "
               "nearest codebook vector, and the decoder reconstructs from these quantised "
               "vectors.")
    assert earned(real["q2"], decoder, "vqvae_discrete") == 1
    # an analogy with bit depth, the latent named as what is quantised
    analogy = ("In VQ-VAE the encoder output is snapped to the nearest vector in a learned "
               "codebook, so the latent is discrete - like quantising a sample when you reduce "
               "bit depth, except it's the latent, not the audio, that gets quantised. A VAE's "
               "latent is continuous.")
    assert score_answer(real["q2"], analogy).score == 2
    # "still continuous like the VAE" says what the VAE's latent is
    still = "VQ-VAE does not have a discrete latent, it is still continuous like the VAE."
    assert score_answer(real["q2"], still).score == 1
    # "simply a VAE whose encoder ..." describes the VQ-VAE, not the VAE
    simply = ("VQ-VAE is simply a VAE whose encoder is deterministic. Nothing is discrete about "
              "it: the latent remains continuous in both models.")
    assert score_answer(real["q2"], simply).score == 1


def test_realistic_goals_early_training_and_extra_weights_round_72(real):
    # the goal said of the training, no network named: half the aim
    goal = ("the generator creates images and the discriminator checks if they are real or "
            "fake, the goal is to make realistic images")
    assert earned(real["q3"], goal, "aim") == 0.5
    # the discriminator winning "at first" contradicts no aim reached at the end
    early = ("At first the discriminator easily spots the generator's fakes, but the generator "
             "keeps learning until its samples cannot be told apart from real data.")
    assert earned(real["q3"], early, "aim") == 1
    # extra weights claimed: the cost point is lost, unless the resolution is kept separately
    extra = "Dilated convolution adds more parameters but gives a bigger receptive field."
    assert earned(real["q1_iii"], extra, "no_loss_or_cost") == 0
    kept = ("Dilated convolution adds more parameters to every kernel, so it can represent "
            "richer forms, and it keeps the image size.")
    assert earned(real["q1_iii"], kept, "no_loss_or_cost") == 0.5


def test_comparisons_escape_denials_and_people_subjects_round_73(real):
    # a comparison after the denied loss escapes the denial: the VAE has the KL term
    for kl in ("VQ-VAE uses codebook, and it don't have KL divergence loss like VAE has, instead "
               "it has codebook loss and commitment loss.",
               "It does not need the KL loss to a Gaussian prior that VAE has."):
        assert earned(real["q2"], kl, "vae_continuous") == 1
    # the denial itself still holds when nothing is compared: "no KL term" says nothing of a VAE
    assert earned(real["q2"], "VQ-VAE does not have a KL divergence loss.", "vae_continuous") == 0
    # the VAE's pixels said real-valued are its output, not its latent
    pixels = ("VQ-VAE quantises the output image into a fixed palette of colours. A normal VAE "
              "directly predicts real-valued pixels, which is why its outputs are blurry.")
    assert score_answer(real["q2"], pixels).score == 0
    # "instead of the continuous one used by VAE" states the VAE's latent
    instead = ("VQ-VAE uses a discrete latent representation instead of the continuous one used "
               "by VAE.")
    assert score_answer(real["q2"], instead).score == 2
    # people opening a clause give the reason of the stage their consequence names
    people = ("Downsampling gives a larger receptive field at lower cost. But pooling loses "
              "resolution and we need a label map at the same resolution as the input, so we "
              "upsample to recover it.")
    assert score_answer(real["q1_i"], people).score == 2
    # "these" after the layers just named
    these = ("FCN uses max pooling layers. These increase the receptive field of the later layers "
             "and reduce the computation.")
    assert earned(real["q1_i"], these, "downsampling") == 1


def test_sources_told_apart_and_vague_information_round_73(real):
    # the judge deciding between the data and the generator
    source = ("We train G to generate samples from noise, and we train D to tell if a sample comes "
              "from the data or from G.")
    assert earned(real["q3"], source, "discriminator_role") == 0.5
    # a translated name of the judge
    identifier = ("Generator makes fake data from noise to cheat identifier, identifier learns to "
                  "identify real data and fake data.")
    assert earned(real["q3"], identifier, "discriminator_role") == 0.5
    # "captures more information" is vague, not a larger context
    assert earned(real["q1_iii"], "Dilated convolution helps to capture more information in the "
                  "image.", "larger_context") == 0
    assert earned(real["q1_iii"], "Dilated convolution sees more of the image.",
                  "larger_context") == 0.5


def test_analogies_abbreviations_and_one_stage_swapped_round_74(real):
    # a model named after its property in brackets, in notes
    assert score_answer(real["q2"], "discrete z (VQ) vs continuous gaussian z (VAE)").score == 2
    # "continuous" inside an analogy or said of the other model contradicts no discrete latent
    analogy = ("A VAE encodes the input into a continuous Gaussian distribution and samples from "
               "it. A VQ-VAE makes the latent discrete: the encoder output is replaced by the "
               "nearest vector in a learned codebook. It's like grading with a continuous "
               "percentage vs assigning one of a fixed set of letter grades.")
    assert score_answer(real["q2"], analogy).score == 2
    prior = ("VQVAE learns a prior over its discrete latent codes with a PixelCNN, instead of "
             "using the fixed Gaussian prior over a continuous z like the VAE.")
    assert score_answer(real["q2"], prior).score == 2
    # ... but the VQ-VAE's own latent said continuous still is
    wrong = "VQ-VAE latent is continuous like a VAE, the codebook only regularises it."
    assert earned(real["q2"], wrong, "vqvae_discrete") == 0
    # hurried notes: DS, "bc", full res too expensive
    notes = ("seg needs output same size as img (1 label/pixel) so US. DS bc full res convs too "
             "expensive")
    assert score_answer(real["q1_i"], notes).score == 2
    # one stage given the other's purpose loses only that stage
    one = ("In FCN the upsampling layers are there to reduce the computational cost. The "
           "downsampling (pooling) is used to get a larger field of view.")
    assert concepts(real["q1_i"], one) == {"downsampling": 1, "upsampling": 0}
    both = ("Downsampling restores the original resolution for pixelwise labels and upsampling "
            "reduces memory and cost.")
    assert score_answer(real["q1_i"], both).score == 0


def test_hurried_aims_and_wrong_ends_round_74(real):
    notes = ("G makes fakes from noise z, D classifies real vs fake. minimax: G tries to fool D, "
             "D tries to catch fakes. goal: G's dist = data dist.")
    assert score_answer(real["q3"], notes).score == 3
    assert earned(real["q3"], "G produce fake from noise; D real or fake. learn to generate data "
                  "indist. from real", "aim") == 1
    # the judge ending up perfect is no aim; a perfect judge that cannot tell still is
    perfect = ("The generator makes fake images from noise; the objective is that the "
               "discriminator becomes perfect at detecting fakes.")
    assert earned(real["q3"], perfect, "aim") == 0
    unable = ("G makes images from noise, D says real or fake; G fools D, D catches fakes; at the "
              "end even a perfect discriminator cannot tell them apart")
    assert score_answer(real["q3"], unable).score == 3
    # a GAN's generator said to reconstruct its input plays no generator's role
    decoder = ("The training objective of a GAN is to minimise the reconstruction error. The "
               "encoder compresses the image and the decoder (generator) reconstructs it, so it "
               "learns to produce realistic images.")
    assert score_answer(real["q3"], decoder).score == 0
    # a larger field beside a resolution wrongly lost keeps its half mark
    assert concepts(real["q1_iii"], "larger RF but it reduces the resolution like pooling "
                    "does") == {"larger_context": 0.5, "no_loss_or_cost": 0}


def test_supposed_contradictions_and_counterfactual_comparisons_round_75(real):
    # a contradiction only supposed in an "if" clause contradicts nothing
    supposed = ("the key difference is the latent variables: in VQVAE they are discrete "
                "(quantized to codebook entries), in VAE they are continuous and sampled from "
                "N(mu, sigma). if VQVAE latents were continuous it would just be a VAE.")
    assert score_answer(real["q2"], supposed).score == 2
    # the comparison read both ways round
    arrow = ("z: VAE samples it from a Gaussian, VQ-VAE picks 1 of 512 codes -> discrete vs "
             "continuous latent.")
    assert score_answer(real["q2"], arrow).score == 2
    # "does not need the KL divergence ... like in VAE": the VAE keeps its KL term
    kl = ("The latent of VQ-VAE consists of discrete codes chosen from a codebook. Because of "
          "that it does not need the KL divergence to a continuous Gaussian prior like in VAE.")
    assert score_answer(real["q2"], kl).score == 2
    # "since nothing is pooled the mask stays at full resolution"
    assert earned(real["q1_iii"], "With dilation rates 1, 2, 4, 8 you see the whole cat in 4 "
                  "layers, and since nothing is pooled the mask stays at full resolution.",
                  "no_loss_or_cost") == 0.5
    # classes recovered by the upsampling are a misconception, not the per-pixel purpose
    classes = ("Downsampling merges similar classes, and upsampling recovers the 21 classes at "
               "the end for the pixel-wise prediction.")
    assert earned(real["q1_i"], classes, "upsampling") == 0
    # what the downsampling spares the network
    assert earned(real["q1_i"], "Downsampling lets us use a deeper network without running out "
                  "of GPU memory.", "downsampling") == 1


def test_inputs_binned_storage_saved_and_code_answers_round_76(real):
    # the input discretised before encoding is no discrete latent
    binned = ("VQ-VAE first discretises the input data, e.g. binning pixel values into buckets, "
              "and then encodes it.")
    assert earned(real["q2"], binned, "vqvae_discrete") == 0
    # made for discrete data, not with a discrete latent
    assert earned(real["q2"], "VQ-VAE is made for discrete data like text or audio tokens.",
                  "vqvae_discrete") == 0
    # file compression is no purpose of the network's downsampling
    assert earned(real["q1_i"], "Downsampling: compresses the image like JPEG to save storage.",
                  "downsampling") == 0
    # code with comments is no list of terms
    code = ("VAE: mu, logvar = enc(x); z = mu + exp(0.5*logvar) * eps   # continuous Gaussian z. "
            "VQ-VAE: z_e = enc(x)  (B,D,H,W); idx = argmin_k ||z_e - e_k||; z_q = codebook[idx]"
            "   # discrete latent, it's just indices.")
    assert score_answer(real["q2"], code).score == 2
    # "This is good because ..." gives the purpose of the stage the sentence before names
    verdict = ("In FCN the backbone reduces the resolution step by step by pooling. This is good "
               "because the deep features carry semantic information about a larger part of the "
               "image.")
    assert earned(real["q1_i"], verdict, "downsampling") == 1


def test_swapped_generating_beyond_the_input_and_dilated_masks_round_77(real):
    # the generating said of the discriminator is a swap: the game through the roles withdrawn
    swapped = ("The discriminator minimises its loss by generating images similar to the data, "
               "while the generator maximises its classification accuracy to detect the fakes. "
               "In the end the generated distribution equals the true distribution.")
    assert concepts(real["q3"], swapped) == {"generator_role": 0, "discriminator_role": 0,
                                             "adversarial": 0, "aim": 1}
    # upsampling past the input's resolution
    beyond = ("Upsampling is then used to increase the resolution more than the input image for "
              "getting the high quality segmentation output.")
    assert earned(real["q1_i"], beyond, "upsampling") == 0
    # a mask dilated in image processing is no dilated convolution
    mask = ("Dilation is used on the segmentation masks: we dilate the mask around bright stars "
            "to grow the masked region, without losing the original resolution of the image.")
    assert score_answer(real["q1_iii"], mask).score == 0
    # an analogy's "zoomed in" before "first" puts no stage first
    film = ("Like a session filmed wide and then zoomed in: first the network pools down so it "
            "can afford deeper layers and get a large receptive field; then it upsamples to "
            "recover the input's spatial size, because we need to classify every pixel.")
    assert score_answer(real["q1_i"], film).score == 2
    # the two set against each other by name: half the roles, half the game
    assert concepts(real["q3"], "Generator vs discriminator, like a striker against a "
                    "goalkeeper, both get better over time.") == {
        "generator_role": 0.5, "discriminator_role": 0, "adversarial": 0.5, "aim": 0}


def test_denials_symbols_and_compared_sides_round_78(real):
    # a statement denied as it is made is no claim: neither its misconception nor its concept
    denied = ("It is not true that the decoder makes the mask bigger than the photo. The "
              "decoder upsamples the coarse map back to the input size so each pixel gets a "
              "class.")
    assert earned(real["q1_i"], denied, "upsampling") == 1
    assert earned(real["q3"], "It's not true that the generator tries to fool the "
                  "discriminator.", "adversarial") == 0
    # ... but only in its own clause: the writer's claim after a dash stands
    assert earned(real["q1_i"], "It's a myth that pooling is only there by accident - it is "
                  "there to cut the computation.", "downsampling") == 1
    # a negative belief answered by its affirmation is denied
    answered = ("Some students write that VQ-VAE has no encoder. It does. The difference is "
                "that its latent is discrete, picked from a codebook, while the VAE's is a "
                "continuous Gaussian.")
    assert score_answer(real["q2"], answered).score == 2
    # "only" denied keeps what it restricted
    assert earned(real["q1_i"], "Many people think downsampling is only there to save memory; "
                  "it does more than that, it also", "downsampling") == 1
    # the second side after "vs" has its own property, unless "vs" only heads the comparison
    assert score_answer(real["q2"], "vqvae code is discrete vs vae code continuous").score == 2
    assert earned(real["q1_iii"], "Bigger context for free: no extra params vs a standard conv.",
                  "larger_context") == 0.5
    # a two-way arrow sets two claims apart; "only output quantised" quantises the wrong thing
    swapped = "VAE latent discrete <-> VQ-VAE latent continuous, only output quantised"
    assert score_answer(real["q2"], swapped).score == 0
    # "≠" before a verb denies it; between two names it sets them apart
    assert earned(real["q1_i"], "↓samp ≠ grow RF or save cost, just smaller",
                  "downsampling") == 0
    assert score_answer(real["q2"], "latent: VQ = discrete codes ≠ VAE = drawn from a "
                        "gaussian").score == 2
    # "real ≈ fake" is the aim, not the discriminator's real/fake decision
    assert earned(real["q3"], "G makes imgs from noise; in the end real ≈ fake",
                  "discriminator_role") == 0
    # note-takers' "↓samp" and a hyphenated name inside a terse statement
    assert score_answer(real["q1_i"], "↓samp: ↓ mem + compute. ↑samp: back to input res "
                        "for per-pixel labels").score == 2
    assert score_answer(real["q2"], "VAE latent is continuous, VQ-VAE latent takes discrete "
                        "values only.").score == 2
    # numbers in brackets are no list of terms; "const" keeps the parameter count
    assert score_answer(real["q1_iii"], "RF grows fast w/ stacked rates (1,2,4,8), params "
                        "const").score == 1
    # a GAN trained by a reconstruction error, written in short: no aim either
    assert earned(real["q3"], "G encodes, D decodes; min reconstruction err -> realistic "
                  "imgs", "aim") == 0
    # uses listed, with "used in", are no objective
    assert score_answer(real["q3"], "GANs are used in film: deepfakes, upscaling old footage, "
                        "face swapping. The adversarial idea is behind them.").score == 0
    # super-res past the input; the vague purposes earn half the point
    assert earned(real["q1_i"], "↑samp → super-res, output > input", "upsampling") == 0
    assert earned(real["q1_i"], "Downsampling simplifies what the network has to look at.",
                  "downsampling") == 0.5
    assert earned(real["q1_i"], "The downsampling simply comes from VGG.", "downsampling") == 0
    assert earned(real["q1_i"], "Upsampling is used to upscale the maps.", "upsampling") == 0.5
    # "one against the other": the game as a bare label
    assert earned(real["q3"], "Two nets trained one against the other.", "adversarial") == 0.5
    # the encoder's output snapped to a "colour" is the analogy, not quantised pixels
    assert earned(real["q2"], 'VQ-VAE is like a small palette: each encoder output is snapped '
                  'to the nearest "colour" in the codebook, so the latent is discrete.',
                  "vqvae_discrete") == 1


def test_outputs_named_cooperation_and_run_in_headings_round_79(real):
    # "upsampling gives the output" says where the stage is, not why: no credit; an output of
    # some size or detail is the enlarging, half the point
    assert earned(real["q1_i"], "Downsampling cuts the cost and upsampling gives the final "
                  "output.", "upsampling") == 0
    assert earned(real["q1_i"], "Upsampling is there to produce an output of higher "
                  "resolution.", "upsampling") == 0.5
    # vague purposes of the downsampling earn half its point, a merging of classes nothing
    assert earned(real["q1_i"], "We downsample so that things are simpler for the network.",
                  "downsampling") == 0.5
    assert earned(real["q1_i"], "Downsampling merges the classes so the classification is "
                  "easier.", "downsampling") == 0
    # the VAE's output pixels said continuous are no continuous latent
    assert earned(real["q2"], "VAE output pixel value is continuous, VQ-VAE has a discrete "
                  "latent.", "vae_continuous") == 0
    # a discriminator instructing the generator is no judge; telling which images are real is
    assert earned(real["q3"], "The discriminator helps the generator by telling it how to "
                  "rebuild the real photo.", "discriminator_role") == 0
    assert earned(real["q3"], "The discriminator helps the generator by telling it which "
                  "pixels are wrong, so the generated images look real.",
                  "discriminator_role") == 0
    assert earned(real["q3"], "The discriminator tells the generator which images are real.",
                  "discriminator_role") == 0.5
    # a pixel difference between fake and real is a reconstruction, not a verdict
    assert earned(real["q3"], "The discriminator gives hints, and we minimise the pixel "
                  "difference between the fake and the real image.", "discriminator_role") == 0
    # the aim as a copy, pixel by pixel, of the training images
    assert earned(real["q3"], "The goal is that the output becomes exactly the same as the "
                  "training photo, pixel by pixel.", "aim") == 0
    # the aim's "can't be told apart" is not the discriminator's job
    assert earned(real["q3"], "Two networks play a minimax game until the outputs can't be "
                  "told apart from real photos.", "discriminator_role") == 0
    # a subject pronoun after a negated comparison opens the main clause
    assert earned(real["q1_iii"], "Dilated conv grows the receptive field, and unlike pooling "
                  "it does not reduce the resolution.", "no_loss_or_cost") == 0.5
    # ... not an object pronoun: the VAE's latent stays denied discrete
    assert earned(real["q2"], "A VAE never gives you discrete codes; its z is a continuous "
                  "sample. VQ-VAE's latent is discrete.", "vae_continuous") == 1
    # a sentence that is only a name heads what follows
    assert earned(real["q2"], "Recall: VQ-VAE. The encoder output is snapped to the nearest "
                  "codebook vector, so the latent is discrete.", "vqvae_discrete") == 1
    assert earned(real["q3"], "Generator vs discriminator. Adversarial. Realistic images.",
                  "aim") == 0.5


def test_unnamed_action_is_credited_only_without_a_subject(tmp_path):
    # an action marked ``unnamed`` is its actor's when its clause has no subject at all (the
    # question names the actor): not when another actor, a person or a noun is its subject
    path = write(tmp_path, BASE.format(
        setting="window: 8", actor='"=ant"',
        phrasing='{actor: a, does: "carry|carries food", unnamed: true}'))
    rubric = load_rubric(path)
    assert earned(rubric, "To carry food home.", "c") == 1
    assert earned(rubric, "- carries food", "c") == 1
    assert earned(rubric, "The bee carries food.", "c") == 0
    assert earned(rubric, "Ants dig. We carry food.", "c") == 0
    plain = load_rubric(write(tmp_path, BASE.format(
        setting="window: 8", actor='"=ant"', phrasing='{actor: a, does: "carry|carries food"}')))
    assert earned(plain, "To carry food home.", "c") == 0
    # 'anywhere': any statement no actor is the subject of, still not one a person makes
    anywhere = load_rubric(write(tmp_path, BASE.format(
        setting="window: 8", actor='"=ant"',
        phrasing='{actor: a, does: "carry|carries food", unnamed: anywhere}')))
    assert earned(anywhere, "Ants dig. The bee carries food.", "c") == 1
    assert earned(anywhere, "Ants dig. We carry food.", "c") == 0


def test_subjectless_purposes_questions_and_passives_round_80(real):
    # a purpose with no subject answers the question's own "why downsample": the cost, the
    # receptive field; not an off-topic subject's ("FCN ... has fewer parameters")
    assert earned(real["q1_i"], "To reduce memory and computational cost when processing the "
                  "high resolution images.", "downsampling") == 1
    assert earned(real["q1_i"], "FCN replaces the fully connected layers by convolutions, so "
                  "it can take input images of any size and has fewer parameters.",
                  "downsampling") == 0
    assert earned(real["q1_i"], "The receptive field grows as 1 + 2n for n stacked 3x3 conv "
                  "layers.", "downsampling") == 0
    # a question naming the stage heads its answer: "Q: why down? A: ..."
    assert concepts(real["q1_i"], "Q: why down? A: cheaper + bigger receptive field. Q: why "
                    "up? A: the output must be same HxW as the input so every pixel gets a "
                    "label.") == {"downsampling": 1, "upsampling": 1}
    # a stage in the passive does what follows it, not the participle naming the other one
    assert earned(real["q1_i"], "The downsampled prediction has to be upsampled to the "
                  "original resolution.", "upsampling") == 1
    # ... and a copula is no passive: "VQ-GAN is VQ-VAE plus a patch discriminator"
    # storage is no cost of the network's layers
    assert earned(real["q1_i"], "To compress the image like JPEG so it uses less storage.",
                  "downsampling") == 0
    assert earned(real["q1_i"], "Downsampling compresses the image, a bit like JPEG, so it "
                  "takes less memory.", "downsampling") == 1
    # discrete data is no discrete latent, unless the latent is said discrete too
    assert earned(real["q2"], "VQVAE is better for discrete data like speech and text, VAE is "
                  "better for images", "vqvae_discrete") == 0
    assert earned(real["q2"], "VQ-VAE has a discrete latent, so it is good for discrete data "
                  "like speech.", "vqvae_discrete") == 1
    # the encoder's continuous output, in any order, is what gets quantised
    assert earned(real["q2"], "VQ-VAE: the continuous output of the encoder is snapped to the "
                  "closest codebook vector, so the latent becomes discrete tokens.",
                  "vqvae_discrete") == 1
    # the VAE's weights in floating point are no continuous latent
    assert earned(real["q2"], "VQ-VAE quantizes the weights, while a normal VAE keeps its "
                  "weights in full floating point precision, which is continuous.",
                  "vae_continuous") == 0
    # a judge "not trained to separate real from fake" is denied its job, and tells nothing
    assert concepts(real["q3"], "The generator produces images from random noise, and the "
                    "discriminator is not trained to separate real from fake.")[
                        "discriminator_role"] == 0
    # the roles swapped in the aim: the discriminator generating the realistic images
    assert earned(real["q3"], "The objective is that the discriminator generates the most "
                  "realistic images and the generator helps it.", "aim") == 0
    # a cost only the downsampling spares, with no actor for its subject, anywhere
    # ('unnamed: anywhere'): "processing full resolution in all layers is very expensive"
    assert earned(real["q1_i"], "The motivation is mainly the computation cost, because "
                  "processing full resolution image in all layers is very expensive, and the "
                  "upsampling is necessary since the label map must have the input's size.",
                  "downsampling") == 1
    assert earned(real["q1_i"], "The left half of the U gives smaller features. The right half "
                  "of the U restores the resolution to the input image size.", "upsampling") == 1
    assert earned(real["q1_i"], "Working at a lower resolution, the deep layers need much less "
                  "memory.", "downsampling") == 1
    assert earned(real["q1_i"], "Pooling first. At 1/32 of the input each unit has a large "
                  "receptive field.", "downsampling") == 1
    # ... not the receptive field of a stack of layers, the calculation
    assert earned(real["q1_i"], "The receptive field grows as 1 + 2n for n stacked 3x3 conv "
                  "layers, which covers the whole image.", "downsampling") == 0
    # ... but not "faster", which the fully convolutional network as a whole also is
    assert earned(real["q1_i"], "FCN replaces the fully connected layers with convolutions, so "
                  "it takes any input size and is faster at inference.", "downsampling") == 0
    # the map made big again is the enlarging, half the upsampling's point
    assert earned(real["q1_i"], "To make the features smaller and simpler and then make them "
                  "big again at the end.", "upsampling") == 0.5
    # what pooling or stride does, in a relative clause after them, is not the dilated layer's
    assert earned(real["q1_iii"], "Standard convolution needs pooling or stride to get a large "
                  "receptive field, which reduces the resolution of the output. In dilated "
                  "convolution the receptive field is enlarged by inserting holes, so we can "
                  "keep the high resolution feature map.", "no_loss_or_cost") == 0.5
    assert earned(real["q1_iii"], "Each output pixel can see further in the image.",
                  "larger_context") == 0.5
    # uses listed further on in their sentence are the applications, not the objective
    assert score_answer(real["q3"], "GANs are used a lot in earth science: generating "
                        "realistic synthetic seismic sections for training interpreters, "
                        "super-resolution of coarse satellite DEMs and filling gaps in survey "
                        "data.").score == 0
    # the discriminator checking a copy's accuracy is a pixel check, not a verdict
    assert earned(real["q3"], "The generator learns to copy the training images exactly, and "
                  "the discriminator checks whether each copy is accurate.",
                  "discriminator_role") == 0
    # the two named as a pair trained together: half the roles (the scheme's two networks),
    # not when they work together on one goal
    assert earned(real["q3"], "The generator and discriminator are trained together and "
                  "improve each other over time.", "generator_role") == 0.5
    assert earned(real["q3"], "The generator and the discriminator are trained together with "
                  "the same objective rather than opposing ones.", "generator_role") == 0
    # two dots between symbols are a range, not a sentence's end
    assert score_answer(real["q2"], "VAE z ∈ ℝ^d continuous gaussian; VQ-VAE z ∈ {e_1..e_K} "
                        "discrete").score == 2
    # the VAE's continuous latent named "as in a VAE" after "rather than"
    assert earned(real["q2"], "VQ-VAE replaces the encoder output with its nearest embedding, "
                  "giving a discrete latent rather than a continuous, normally distributed one "
                  "as in a VAE.", "vae_continuous") == 1
    # "real/synthetic" is the dichotomy: two roles, not the generator's wish
    assert earned(real["q3"], "A generator outputs synthetic data and a discriminator "
                  "classifies real/synthetic, and the two are optimised with adversarial "
                  "training.", "adversarial") == 0.5


def test_by_for_removed_latents_and_augmenting_round_81(real):
    # "by" as "for" after a comma opens the other side, not a passive agent
    assert score_answer(real["q2"], "By VAE the latent is continuous gaussian variable, by "
                        "VQ-VAE it is discrete, it is chosen from finite set of vectors "
                        "(codebook).").score == 2
    # the continuous latent removed is no continuous VQ-VAE latent ...
    assert earned(real["q2"], "In short: the latent space of VQ-VAE is discrete. VQ-VAE "
                  "removes the continuous latent; each encoder feature vector is replaced by the "
                  "closest entry of a learned codebook.", "vqvae_discrete") == 1
    # ... but the codebook removed is no codebook
    assert earned(real["q2"], "Unlike VQ-VAE, a VAE has a discrete codebook latent. VQ-VAE "
                  "removes the codebook and uses a continuous Gaussian latent.",
                  "vqvae_discrete") == 0
    # "augment" as "increase" (Romance languages): no data augmentation
    assert concepts(real["q1_i"], "In the FCN the downsampling, which is realised with "
                    "pooling layers, diminishes the computational cost of the network, which "
                    "otherwise would be too heavy to train, while the upsampling, that is made "
                    "with transposed convolutions, augments the dimension of the feature "
                    "maps.") == {"downsampling": 1, "upsampling": 0.5}
    assert earned(real["q1_i"], "The FCN downsamples, so the receptive field augments fast and "
                  "the cost diminishes.", "downsampling") == 1


def test_numbered_points_glosses_and_roleless_networks_round_82(real):
    # numbered statements are no list of terms: the numbers are no items of their own
    assert score_answer(real["q1_iii"], "1. Expands the receptive field exponentially.\n"
                        "2. No extra computation cost.\n"
                        "3. Larger receptive field means more context.").score == 1
    assert score_answer(real["q2"], "1. vqvae latent space is discreet, uses codebook\n"
                        "2. vae latent is continous gaussian\n"
                        "3. vqvae gives sharper imgs").score == 2
    # two short statements and one term are no string of terms
    assert score_answer(real["q3"], "Generator makes fake images, discriminator classifies real "
                        "vs fake. They are trained adversarially.").score == 1.5
    # ... nor are the commas inside a bracket
    assert score_answer(real["q1_iii"], "Captures multi-scale context (ASPP with rates 6, 12, "
                        "18, 24).").score == 0.5
    # a verb going on after a gloss in brackets opens no note heading
    assert score_answer(real["q2"], "VQ-VAE's latent space (潜在空间) is discrete: the encoder "
                        "output is replaced by the nearest vector in a codebook (码本). VAE's "
                        "latent is continuous, sampled from a Gaussian distribution "
                        "(高斯分布).").score == 2
    # the resolution raised is said in order, not across clauses
    assert earned(real["q1_i"], "Downsampling is needed because convolutions at full "
                  "resolution are too expensive in memory, and it increases the receptive "
                  "field.", "downsampling") == 1
    # the VAE named with the alternative, the codebook named with VQ-VAE
    assert score_answer(real["q2"], "Basically VQ-VAE = VAE + vector quantization of the "
                        "latent. So the latent codes are discrete tokens instead of continuous "
                        "Gaussian samples like in VAE.").score == 2
    assert score_answer(real["q2"], "key diff = latent is discrete (VQ-VAE, codebook) vs "
                        "continuous (VAE)").score == 2
    assert score_answer(real["q2"], "The VAE uses a codebook to make its latent "
                        "discrete.").score == 0
    # VQ-VAE's latent drawn from a Gaussian: the two swapped
    assert score_answer(real["q2"], "VQ-VAE samples its latent from a Gaussian and then "
                        "quantizes it a bit, while in VAE the codebook makes the latent "
                        "discrete.").score == 0
    # the generator's own outputs improved are no score raised
    assert earned(real["q3"], "1. Generator creates images.\n2. Discriminator tells if they "
                  "are real or generated.\n3. Generator improves to make realistic outputs.",
                  "adversarial") == 0
    # the game's goals turned round: the judge trained to be wrong
    assert earned(real["q3"], "G produces images from noise and D classifies them as real or "
                  "fake. D is trained to minimise the probability of assigning the correct "
                  "label while G maximises it.", "adversarial") == 0
    assert earned(real["q3"], "D maximises the probability of the correct label, G minimises "
                  "it.", "adversarial") == 1
    # "two networks" alone: half the roles (the scheme), not when they cooperate ...
    assert score_answer(real["q3"], "GAN is trained to generate images using two "
                        "networks.").score == 0.5
    assert score_answer(real["q3"], "The objective of GAN training is that a balance between "
                        "the two networks is achieved and that the model is made "
                        "stable.").score == 0
    # ... and no role stated beside roles swapped, which still withdraw the game
    assert score_answer(real["q3"], "A GAN has two parts. The discriminator generates fake "
                        "images from random noise, and the generator tries to classify whether "
                        "each image is real or fake. They play a minimax game until the fakes "
                        "become indistinguishable from real data.").score == 1
    # a dilated layer taken for an upsampling one sees no context through it
    assert score_answer(real["q1_iii"], "Dilated convolution is same as transposed "
                        "convolution, it is upsampling the feature map so that the output "
                        "resolution is increased and more parameters are learned for the "
                        "context.").score == 0
    # a smaller field put down to skipped pixels leaves the resolution point standing
    assert score_answer(real["q1_iii"], "Dilated conv has a smaller receptive field than "
                        "standard conv because it skips pixels, but its advantage is that the "
                        "output keeps the same resolution.").score == 0.5
    # vague halves said without the stages' names
    assert concepts(real["q1_i"], "Data gets smaller so it's easier to process, then bigger "
                    "again.") == {"downsampling": 0.5, "upsampling": 0.5}
    assert earned(real["q2"], "The difference is the quantization part.",
                  "vqvae_discrete") == 0.5


def test_opening_conditions_sentential_which_and_arrows_round_83(real):
    # a condition opening its sentence leads to what follows its comma
    assert earned(real["q1_i"], "Without downsampling, the computation and memory would be "
                  "very expensive if all layers are kept at full image resolution.",
                  "downsampling") == 1
    # a statement with verbs of use is no string of terms
    assert score_answer(real["q2"], "VQ-VAE uses discrete latent variables via vector "
                        "quantization while VAE uses continuous latent variables.").score == 2
    # "which is why" is about the clause before it, not the last thing it names
    assert earned(real["q1_iii"], "Dilated conv has more parameters than standard conv, which "
                  "is why it gets a larger receptive field.", "larger_context") == 0.5
    # an arrow after a denied verb ends the denial: the game after it stands
    assert earned(real["q3"], "The generator takes random noise and makes fake images, the "
                  "discriminator tries to tell real from fake. G wants to fool D, D wants to not "
                  "get fooled -> minimax game.", "adversarial") == 1
    # the receptive field said to become smaller is the misconception
    assert concepts(real["q1_i"], "FCN downsamples so that the receptive field becomes smaller "
                    "and more local, which preserves fine detail. The upsampling then expands "
                    "the map to the input size for per-pixel labels.") == {
                        "downsampling": 0, "upsampling": 1}
    # fewer weights than a kernel of its own size is no cost point; than a wider kernel, it is
    assert earned(real["q1_iii"], "Larger receptive field. Also it has fewer parameters than a "
                  "normal convolution with the same kernel size, so it is lighter.",
                  "no_loss_or_cost") == 0
    assert earned(real["q1_iii"], "It has a larger receptive field with fewer parameters than "
                  "a 7x7 convolution.", "no_loss_or_cost") == 0.5
    # the two networks named in the game are half the roles; the judge giving up is the aim
    assert earned(real["q3"], "A GAN learns to generate samples by adversarial training "
                  "between a generator and a discriminator.", "generator_role") == 0.5
    assert earned(real["q3"], "At the end discriminator can distinguish no more, because the "
                  "fake images look exactly like real data.", "aim") == 1
    assert earned(real["q3"], "The discriminator should distinguish no more than two "
                  "classes.", "aim") == 0
    assert earned(real["q3"], "Training is finished when the discriminator cannot make "
                  "difference between the real images and the generated ones.", "aim") == 1
    assert earned(real["q3"], "It is a minimax game until the real and generated ones look the "
                  "same to the discriminator.", "aim") == 1


def test_data_types_codebook_stores_and_quantised_decoders_round_84(real):
    # the discreteness or continuity put in the data a model is for is no latent
    assert score_answer(real["q2"], "VQ-VAE is for discrete data like text or DNA sequences, "
                        "while the VAE is for continuous data like images.").score == 0
    # the codebook as a store of training images
    assert earned(real["q2"], "In VQ-VAE the codebook is used to store training images, and "
                  "decoder picks the closest image from codebook.", "vqvae_discrete") == 0
    assert earned(real["q2"], "The VQ-VAE has a discrete latent: each encoder output is "
                  "replaced by the closest one of K codebook vectors, so the image is "
                  "represented as a grid of codebook indices.", "vqvae_discrete") == 1
    # the decoder quantised, past the model's name
    assert earned(real["q2"], "The decoder of VQ-VAE is quantized so it can only generate a "
                  "fixed set of outputs.", "vqvae_discrete") == 0
    # the latent said to be quantised spares a note that runs on into the losses
    assert score_answer(real["q2"], "Main difference = latent. VAE: continuous, Gaussian, "
                        "trained with KL + reconstruction. VQ-VAE: latent quantised to the "
                        "nearest codebook vector so it is discrete, trained with reconstruction "
                        "+ codebook + commitment losses.").score == 2
    # long-range information, more of the scene
    assert earned(real["q1_iii"], "Dilated convolution can capture long range information "
                  "without reducing the spatial dimension of the feature map.",
                  "larger_context") == 0.5
    assert earned(real["q1_iii"], "The dilated kernel sees more of the scene.",
                  "larger_context") == 0.5
    # G and D trained adversarially: half the roles; fakes looking exactly like real: the aim
    assert earned(real["q3"], "G and D are trained adversarially.", "generator_role") == 0.5
    assert earned(real["q3"], "In the end the fake images look exactly like real data.",
                  "aim") == 1
    # bigger again, the same as the input: the upsampling's purpose
    assert earned(real["q1_i"], "Upsampling is making the output to be big again same as the "
                  "input image.", "upsampling") == 1


def test_thread_numbering_prepositions_and_analogies_round_85(real):
    # a thread's "1/ ... 2/ ..." numbers its points: each opens a sentence of its own
    assert score_answer(real["q2"], "1/ KEY difference = the latent space 2/ VQ-VAE: DISCRETE "
                        "latent, encoder output snapped to the nearest codebook vector 3/ VAE: "
                        "CONTINUOUS latent, sampled from a Gaussian (mu, sigma) "
                        "#generative").score == 2
    assert score_answer(real["q2"], "1/ in VAE the latent variable is continous and follow "
                        "gaussian distribution 2/ in VQVAE the latent is discrete, the encoder "
                        "output is replaced by nearest vector in codebook").score == 2
    # ... but a fraction is no item: "1/32 of the input", "2/3 of the layers"
    fractions = real["q1_i"].analyzer.analyse("Features at 1/32 resolution are cheap, then 2/3 "
                                              "of the layers upsample them.")
    assert {t.sentence for t in fractions.tokens} == {0}
    # a preposition ends a run of content words: no string of terms
    assert score_answer(real["q2"], "VAE encode input to continuous latent space with Gaussian "
                        "distribution. VQ-VAE discrete latent vectors through vector "
                        "quantization learns, encoder output to closest codebook entry "
                        "snapped.").score == 2
    # an analogy's "fixed set" is no discrete latent; a latent likened to discrete levels is
    assert earned(real["q2"], "VQ-VAE uses a codebook, kind of like a playbook with a fixed set "
                  "of plays.", "vqvae_discrete") == 0.5
    assert earned(real["q2"], "The VQ-VAE latent space is like discrete energy levels: the "
                  "encoder output has to occupy one of the codebook entries.",
                  "vqvae_discrete") == 1
    # skipping the pixels in between is the kernel's gaps, not a smaller map
    assert earned(real["q1_iii"], "It has the same number of parameters as a normal 3x3 kernel, "
                  "you just skip pixels in between.", "no_loss_or_cost") == 0.5
    # a field said to shrink is no resolution reduced
    assert earned(real["q1_iii"], "Dilated convolution receptive field reduces so network on "
                  "local detail focuses, and it keeps resolution because no pooling.",
                  "no_loss_or_cost") == 0.5
    # the distribution pushed towards the real one; realistic images got in the end
    assert earned(real["q3"], "This competition pushes the generated distribution towards the "
                  "real one.", "aim") == 1
    assert earned(real["q3"], "They compete with each other and in the end we get realistic "
                  "images.", "aim") == 0.5


def test_reciprocal_pronouns_sameness_and_comparisons_round_86(real):
    # "they ... each other" after both networks are named is the pair, not the last one named
    assert earned(real["q3"], "Generator generate fake images, discriminator classify real or "
                  "fake. They compete with each other and in the result we have realistic "
                  "images.", "aim") == 0.5
    # a stage after "during" is no clause's actor
    assert earned(real["q1_i"], "upsampling - to recover the spatial size lost during "
                  "downsampling, making dense per-pixel prediction at the input resolution "
                  "possible.", "upsampling") == 1
    # a field said to stay the same is no larger field; the cost staying the same is praise
    assert earned(real["q1_iii"], "It has more parameters than standard conv so it can learn "
                  "more better features, the receptive field is same but the feature is more "
                  "strong.", "larger_context") == 0
    assert earned(real["q1_iii"], "Dilated convolution is increasing the receptive field "
                  "without increasing the number of parameters. So more context is captured "
                  "with the same computation.", "larger_context") == 0.5
    # an opinion's "view" is no field of view
    assert earned(real["q1_iii"], "Dilated convolution is, in the author's respectful view, "
                  "more suitable for segmentation than standard convolution.",
                  "larger_context") == 0
    # the resolution compared with pooling's; skipping pixels as why it costs nothing more
    assert earned(real["q1_iii"], "The output map has higher resolution than when we using "
                  "pooling.", "no_loss_or_cost") == 0.5
    assert earned(real["q1_iii"], "It has no extra computation compared to a regular conv with "
                  "the same kernel size because you just skip pixels.", "no_loss_or_cost") == 0.5
    assert earned(real["q1_iii"], "Dilated convs have fewer parameters (they skip pixels, so "
                  "roughly half the weights).", "no_loss_or_cost") == 0
    # a learned prior set against the fixed Gaussian one implies the VAE's side
    assert earned(real["q2"], "VQ-VAE has a discrete latent and a learned prior instead of the "
                  "fixed Gaussian prior.", "vae_continuous") == 1
    assert earned(real["q2"], "VQ-VAE has a discrete latent and a learned prior.",
                  "vae_continuous") == 0
    # the aim stated as the objective stands beside the uses listed after it
    assert earned(real["q3"], "GAN objective is to generate new data which looks like the "
                  "training data, it is used for image generation, style transfer etc.",
                  "aim") == 0.5


def test_abbreviations_restatements_and_phrases_of_time_round_87(real):
    # "no." before "of" or a number is the abbreviated "number", no negator and no item's end
    assert score_answer(real["q1_iii"], "bigger field of view, same no. of weights as normal "
                        "3x3 conv").score == 1
    assert score_answer(real["q1_iii"], "larger recpetive feild, same no. of paramters, keeps "
                        "spatial dimention").score == 1
    # a multi-word name of the stage right after its name is what it does: half a mark
    assert earned(real["q1_i"], "upsampling enlarges them again.", "upsampling") == 0.5
    # ... but two names equated are no purpose
    assert earned(real["q1_i"], "FCN is an hourglass: encoder = contracting path with "
                  "downsampling, decoder = expanding path with upsampling.", "upsampling") == 0
    # an actor after a comma, its opener and a phrase of time opens a clause of its own
    assert earned(real["q3"], "The generator wants the discriminator to make mistakes and the "
                  "discriminator wants to be correct, so over time the generator learns to make "
                  "more realistic images.", "aim") == 0.5
    # ... not after "that is what": "..., and that is what upsampling gives us"
    assert earned(real["q1_i"], "Each pixel needs a label, so the final output has to have the "
                  "same height and width as the input, and that is what upsampling gives us.",
                  "upsampling") == 1
    # the straight-through estimator's gradient is no quantised gradient
    assert earned(real["q2"], "In VQ-VAE the latent space is made discrete through vector "
                  "quantisation, and I understand the gradient is simply copied past this step "
                  "(straight-through).", "vqvae_discrete") == 1
    assert earned(real["q2"], "Unlike the VAE, whose latent is sampled from a Gaussian with a KL "
                  "penalty, VQ-VAE quantizes the encoder output to a discrete codebook index.",
                  "vqvae_discrete") == 1
    # the latents said to be of one kind cancel the difference
    assert score_answer(real["q2"], "The key difference isn't the latent type - both work with "
                        "the same kind of latent. VQ-VAE just adds a codebook loss as an extra "
                        "regulariser.").score == 0
    # the fixed Gaussian prior "that the VAE puts on its latent"
    assert earned(real["q2"], "VQ-VAE's latent is discrete, so its prior is learned afterwards, "
                  "instead of the fixed Gaussian prior that the VAE puts on its latent.",
                  "vae_continuous") == 1
    # context captured, without cost; a vague benefit in small maps
    assert earned(real["q1_iii"], "It helps the network to capture global information of the "
                  "image.", "larger_context") == 0.5
    assert earned(real["q1_iii"], "Context without cost.", "no_loss_or_cost") == 0.5
    assert earned(real["q1_i"], "The main reason is that small feature maps are easier to work "
                  "with, and then upsampling brings the output to the size of the original image.",
                  "downsampling") == 0.5
    # the U-Net's outline is no resolution restored
    assert earned(real["q1_i"], "One goes down for efficiency and then comes back up again, as "
                  "in the U shape of the U-Net.", "upsampling") == 0


def test_denied_jobs_outputs_and_fewer_weights_round_88(real):
    # the judge's job denied ("doesnt classify", no apostrophe) is no role; its inability at
    # the end still names the judge
    assert earned(real["q3"], "The discriminator doesnt classify real vs fake, it just gives a "
                  "score of how good the image quality is.", "discriminator_role") == 0
    assert earned(real["q3"], "In the end the discriminator cannot distinguish real from fake.",
                  "discriminator_role") == 0.5
    # "the outputs are indistinguishable" is the aim's subject, not the generator's samples;
    # "the generator outputs become indistinguishable" still are
    assert earned(real["q3"], "The discriminator generates candidate images and the generator "
                  "checks whether they are real. They compete in a minimax game until the "
                  "outputs are indistinguishable from real data.", "generator_role") == 0
    assert earned(real["q3"], "GAN = generator + discriminator, trained with an adversarial loss "
                  "so the generator outputs become indistinguishable from real samples.",
                  "generator_role") == 0.5
    # fewer parameters are no extra ones; context seen; smaller maps faster to work with
    assert earned(real["q1_iii"], "So you look at more of the image with fewer parameters than "
                  "a big kernel.", "no_loss_or_cost") == 0.5
    assert earned(real["q1_iii"], "The network can see the gland-level context around a "
                  "nucleus.", "larger_context") == 0.5
    assert earned(real["q1_i"], "smaller features are faster to work with, and then upsampling "
                  "makes them big again", "downsampling") == 0.5


def test_enlargements_clauses_and_same_objectives_round_89(real):
    # a name of the stage after "to", the stage named just before it, says what it is for:
    # an enlargement alone is half the upsampling point
    assert earned(real["q1_i"], "Upsampling is used to enlarge the maps again.",
                  "upsampling") == 0.5
    assert earned(real["q1_i"], "To reduce the size of the feature maps and then increase them "
                  "again.", "upsampling") == 0.5
    assert earned(real["q1_i"], "Then by upsampling the feature maps are made large.",
                  "upsampling") == 0.5
    assert earned(real["q1_i"], "Upsampling on large images is slow.", "upsampling") == 0
    # a name after a preposition of means is no joint subject with the name after "and"
    assert earned(real["q1_i"], "The encoder downsamples the image with pooling layers and the "
                  "decoder upsamples it so the output is the same size as the input.",
                  "upsampling") == 1
    assert earned(real["q3"], "GAN training objective is to generate new data which looks good, "
                  "using generator and discriminator networks.", "discriminator_role") == 0
    # integrating information from a larger region is seeing more of the image
    assert earned(real["q1_i"], "Downsampling lets each unit integrate information from a larger "
                  "region of the image.", "downsampling") == 1
    # the latent said discrete before a note on the training losses is no quantised output
    assert earned(real["q2"], "VQ-VAE: maps each encoder output to the nearest codebook vector, "
                  "so the latent representation is discrete (trained with reconstruction + "
                  "codebook + commitment losses).", "vqvae_discrete") == 1
    # a continuous decoder is not the VAE's continuous latent
    assert earned(real["q2"], "The difference is in the decoder: VQ-VAE has a discrete decoder "
                  "that outputs codebook tokens, VAE has a continuous decoder.",
                  "vae_continuous") == 0
    # one objective maximised by D and minimised by G is the game, not a shared loss
    assert earned(real["q3"], "D maximises the probability of assigning the correct label to "
                  "both real and fake samples, while G minimises the same objective, i.e. it "
                  "tries to fool D.", "adversarial") == 1
    assert earned(real["q3"], "The generator and discriminator cooperate, not compete - the "
                  "discriminator gives tips to the generator so both minimize the same loss.",
                  "adversarial") == 0


def test_telegraphic_notes_remarks_to_the_marker_and_zero_cost_round_90(real):
    # a sentence opened by a network's name and a comma is a note: its heading says who, the
    # rest what, so a full answer in that form is no list of terms
    assert score_answer(real["q3"], "Two nets. Generator, from random noise produce fake sample. "
                        "Discriminator, check sample, say real or fake. Training, minimax: "
                        "generator try fool discriminator, discriminator try catch fake. In the "
                        "end, fake same distribution as real data.").score == 3
    assert score_answer(real["q3"], "Generator: noise in, fake sample out. Discriminator: judge "
                        "real or fake. Objective, generator maximize discriminator error, "
                        "discriminator minimize error. After training, generated distribution "
                        "match real data distribution.").score == 3
    # a closing remark to the marker about what the answer holds does not state the point
    assert earned(real["q3"], "GANs are used for image generation. I wrote about the generator "
                  "fooling the discriminator, so full marks?", "adversarial") == 0
    assert earned(real["q3"], "The generator tries to fool the discriminator, which tries to "
                  "catch the fakes.", "adversarial") == 1
    # at zero cost is without extra cost
    assert earned(real["q1_iii"], "Dilated convolution enlarges the receptive field at zero "
                  "cost.", "no_loss_or_cost") == 0.5
    assert earned(real["q1_iii"], "The dilated kernel takes in wider info.", "larger_context") \
        == 0.5
    # the map made small and then large again, or the output otherwise left tiny, is the
    # enlargement alone: half the upsampling point
    assert earned(real["q1_i"], "We make the image smaller and then larger.", "upsampling") == 0.5
    assert earned(real["q1_i"], "We need upsampling at the end because otherwise the output is "
                  "tiny.", "upsampling") == 0.5
    # a distribution the model outputs is no verdict of the discriminator
    assert earned(real["q3"], "The discriminator outputs a distribution that matches the "
                  "training data distribution.", "discriminator_role") == 0


def test_calques_field_sizes_and_restoring_said_by_we_round_91(real):
    # "augment" (French "augmenter") grows the field
    assert earned(real["q1_iii"], "With the dilated convolution one can augment the receptive "
                  "field.", "larger_context") == 0.5
    # a field as wide as a bigger kernel's, and the weights it does without
    assert concepts(real["q1_iii"], "The 3x3 rate-2 kernel has a 5x5 receptive field but only 9 "
                    "weights instead of 25.") == {"larger_context": 0.5, "no_loss_or_cost": 0.5}
    assert earned(real["q1_iii"], "The different rates see different scales.",
                  "larger_context") == 0.5
    assert earned(real["q1_iii"], "A normal conv sees a small part of the bus, the dilated one "
                  "can see the whole bus.", "larger_context") == 0.5
    # pixels skipped with what lies between them is a claim about the field, which does not
    # cancel a separate statement of the cost
    assert earned(real["q1_iii"], "It does not really enlarge the receptive field, it only skips "
                  "pixels so the information in between is ignored. The advantage is it uses "
                  "fewer parameters than a big 7x7 kernel.", "no_loss_or_cost") == 0.5
    # a kernel with no weights at all is wrong about the cost; no extra weights is the point
    assert earned(real["q1_iii"], "It has no parameters to learn so it is cheap.",
                  "no_loss_or_cost") == 0
    assert earned(real["q1_iii"], "It enlarges the receptive field with no extra parameters to "
                  "learn.", "no_loss_or_cost") == 0.5
    # restoring the input's resolution is the upsampling's, whoever the sentence's subject
    assert earned(real["q1_i"], "With pooling the maps get smaller, so it is cheaper. At the end "
                  "we must restore the maps to the input resolution so each pixel can be "
                  "classified.", "upsampling") == 1
    assert earned(real["q1_i"], "Pooling makes the map small. Then deconv makes it back to input "
                  "size because we need a class for each pixel.", "upsampling") == 1
    # a higher resolution is the enlargement alone (half the point), not one above another
    assert earned(real["q1_i"], "downsampling -> less computation. upsampling -> higher "
                  "resolution.", "upsampling") == 0.5
    assert earned(real["q1_i"], "Upsampling makes the resolution higher.", "upsampling") == 0.5
    assert earned(real["q1_i"], "Upsampling is then used to test the model at a higher "
                  "resolution than training.", "upsampling") == 0
    # over-smoothed images are no continuous latent
    assert earned(real["q2"], "VQ-VAE produces sharper images, VAE images are blurry "
                  "(over-smoothed).", "vae_continuous") == 0
    # the other side of "vs" is the other model's
    assert concepts(real["q2"], "discrete latent (codebook) in VQ-VAE vs. continuous latent "
                    "(Gaussian) in VAE") == {"vqvae_discrete": 1, "vae_continuous": 1}
    # "true or false" names the discriminator's two classes
    assert earned(real["q3"], "The generator receives a noise and produces a false image, the "
                  "discriminator must say if the image is true or false.",
                  "discriminator_role") == 0.5
