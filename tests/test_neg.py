"""Negative sampling: gradients against autograd and the alias sampler against its distribution."""
import numpy as np
import pytest
import torch
from wordvec_nb.neg import NegativeSampling, NoiseSampler, alias_table, neg_grads, neg_loss, unigram_noise
from wordvec_nb.text import chi2_test

@pytest.mark.parametrize('B,k,N,scale', [(1, 1, 3, 1.0), (5, 5, 50, 0.5), (3, 15, 8, 8.0)])
def test_neg_gradients_match_autograd(B, k, N, scale):
    g = torch.Generator().manual_seed(B * 100 + k)
    v, up, un = ((scale * torch.randn(*s, generator=g, dtype=torch.float64)).requires_grad_()
                 for s in [(B, N), (B, N), (B, k, N)])
    neg_loss(v, up, un).sum().backward()
    for mine, ref in zip(neg_grads(v.detach(), up.detach(), un.detach()), (v.grad, up.grad, un.grad)):
        torch.testing.assert_close(mine, ref, rtol=1e-10, atol=1e-12)

def test_neg_loss_is_finite_for_huge_scores():
    v = torch.full((1, 4), 100.0, dtype=torch.float64)
    loss = neg_loss(v, -v, v[:, None, :].expand(1, 3, 4))
    assert torch.isfinite(loss).all() and loss.item() > 1e4

@pytest.mark.parametrize('counts', [[5, 1, 1, 1], [1000, 300, 20, 7, 7, 1, 0, 3], list(range(1, 60))])
def test_alias_sampler_chi_square(counts):
    q = unigram_noise(counts)
    draws = NoiseSampler(q)((400_000,), torch.Generator().manual_seed(1))
    observed = torch.bincount(draws, minlength=len(q))
    nz = q > 0
    assert observed[~nz].sum() == 0, 'a zero-probability word was drawn'
    assert chi2_test(observed[nz], q[nz])[1] > 1e-3

def test_alias_table_mass_is_exact():
    p = np.random.default_rng(0).dirichlet(np.ones(1000) * 0.1)
    prob, alias = alias_table(p)
    mass = prob.copy(); np.add.at(mass, alias, 1 - prob)
    np.testing.assert_allclose(mass / len(p), p, atol=1e-12)

def test_bad_noise_and_negative():
    with pytest.raises(ValueError, match='non-negative'): unigram_noise([0, 0])
    with pytest.raises(ValueError, match='negative must be'): NegativeSampling([1, 2], 4, negative=0)
