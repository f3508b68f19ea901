package org.dpm4j.bench;

import org.dpm4j.experiments.HeartbeatExperiment;
import org.dpm4j.experiments.SwissRollExperiment;
import org.dpm4j.experiments.Profile;
import org.dpm4j.train.TrainConfig;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The benchmark's workloads. The two time-to-target workloads are the experiments' standard settings, built from
 * their configs: the Swiss roll of {@link SwissRollExperiment} with the full-covariance kernel (beta_1 = 1e-5,
 * log-SNR schedule, Fourier features + tanh MLP, POSTERIOR_V; 2.43 bits held-out after its 10k steps) and the
 * heartbeat of {@link HeartbeatExperiment} (T = 2000, all-T, batch 4, Adam with its two-phase decay). The throughput
 * workloads of the earlier benchmark (softplus MLP and RBF Swiss roll on referenceGaussian(40), images) keep their
 * data here, generated identically in environment/bench/torch_bench.py.
 */
public final class Workloads {
    private Workloads() {}

    /** Target K of the issue: Swiss roll 2.3 bits per point, heartbeat -2.5 bits per sequence. */
    public static final double SWISS_TARGET_BITS = 2.3, HEARTBEAT_TARGET_BITS = -2.5;
    /**
     * Held-out examples K is evaluated on during a time-to-target run (the first of the experiment's held-out set). The
     * Swiss roll's 10,000 put the standard error of an evaluation at about 0.013 bits (2,000 gave 0.03, enough to
     * decide on its own which evaluation first crosses the target); one costs about 1 s.
     */
    public static final int SWISS_EVAL_EXAMPLES = 10_000, HEARTBEAT_EVAL_EXAMPLES = 500;
    /**
     * Steps between evaluations (both sides). The Swiss roll's 250 (an evaluation costs about 0.1 s, 250 steps about
     * 2 s) keeps the quantisation of its steps to target (~5000) near 5 %. The heartbeat's must divide its main phase
     * (16,000 steps).
     */
    public static final int SWISS_EVAL_EVERY = 250, HEARTBEAT_EVAL_EVERY = 1000;

    /** The Swiss-roll experiment at its standard profile with the full-covariance kernel. */
    public static SwissRollExperiment.Config swissConfig() {
        return SwissRollExperiment.Config.of(Profile.STANDARD).withCovariance(SwissRollExperiment.Covariance.FULL);
    }

    /** The heartbeat experiment at its standard profile. */
    public static HeartbeatExperiment.Config heartbeatConfig() { return HeartbeatExperiment.Config.of(Profile.STANDARD); }

    /**
     * The Swiss-roll experiment's trainer settings ({@link SwissRollExperiment#trainConfig}) without its evaluation and
     * progress bar ({@link TimeToTarget} sets the benchmark's evaluation on held-out points).
     */
    public static TrainConfig swissTrainConfig(long seed) {
        return SwissRollExperiment.trainConfig(swissConfig(), seed).withEvaluation(0, 1).withProgress(false);
    }

    /**
     * The heartbeat experiment's trainer settings, cut at {@code stepEnd}: its learning rate has the main phase, then
     * from steps - lateSteps on the late phase, in one run.
     */
    public static TrainConfig heartbeatTrainConfig(long seed, int stepEnd) {
        HeartbeatExperiment.Config c = heartbeatConfig();
        return HeartbeatExperiment.trainConfig(c, seed).withSteps(stepEnd).withEvaluation(0, 1).withProgress(false);
    }

    /** The first n rows of x. */
    public static INDArray head(INDArray x, int n) {
        return x.get(NDArrayIndex.interval(0, Math.min(n, x.rows())), NDArrayIndex.all()).dup();
    }

    /** The 5 heartbeat sequences of length 20: a 1 in every 5th bin, phase 0..4, each repeated {@code copies} times. */
    public static INDArray heartbeat(int copies) {
        double[][] x = new double[5 * copies][20];
        for (int i = 0; i < x.length; i++) for (int j = i % 5; j < 20; j += 5) x[i][j] = 1;
        return Nd4j.createFromArray(x);
    }

    /**
     * n points of a Swiss roll, u_i = (i + 0.5) / n (a deterministic grid, so Java and Python agree exactly):
     * s = 1.5 pi (1 + 2u), (s cos s, s sin s), then each coordinate z-scored.
     */
    public static INDArray swissRoll(int n) {
        double[][] x = new double[n][2];
        for (int i = 0; i < n; i++) {
            double s = 1.5 * Math.PI * (1 + 2 * (i + 0.5) / n);
            x[i][0] = s * Math.cos(s);
            x[i][1] = s * Math.sin(s);
        }
        for (int c = 0; c < 2; c++) {
            double m = 0, v = 0;
            for (double[] r : x) m += r[c] / n;
            for (double[] r : x) v += (r[c] - m) * (r[c] - m) / n;
            double sd = Math.sqrt(v);
            for (double[] r : x) r[c] = (r[c] - m) / sd;
        }
        return Nd4j.createFromArray(x);
    }

    /**
     * n grey side x side images of plane waves, flattened row-major: image i is sin(2 pi (a r + b c) / side + 0.1 i)
     * with a = 1 + i mod 5, b = 1 + (i / 5) mod 5, then all values z-scored by one scalar mean and standard deviation
     * (as the reference code scales images).
     */
    public static INDArray images(int n, int side) {
        double[] v = new double[n * side * side];
        for (int i = 0; i < n; i++) {
            int a = 1 + i % 5, b = 1 + (i / 5) % 5;
            for (int r = 0; r < side; r++) {
                for (int c = 0; c < side; c++) v[(i * side + r) * side + c] = Math.sin(2 * Math.PI * (a * r + b * c) / side + 0.1 * i);
            }
        }
        double m = 0, ss = 0;
        for (double x : v) m += x / v.length;
        for (double x : v) ss += (x - m) * (x - m) / v.length;
        double sd = Math.sqrt(ss);
        for (int i = 0; i < v.length; i++) v[i] = (v[i] - m) / sd;
        return Nd4j.createFromArray(v).reshape(n, (long) side * side);
    }
}
