package org.dpm4j.train;

/** Minibatch ascent rules on K (both minimise -K). */
public enum OptimizerKind {
    /** Adam (beta1 0.9, beta2 0.999, epsilon 1e-8). */
    ADAM,
    /** RMSprop as in the reference code (decay 0.9, epsilon 1e-8), usually with {@link LearningRate#reference()}. */
    RMSPROP
}
