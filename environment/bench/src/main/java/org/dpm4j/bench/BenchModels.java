package org.dpm4j.bench;

import java.util.SplittableRandom;
import org.dpm4j.kernel.GaussianParameterisation;
import org.dpm4j.nn.Activation;
import org.dpm4j.nn.Mlp;
import org.dpm4j.nn.NetworkBinomialKernel;
import org.dpm4j.nn.NetworkGaussianKernel;
import org.dpm4j.nn.RbfNetwork;
import org.dpm4j.schedule.BetaSchedule;

/**
 * The fixed models of the benchmark's throughput workloads, mirrored one for one in torch_bench.py. They are the
 * paper's published architectures, not the experiments' models (which are Workloads' swissroll-fourier and the
 * heartbeat's time-to-target run): kept fixed so the throughput tables stay comparable across sessions.
 */
final class BenchModels {
    private BenchModels() {}

    /** Swiss roll as in the paper: normalised RBF network, 16 hidden units, per-step readout, d = 2. */
    static NetworkGaussianKernel swissRollRbf(BetaSchedule schedule, GaussianParameterisation parameterisation, long seed) {
        return new NetworkGaussianKernel(new RbfNetwork(2, 16, 4, schedule.T(), new SplittableRandom(seed)), schedule, parameterisation);
    }

    /** Swiss roll with a softplus MLP of the given hidden widths and per-step readout, d = 2. */
    static NetworkGaussianKernel swissRollMlp(BetaSchedule schedule, GaussianParameterisation parameterisation, int[] hidden, long seed) {
        return NetworkGaussianKernel.mlp(2, hidden, Activation.SOFTPLUS, Mlp.Readout.PER_STEP, schedule, parameterisation, seed);
    }

    /** Binary heartbeat: MLP 20 -> 50 -> 50 -> 50, sigmoid units, per-step readout, the FORWARD_LOGIT readout. */
    static NetworkBinomialKernel heartbeat(BetaSchedule schedule, double baseRate, long seed) {
        return NetworkBinomialKernel.mlp(20, new int[] {50, 50, 50}, schedule, baseRate, seed);
    }
}
