package org.dpm4j.bound;

import org.dpm4j.util.Check;

/**
 * A density's log-likelihood of held-out examples, one value per example, and their mean with its standard error
 * std / sqrt(N) (the population std, ddof = 0, as numpy's {@code ll.std()} in Goodfellow et al.'s parzen_ll.py).
 * Values in nats per example (summed over the d dimensions); {@link #meanBits(Per)} converts.
 *
 * @param model             what produced the values (e.g. "full-covariance Gaussian", "Parzen window")
 * @param perExampleNats    log p(x_i) per held-out example, nats
 * @param dimensions        d, dimensions per example
 */
public record HeldOutLikelihood(String model, double[] perExampleNats, int dimensions) {
    public HeldOutLikelihood {
        if (model == null) throw Check.bad("model", null, "a model name");
        if (perExampleNats == null || perExampleNats.length == 0) throw Check.bad("perExampleNats", perExampleNats, "at least one value");
        Check.positive("dimensions", dimensions);
        perExampleNats = perExampleNats.clone();
    }

    static HeldOutLikelihood of(String model, double[] nats, int d) {
        Check.allFinite("log-likelihood of " + model, nats);
        return new HeldOutLikelihood(model, nats, d);
    }

    @Override public double[] perExampleNats() { return perExampleNats.clone(); }

    public int examples() { return perExampleNats.length; }

    /** Mean log-likelihood, nats per example. */
    public double meanNats() {
        double s = 0;
        for (double v : perExampleNats) s += v;
        return s / perExampleNats.length;
    }

    /** std / sqrt(N) of the per-example values (ddof = 0), nats per example. */
    public double standardErrorNats() {
        double m = meanNats(), s = 0;
        for (double v : perExampleNats) s += (v - m) * (v - m);
        return Math.sqrt(s / perExampleNats.length) / Math.sqrt(perExampleNats.length);
    }

    /** Mean log-likelihood in bits per the unit (per example: {@code Per.sequence(d)}; per pixel: {@code Per.pixel(c)}). */
    public double meanBits(Per per) { return per.of(Units.natsToBits(meanNats()), dimensions); }

    public double standardErrorBits(Per per) { return per.of(Units.natsToBits(standardErrorNats()), dimensions); }

    /** Mean log-likelihood in bits per example (summed over the d dimensions). */
    public double meanBitsPerExample() { return Units.natsToBits(meanNats()); }

    public double standardErrorBitsPerExample() { return Units.natsToBits(standardErrorNats()); }

    @Override public String toString() {
        return String.format("%s: %.3f +- %.3f bits/example (%d examples, d = %d)", model, meanBitsPerExample(),
                standardErrorBitsPerExample(), examples(), dimensions);
    }
}
