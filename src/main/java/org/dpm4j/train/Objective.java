package org.dpm4j.train;

import java.util.random.RandomGenerator;

/**
 * What the one training loop ({@link Trainer}) trains: a model seen as a flat vector of float parameters with a
 * gradient of the same layout, a loss on a minibatch, and a held-out value in stated units. The loop does not care
 * what the model is: the diffusion objectives of Eq. 14 ({@link GaussianObjective}, {@link FullGaussianObjective},
 * {@link BinomialObjective}, the image network's), or a model that is not a diffusion model (a VAE's ELBO), implement
 * this interface; a new model implements its objective, not another trainer.
 * <p>
 * Sign convention: the loop minimises {@link Value#lossNats}; what it reports is {@link Value#kNats} = ceiling - loss
 * (for a diffusion model K of Eq. 14, the ceiling being H_q(X_T|X_0) - H_q(X_1|X_0) - H_p(X_T); for a VAE the ELBO,
 * with a ceiling of 0), in nats per example.
 */
public interface Objective {
    /** One evaluation on a minibatch: loss and ceiling in nats per example; K = ceiling - loss. */
    record Value(double lossNats, double ceilingNats) {
        public double kNats() { return ceilingNats - lossNats; }

        public double kBits() { return kNats() / Math.log(2); }
    }

    /** Values per example: the row length of the training data. */
    int dimension();

    /** The parameters the optimiser updates in place (the live array, not a copy). */
    float[] parameterValues();

    /** The gradient of the loss, same layout as {@link #parameterValues} (live; {@link #evaluate} adds into it). */
    float[] parameterGradients();

    /** Sets the gradient to zero before a step. */
    default void zeroGradients() { java.util.Arrays.fill(parameterGradients(), 0f); }

    /**
     * Called after the loop has changed {@link #parameterValues} (an optimiser step, a restored checkpoint), for
     * models that keep another copy of their parameters (the image network's ND4J arrays).
     */
    default void parametersChanged() {}

    /**
     * Replaces the parameters by {@code values} (same layout as {@link #parameterValues}; for instance a run's
     * {@link TrainResult#averagedParameters}) and tells the model ({@link #parametersChanged}).
     */
    default void setParameters(float[] values) {
        float[] live = parameterValues();
        if (values == null || values.length != live.length) {
            throw org.dpm4j.util.Check.bad("values.length", values == null ? null : values.length, live.length + " (the model's parameter count)");
        }
        System.arraycopy(values, 0, live, 0, live.length);
        parametersChanged();
    }

    /**
     * The value on minibatch x0 (row-major [batch, dimension()]), its time steps drawn by {@code sampler} and its
     * noise from {@code rng}; with {@code gradient} the gradient of the loss is added to {@link #parameterGradients}.
     */
    Value evaluate(double[] x0, TimeSampler sampler, RandomGenerator rng, boolean gradient);

    /**
     * The reported value (K of Eq. 14, or the ELBO) on the examples x0 in nats per example, with every term and
     * noise drawn from a generator seeded by {@code seed}, so two calls with the same parameters agree exactly.
     * Forward passes only.
     */
    double evaluateNats(double[] x0, long seed);

    /**
     * What the model is, for the run's fingerprint: its kind and everything that fixes its parameter layout and loss
     * (sizes, parameterisation, T, the schedule's name). Two objectives with the same description and parameter count
     * can resume each other's checkpoints.
     */
    String describe();

    /** The diffusion's schedule, for the run's fingerprint; null for a model without one (a VAE). */
    default org.dpm4j.schedule.BetaSchedule schedule() { return null; }

    /**
     * How many of the data's values make one reporting unit: 1 (bits per example), or the pixels of an image (bits per
     * pixel, a pixel's channels together, as the paper's tables).
     */
    default int valuesPerUnit() { return 1; }

    /** The reporting unit's name, e.g. "bits", "bits/seq", "bits/pixel". */
    default String unit() { return "bits"; }
}
