package org.dpm4j.experiments;

import org.dpm4j.util.Quadrature;
import org.dpm4j.data.Curve;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;
import org.dpm4j.util.Check;

/**
 * A data distribution that can be written as a {@link DiagonalMixture}, for computing its true reverse posteriors.
 * Noise-free data on a curve is a mixture only in the limit of fine quadrature, and how fine depends on the noise
 * each component will carry; so the mixture is asked for at a resolution: components spaced well below
 * {@code spread} (a standard deviation in data units), which at step t is sqrt(1 - alphabar_{t-1}) / sqrt(alphabar_{t-1}).
 */
public interface MixtureData {
    int dimensions();

    /** One draw x_0 from the data (the exact distribution, not its quadrature). */
    double[] sample(RandomGenerator rng);

    /** The data as a mixture whose structure is resolved at the given spread (data units, > 0). */
    DiagonalMixture resolved(double spread);

    /** A distribution that is exactly the given mixture, at every resolution. */
    static MixtureData of(DiagonalMixture mixture) {
        if (mixture == null) throw Check.bad("mixture", null, "a DiagonalMixture");
        return new MixtureData() {
            @Override public int dimensions() { return mixture.dimensions(); }

            @Override public double[] sample(RandomGenerator rng) {
                double u = rng.nextDouble(), acc = 0;
                int k = 0;
                while (k < mixture.size() - 1 && (acc += mixture.weights()[k]) < u) k++;
                double[] x = mixture.means()[k].clone();
                for (int j = 0; j < x.length; j++) x[j] += Math.sqrt(mixture.variances()[k][j]) * rng.nextGaussian();
                return x;
            }

            @Override public DiagonalMixture resolved(double spread) { return mixture; }
        };
    }

    /**
     * Noise-free data on a plane curve with s uniform: point masses at composite Gauss-Legendre nodes in s, weighted
     * by the rule's weights / (sMax - sMin). Each panel spans at most {@code panelWidth} x spread of arc length, and
     * the panel count is rounded up to a power of two (at least 16) so that the quadrature does not change under
     * small changes of the schedule (numerical schedule gradients stay smooth). Mixtures are cached per panel count.
     *
     * @param panelWidth the longest panel in units of the spread; 1 resolves a Gaussian of that spread with 16 nodes
     */
    static MixtureData onCurve(Curve curve, double panelWidth) {
        if (curve == null) throw Check.bad("curve", null, "a Curve");
        Check.positive("panelWidth", panelWidth);
        double width = curve.sMax() - curve.sMin();
        double maxSpeed = 0;
        for (int i = 0; i <= 1000; i++) maxSpeed = Math.max(maxSpeed, curve.speed(curve.sMin() + width * i / 1000));
        double longestArc = width * maxSpeed;
        Map<Integer, DiagonalMixture> cache = new ConcurrentHashMap<>();
        return new MixtureData() {
            @Override public int dimensions() { return 2; }

            @Override public double[] sample(RandomGenerator rng) { return curve.point(rng.nextDouble(curve.sMin(), curve.sMax())); }

            @Override public DiagonalMixture resolved(double spread) {
                Check.positive("spread", spread);
                double needed = Math.min(longestArc / (panelWidth * spread), 1 << 20);
                int panels = Math.max(16, Integer.highestOneBit((int) Math.ceil(needed) - 1) << 1);
                return cache.computeIfAbsent(panels, p -> nodes(curve, p));
            }
        };
    }

    private static DiagonalMixture nodes(Curve curve, int panels) {
        double width = curve.sMax() - curve.sMin();
        Quadrature.Rule rule = Quadrature.rule(curve.sMin(), curve.sMax(), panels);
        int n = rule.nodes().length;
        double[] w = new double[n];
        double[][] m = new double[n][], v = new double[n][2];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            w[i] = rule.weights()[i] / width;
            sum += w[i];
            m[i] = curve.point(rule.nodes()[i]);
        }
        for (int i = 0; i < n; i++) w[i] /= sum;   // remove the last 1e-16 of rounding
        return new DiagonalMixture(w, m, v);
    }
}
