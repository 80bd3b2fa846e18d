"""`model.wv` lives with the model: one object, no O(V) rebuild per access, and always the current weights."""
import numpy as np
import pytest
import torch
from wordvec_nb.data import embedded_corpus
from wordvec_nb.glove import GloVe
from wordvec_nb.word2vec import Word2Vec

@pytest.fixture(scope='module')
def sents(): return list(embedded_corpus('kjv'))[:2000]

@pytest.mark.parametrize('backend', ['numba', 'torch'])
def test_word2vec_wv_is_one_live_view(sents, backend):
    m = Word2Vec(sents, vector_size=8, epochs=1, backend=backend, progress=False)
    wv = m.wv
    assert wv is m.wv and wv.key_to_index is m.wv.key_to_index              # kept, dict not rebuilt
    assert np.shares_memory(wv.vectors, m.W_in.numpy())
    normed = wv.get_normed_vectors()
    assert wv.get_normed_vectors() is normed                                 # unchanged weights: cache kept
    m.train()                                                                # new weights tensor or in-place kernels
    np.testing.assert_array_equal(wv.vectors, m.W_in.numpy())
    assert wv.get_normed_vectors() is not normed
    np.testing.assert_allclose(wv.get_normed_vectors(), m.W_in.numpy() / np.linalg.norm(m.W_in.numpy(), axis=1,
            keepdims=True), rtol=1e-6)
    keys = wv.key_to_index
    m.build_vocab(sents[:500])                                               # a new vocabulary: words re-read
    assert wv.key_to_index is not keys and len(wv) == len(m.vocab) and wv.index_to_key == m.vocab.index_to_key

def test_glove_wv_follows_training(sents):
    m = GloVe(sents, vector_size=8, epochs=1, progress=False)
    wv = m.wv
    assert wv is m.wv
    np.testing.assert_array_equal(wv.vectors, m.vectors('sum'))
    m.train()
    np.testing.assert_array_equal(wv.vectors, m.vectors('sum'))
    with torch.no_grad(): m.params['W_in'][0] += 1                           # an in-place change outside training
    np.testing.assert_array_equal(wv['the' if 'the' in wv else wv.index_to_key[0]],
                                  m.vectors('sum')[wv.key_to_index.get('the', 0)])

def test_wv_before_training_says_so():
    with pytest.raises(ValueError, match='train'): Word2Vec(vector_size=8).wv
    with pytest.raises(ValueError, match='train'): GloVe(vector_size=8).wv
