package org.dpm4j.util;

import java.util.function.DoubleUnaryOperator;

/**
 * Composite Gauss-Legendre quadrature: [a, b] cut into equal panels, 16 nodes per panel (exact for polynomials
 * of degree 31 on each panel). The nodes are the roots of P_16, found once by Newton's method.
 */
public final class Quadrature {
    public static final int NODES_PER_PANEL = 16;

    private static final double[] NODE = new double[NODES_PER_PANEL];   // on [-1, 1]
    private static final double[] WEIGHT = new double[NODES_PER_PANEL];

    static {
        int n = NODES_PER_PANEL;
        for (int i = 0; i < n; i++) {
            double x = Math.cos(Math.PI * (i + 0.75) / (n + 0.5));
            double dp = 0;
            for (int iter = 0; iter < 100; iter++) {
                double p0 = 1, p1 = x;
                for (int k = 2; k <= n; k++) {
                    double p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
                    p0 = p1;
                    p1 = p2;
                }
                dp = n * (x * p1 - p0) / (x * x - 1);
                double dx = p1 / dp;
                x -= dx;
                if (Math.abs(dx) < 1e-16) break;
            }
            NODE[i] = x;
            WEIGHT[i] = 2 / ((1 - x * x) * dp * dp);
        }
    }

    private Quadrature() {}

    /** The integral of f over [a, b] with the given number of equal panels. */
    public static double integrate(double a, double b, int panels, DoubleUnaryOperator f) {
        Rule rule = rule(a, b, panels);
        double sum = 0;
        for (int i = 0; i < rule.nodes().length; i++) sum += rule.weights()[i] * f.applyAsDouble(rule.nodes()[i]);
        return sum;
    }

    /** The nodes and weights of the composite rule on [a, b], for integrands evaluated many times. */
    public static Rule rule(double a, double b, int panels) {
        Check.positive("panels", panels);
        if (!(b > a)) throw Check.bad("b", b, "an upper limit > a = " + a);
        double h = (b - a) / panels;
        double[] nodes = new double[panels * NODES_PER_PANEL], weights = new double[nodes.length];
        for (int p = 0, k = 0; p < panels; p++) {
            double mid = a + (p + 0.5) * h;
            for (int i = 0; i < NODES_PER_PANEL; i++, k++) {
                nodes[k] = mid + 0.5 * h * NODE[i];
                weights[k] = 0.5 * h * WEIGHT[i];
            }
        }
        return new Rule(nodes, weights);
    }

    /** Quadrature nodes and weights: integral of f ~ sum_i weights[i] f(nodes[i]). */
    public record Rule(double[] nodes, double[] weights) {}
}
