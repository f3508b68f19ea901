package org.dpm4j.experiments;

import org.dpm4j.data.SwissRoll;
import org.dpm4j.data.Curve;
import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BlurCeilingTest {
    private static final double LOG2_E = 1 / Math.log(2);

    /** A circle of radius r about the origin, angle uniform. */
    private record Circle(double r) implements Curve {
        @Override public double sMin() { return 0; }
        @Override public double sMax() { return 2 * Math.PI; }
        @Override public double[] point(double s) { return new double[] {r * Math.cos(s), r * Math.sin(s)}; }
        @Override public double speed(double s) { return r; }
    }

    @ParameterizedTest(name = "beta_1 = {0}: quadrature ceiling within 4 SE + 0.01 bits of Monte Carlo (n = {1}, seed 1)")
    @CsvSource({"1e-2, 3000", "1e-3, 2000", "1e-4, 1000"})
    void quadratureMatchesMonteCarlo(double beta1, int n) {
        double quad = BlurCeiling.bits(SwissRoll.get(), beta1);
        Estimate mc = BlurCeiling.monteCarloBits(SwissRoll.get(), beta1, n, new SplittableRandom(1));
        assertTrue(mc.standardError() < 0.05, "standard error " + mc.standardError());
        assertEquals(mc.mean(), quad, 4 * mc.standardError() + 0.01, "Monte Carlo " + mc + " vs quadrature " + quad);
    }

    @Test
    @DisplayName("circle of radius 1: ceiling = -log2(2 pi a) - log2(2 pi e beta)/2 + beta/(2 ln 2), and Monte Carlo agrees")
    void circleClosedForm() {
        double beta = 1e-3, a = Math.sqrt(1 - beta);
        double closed = -Math.log(2 * Math.PI * a) * LOG2_E - 0.5 * Math.log(2 * Math.PI * Math.E * beta) * LOG2_E
                + beta / 2 * LOG2_E;   // first-step term beta (d - E|x|^2) / 2 with E|x|^2 = 1
        assertEquals(closed, BlurCeiling.bits(new Circle(1), beta), 1e-12);
        Estimate mc = BlurCeiling.monteCarloBits(new Circle(1), beta, 3000, new SplittableRandom(2));
        assertEquals(closed, mc.mean(), 4 * mc.standardError() + 0.005, "Monte Carlo " + mc);
    }

    @Test
    @DisplayName("a tenfold smaller beta_1 raises the ceiling by log2(10)/2 = 1.661 bits (up to O(beta_1))")
    void scalingInBeta() {
        double half = 0.5 * Math.log(10) * LOG2_E;
        for (double beta : new double[] {1e-3, 1e-4, 1e-5}) {
            double gap = BlurCeiling.bits(SwissRoll.get(), beta / 10) - BlurCeiling.bits(SwissRoll.get(), beta);
            assertEquals(half, gap, 2 * beta, "beta_1 = " + beta);
        }
    }

    @ParameterizedTest(name = "beta_1 = {0}: ceiling within 0.03 bits of the independently measured {1} bits")
    @CsvSource({"1e-3, -0.71", "1e-4, 0.95", "1e-5, 2.61", "1e-6, 4.28"})
    void matchesIndependentMeasurement(double beta1, double measured) {
        assertEquals(measured, BlurCeiling.bits(SwissRoll.get(), beta1), 0.03);
    }

    @Test
    @DisplayName("the blurred density at a point on the circle matches the 1-D normal cross-section 1/(2 pi a) N(0; 0, beta)")
    void densityOnCircle() {
        double beta = 1e-4, a = Math.sqrt(1 - beta);
        double expected = -Math.log(2 * Math.PI * a) - 0.5 * Math.log(2 * Math.PI * beta);
        assertEquals(expected, BlurCeiling.logDensity(new Circle(1), beta, a, 0), 1e-3);
    }

    @Test
    @DisplayName("beta_1 outside (0, 1) is rejected, naming beta1")
    void badBeta() {
        var e = assertThrows(IllegalArgumentException.class, () -> BlurCeiling.bits(SwissRoll.get(), 0));
        assertTrue(e.getMessage().startsWith("beta1 = 0.0"), e.getMessage());
    }
}
