package org.dpm4j.schedule;

import java.util.function.DoubleUnaryOperator;

/**
 * The schedules' arithmetic as it was before schedules had names (commit 43801d2), copied verbatim without its argument
 * checks: SwissRollExperiment.schedule's inline log-SNR-linear loop, OracleSchedules' warped and two-piece log-SNR
 * schedules, and Schedules' factories. The oracle for the claim that moving them into the registry left every beta
 * bit-identical, so numbers measured with the old code still describe the new.
 */
final class OldScheduleCode {
    private OldScheduleCode() {}

    /** SwissRollExperiment.schedule(Config), LOG_SNR_LINEAR branch. */
    static double[] swissRollLogSnrLinear(int T, double beta1, double terminalSnr) {
        double first = Math.log((1 - beta1) / beta1), last = Math.log(terminalSnr);
        double[] b = new double[T];
        double prev = 1;
        for (int t = 1; t <= T; t++) {
            double lambda = first + (last - first) * (t - 1) / (T - 1);
            double alphaBar = 1 / (1 + Math.exp(-lambda));
            b[t - 1] = t == 1 ? beta1 : 1 - alphaBar / prev;
            prev = alphaBar;
        }
        return b;
    }

    /** SwissRollExperiment.twoPieceSteps. */
    static int swissRollTwoPieceSteps(int T) { return Math.max(1, Math.min(T - 2, (int) Math.round(36.0 / 39 * (T - 1)))); }

    static double[] warpedLogSnr(int T, double beta1, double terminalSnr, double power) {
        double first = Math.log((1 - beta1) / beta1), last = Math.log(terminalSnr);
        return fromLogSnr(beta1, T, u -> first + (last - first) * Math.pow(u, power));
    }

    static double[] twoPieceLogSnr(int T, double beta1, double lambdaMid, int stepsToMid, double terminalSnr) {
        double first = Math.log((1 - beta1) / beta1), last = Math.log(terminalSnr);
        double uMid = (double) stepsToMid / (T - 1);
        return fromLogSnr(beta1, T, u -> u <= uMid ? first + (lambdaMid - first) * u / uMid
                : lambdaMid + (last - lambdaMid) * (u - uMid) / (1 - uMid));
    }

    private static double[] fromLogSnr(double beta1, int T, DoubleUnaryOperator lambda) {
        double[] b = new double[T];
        double prev = 1;
        for (int t = 1; t <= T; t++) {
            double alphaBar = 1 / (1 + Math.exp(-lambda.applyAsDouble((t - 1.0) / (T - 1))));
            b[t - 1] = t == 1 ? beta1 : 1 - alphaBar / prev;
            prev = alphaBar;
        }
        return b;
    }

    static double[] binomialPaper(int T) {
        double[] b = new double[T];
        for (int t = 1; t <= T; t++) b[t - 1] = 1.0 / (T - t + 1);
        return b;
    }

    static double[] referenceGaussian(int T, double step1Beta) {
        double[] b = new double[T];
        for (int t = 1; t <= T; t++) {
            double base = 1.0 / (T + (2.0 - T) * (t - 1) / (T - 1));
            double min = 1e-6 + (t == 1 ? step1Beta : 0);
            b[t - 1] = min + base * (1 - min - 1e-5);
        }
        return b;
    }

    static double[] linearHo(int T) {
        double scale = 1000.0 / T, lo = scale * 1e-4, hi = scale * 0.02;
        double[] b = new double[T];
        for (int t = 1; t <= T; t++) b[t - 1] = lo + (hi - lo) * (t - 1) / (T - 1);
        return b;
    }

    static double[] cosine(int T) {
        double s = 0.008;
        double[] b = new double[T];
        for (int t = 1; t <= T; t++) {
            double ratio = cosineF(t, T, s) / cosineF(t - 1, T, s);
            b[t - 1] = Math.min(1 - ratio, 0.999);
        }
        return b;
    }

    private static double cosineF(int t, int T, double s) {
        double c = Math.cos(((double) t / T + s) / (1 + s) * Math.PI / 2);
        return c * c;
    }

    static double[] sigmoid(int T) {
        double[] b = new double[T];
        for (int t = 1; t <= T; t++) {
            double ratio = sigmoidAlphaBar((double) t / T) / sigmoidAlphaBar((double) (t - 1) / T);
            b[t - 1] = Math.min(1 - ratio, 0.999);
        }
        return b;
    }

    private static double sigmoidAlphaBar(double u) {
        double vStart = logistic(-3), vEnd = logistic(3);
        return (vEnd - logistic(6 * u - 3)) / (vEnd - vStart);
    }

    private static double logistic(double z) { return 1 / (1 + Math.exp(-z)); }
}
