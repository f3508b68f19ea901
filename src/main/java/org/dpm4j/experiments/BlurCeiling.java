package org.dpm4j.experiments;

import org.dpm4j.util.Quadrature;
import org.dpm4j.data.Curve;
import java.util.random.RandomGenerator;
import org.dpm4j.util.Check;

/**
 * What K (Eq. 14) can reach on noise-free data on a curve when the first reverse step is fixed to the forward
 * kernel p(x_0 | x_1) = N(sqrt(1 - beta_1) x_1, beta_1 I).
 *
 * <p>Split K = E[log p(x_0 | x_1)] + H_q(X_1 | X_0) + E[log p(x_{1..T}) / q(x_{2..T} | x_1)]. The last term is at most
 * E_q[log p(x_1)] <= -H_q(X_1), the negative entropy of the data after one forward step
 * X_1 = sqrt(1 - beta_1) X_0 + sqrt(beta_1) eps; the first two sum exactly to beta_1 (d - E|x_0|^2) / 2, which is 0
 * for zero-mean unit-variance data. So K <= -H_q(X_1) + beta_1 (d - E|x_0|^2) / 2 =: the ceiling.
 *
 * <p>For sqrt(beta_1) much smaller than the curve's radius of curvature and the gap between its windings, the
 * blurred density near the curve is (density per unit arc length) x N(normal offset; 0, beta_1), so
 * -H_q(X_1) = E_s[log(rho(s) / (a |c'(s)|))] - log(2 pi e beta_1) / 2 with a = sqrt(1 - beta_1): a one-dimensional
 * integral along the curve, computed here by composite 16-point Gauss-Legendre quadrature over s (64 panels).
 * {@link #monteCarloBits} checks it without that approximation.
 */
public final class BlurCeiling {
    private static final int PANELS = 64;
    private static final double LN2 = Math.log(2);

    private BlurCeiling() {}

    /** The ceiling on K for a noise-free curve and first-step variance beta_1, in bits per example (whole vector). */
    public static double bits(Curve curve, double beta1) {
        Check.openUnit("beta1", beta1);
        double width = curve.sMax() - curve.sMin();
        double rho = 1 / width;
        double a = Math.sqrt(1 - beta1);
        double arcTerm = Quadrature.integrate(curve.sMin(), curve.sMax(), PANELS,
                s -> rho * Math.log(rho / (a * curve.speed(s))));
        double nats = arcTerm - 0.5 * Math.log(2 * Math.PI * Math.E * beta1) + firstStepTerm(curve, beta1);
        return nats / LN2;
    }

    /**
     * E[log p(x_0 | x_1)] + H_q(X_1 | X_0) = beta_1 (d - E|x_0|^2) / 2 nats, exactly, for the fixed first step
     * (d = 2 here); 0 for zero-mean unit-variance data.
     */
    static double firstStepTerm(Curve curve, double beta1) {
        double width = curve.sMax() - curve.sMin();
        double secondMoment = Quadrature.integrate(curve.sMin(), curve.sMax(), PANELS, s -> {
            double[] p = curve.point(s);
            return (p[0] * p[0] + p[1] * p[1]) / width;
        });
        return beta1 * (2 - secondMoment) / 2;
    }

    /**
     * log q(x_1) in nats at the point (x, y): the density of sqrt(1 - beta_1) c(s) + sqrt(beta_1) eps, as an integral
     * over s by composite Gauss-Legendre with panels no longer than sqrt(beta_1) along the curve. Exact up to
     * quadrature error (no small-beta approximation).
     */
    public static double logDensity(Curve curve, double beta1, double x, double y) {
        return new BlurredCurve(curve, beta1).logDensity(x, y);
    }

    /**
     * The ceiling by Monte Carlo: the mean over n draws x_1 of log q(x_1) (by {@link #logDensity}), plus the
     * first-step term, in bits per example, with its standard error.
     */
    public static Estimate monteCarloBits(Curve curve, double beta1, int n, RandomGenerator rng) {
        Check.openUnit("beta1", beta1);
        Check.positive("n", n);
        BlurredCurve blurred = new BlurredCurve(curve, beta1);
        double a = Math.sqrt(1 - beta1), sd = Math.sqrt(beta1), extra = firstStepTerm(curve, beta1);
        double[] bits = new double[n];
        for (int i = 0; i < n; i++) {
            double[] c = curve.point(rng.nextDouble(curve.sMin(), curve.sMax()));
            double x = a * c[0] + sd * rng.nextGaussian(), y = a * c[1] + sd * rng.nextGaussian();
            bits[i] = (blurred.logDensity(x, y) + extra) / LN2;
        }
        return Estimate.of(bits);
    }

    /** The curve tabulated at quadrature nodes once, so that many densities cost one pass each. */
    private static final class BlurredCurve {
        private final double beta1;
        private final double[] px, py, w;   // node points (already scaled by a) and weights rho(s) ds

        BlurredCurve(Curve curve, double beta1) {
            this.beta1 = Check.openUnit("beta1", beta1);
            double a = Math.sqrt(1 - beta1), width = curve.sMax() - curve.sMin();
            double maxSpeed = 0;
            for (int i = 0; i <= 1000; i++) maxSpeed = Math.max(maxSpeed, curve.speed(curve.sMin() + width * i / 1000));
            int panels = (int) Math.ceil(width * a * maxSpeed / Math.sqrt(beta1));
            Quadrature.Rule rule = Quadrature.rule(curve.sMin(), curve.sMax(), panels);
            int n = rule.nodes().length;
            px = new double[n];
            py = new double[n];
            w = new double[n];
            for (int i = 0; i < n; i++) {
                double[] c = curve.point(rule.nodes()[i]);
                px[i] = a * c[0];
                py[i] = a * c[1];
                w[i] = rule.weights()[i] / width;
            }
        }

        double logDensity(double x, double y) {
            double minD2 = Double.POSITIVE_INFINITY;
            double[] d2 = new double[px.length];
            for (int i = 0; i < px.length; i++) {
                double dx = x - px[i], dy = y - py[i];
                d2[i] = dx * dx + dy * dy;
                minD2 = Math.min(minD2, d2[i]);
            }
            double sum = 0;
            for (int i = 0; i < px.length; i++) sum += w[i] * Math.exp(-(d2[i] - minD2) / (2 * beta1));
            return Math.log(sum) - minD2 / (2 * beta1) - Math.log(2 * Math.PI * beta1);
        }
    }
}
