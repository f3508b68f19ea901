/**
 * The models the diffusion paper positions itself against, trained by the same loop ({@link org.dpm4j.train.Trainer})
 * as {@link org.dpm4j.train.Objective}s: the variational autoencoder ({@link org.dpm4j.baselines.Vae}, which shares
 * the variational bound) with its importance-weighted likelihood ({@link org.dpm4j.baselines.LogLikelihood}), and
 * the denoising autoencoder ({@link org.dpm4j.baselines.DenoisingAutoencoder}, stacked layer-wise, which shares the
 * idea of filling in what was destroyed; {@link org.dpm4j.baselines.FillIn} scores fill-ins). Depends on nn, train,
 * data, diffusion and util; only experiments and the command line use it.
 */
package org.dpm4j.baselines;
