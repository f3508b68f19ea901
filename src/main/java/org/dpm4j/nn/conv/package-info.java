/**
 * The paper's image reverse kernel (App. D): a multi-scale convolution pathway and a dense pathway, per-pixel 1x1
 * layers and the bump readout over time, built as one SameDiff graph that also carries Eq. 14's KL loss, so SameDiff
 * derives the gradients. {@link org.dpm4j.nn.conv.ImageTrainer} trains it with the reference code's estimator, with
 * the small networks' checkpoints, non-finite guard, history and progress bar.
 */
package org.dpm4j.nn.conv;
