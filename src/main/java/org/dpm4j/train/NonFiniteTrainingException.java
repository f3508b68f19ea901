package org.dpm4j.train;

/** Training stopped because the loss or its gradient stayed non-finite; the last good checkpoint is kept. */
public final class NonFiniteTrainingException extends RuntimeException {
    private final int step;

    public NonFiniteTrainingException(int step, int consecutive) {
        super("training stopped at step " + step + ": the loss or gradient was non-finite for " + consecutive
                + " consecutive steps (each update skipped); the last checkpoint written before them is kept");
        this.step = step;
    }

    /** The step at which training stopped. */
    public int step() { return step; }
}
