/**
 * The paper's image reverse kernel (App. D): a multi-scale convolution pathway and a dense pathway, per-pixel 1x1
 * layers and the bump readout over time. FLOAT networks run on float[] with a hand-derived backward and OpenBLAS sgemm
 * (ImageNetworkFloat); the same network is also built as one SameDiff graph carrying Eq. 14's KL loss, which DOUBLE
 * networks run and the tests use as the reference. {@link org.dpm4j.nn.conv.ImageTrainer} trains it with the reference code's estimator, with
 * the small networks' checkpoints, non-finite guard, history and progress bar.
 */
package org.dpm4j.nn.conv;
