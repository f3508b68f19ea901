package org.dpm4j.bound;

/**
 * The lower bound K of Eq. 14 evaluated on a set of examples, with the settings that produced it.
 * Stored values are in nats per example (summed over all d dimensions: "per sequence"); convert with the methods.
 *
 * @param process            "gaussian" or "binomial"
 * @param schedule           the schedule's name
 * @param T                  number of diffusion steps
 * @param dimensions         d, dimensions per example
 * @param examples           n, examples averaged over
 * @param seed               seed of the SplittableRandom that drew the x_t
 * @param stepNats           index t-1 for t = 1..T: for t >= 2, -E_q KL(q(x_{t-1}|x_t,x_0) || p(x_{t-1}|x_t)), the
 *                           bound lost at step t; for t = 1 (first reverse step fixed to the forward kernel's form),
 *                           H_q(X_T|X_0) - H_q(X_1|X_0) - H_p(X_T), the ceiling of K. K = sum of stepNats.
 * @param kNats              K (Eq. 14), nats per example, averaged over the n examples
 * @param kStandardErrorNats standard error of that average (spread over examples and Monte-Carlo draws of x_t)
 * @param lNullNats          L_null: mean log pi(x_0) over the examples, nats per example
 * @param perExampleNats     K of each example (its own draws of x_t), nats; for paired comparisons with exact values
 * @param edgeNats           exact ELBO minus K: E[log pi(x_0) - log pi(x_1)] + E[log pi(x_T)] + H_p(X_T), the terms
 *                           Eq. 14 drops; zero when the data have the terminal distribution's first two moments
 *                           (z-scored data, heartbeat at rate r)
 */
public record BoundResult(String process, String schedule, int T, int dimensions, int examples, long seed,
                          double[] stepNats, double kNats, double kStandardErrorNats, double lNullNats,
                          double[] perExampleNats, double edgeNats) {

    /** K in bits per the given unit. */
    public double kBits(Per per) { return per(per).of(Units.natsToBits(kNats), dimensions); }

    /** K in nats per the given unit. */
    public double kNats(Per per) { return per(per).of(kNats, dimensions); }

    public double kStandardErrorBits(Per per) { return per(per).of(Units.natsToBits(kStandardErrorNats), dimensions); }

    /** L_null in bits per the given unit. */
    public double lNullBits(Per per) { return per(per).of(Units.natsToBits(lNullNats), dimensions); }

    /** K - L_null in bits per the given unit (Table 1's second column). */
    public double kMinusLNullBits(Per per) { return per(per).of(Units.natsToBits(kNats - lNullNats), dimensions); }

    /** The exact variational lower bound (ELBO) for the model with the fixed first step, nats per example. */
    public double elboNats() { return kNats + edgeNats; }

    /** The per-step terms in bits per the given unit (index t-1 for t = 1..T). */
    public double[] stepBits(Per per) {
        double[] b = new double[stepNats.length];
        for (int i = 0; i < b.length; i++) b[i] = per(per).of(Units.natsToBits(stepNats[i]), dimensions);
        return b;
    }

    /** Bits of bound lost at each step t = 2..T (index t-1; entry 0 is 0): E_q KL_t, per the given unit. */
    public double[] klBits(Per per) {
        double[] b = stepBits(per);
        b[0] = 0;
        for (int i = 1; i < b.length; i++) b[i] = -b[i];
        return b;
    }

    /** Bits of bound lost at steps 2..t, for t = 1..T (index t-1): the running sum of {@link #klBits}. */
    public double[] cumulativeKlBits(Per per) {
        double[] b = klBits(per);
        for (int i = 1; i < b.length; i++) b[i] += b[i - 1];
        return b;
    }

    @Override public String toString() {
        return String.format("K(%s, %s, T=%d, d=%d, n=%d) = %.4f +- %.4f bits/dim, L_null = %.4f bits/dim",
                process, schedule, T, dimensions, examples, kBits(Per.dimension()), kStandardErrorBits(Per.dimension()),
                lNullBits(Per.dimension()));
    }

    private static Per per(Per per) {
        if (per == null) throw org.dpm4j.util.Check.bad("per", null, "a unit: Per.dimension(), Per.pixel(channels) or Per.sequence(d)");
        return per;
    }
}
