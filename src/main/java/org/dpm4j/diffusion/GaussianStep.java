package org.dpm4j.diffusion;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A diagonal Gaussian over x_{t-1}: per-example mean and per-example, per-dimension variance,
 * both of shape [n, d] (DOUBLE).
 */
public record GaussianStep(INDArray mean, INDArray variance) {}
