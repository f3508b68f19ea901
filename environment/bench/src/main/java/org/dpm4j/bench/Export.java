package org.dpm4j.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntToDoubleFunction;
import java.util.random.RandomGenerator;
import org.dpm4j.bound.BoundK;
import org.dpm4j.bound.Per;
import org.dpm4j.diffusion.BinomialDiffusion;
import org.dpm4j.diffusion.GaussianDiffusion;
import org.dpm4j.util.Matrices;
import org.dpm4j.experiments.HeartbeatExperiment;
import org.dpm4j.experiments.SwissRollExperiment;
import org.dpm4j.nn.FloatMatrices;
import org.dpm4j.nn.FourierFeatures;
import org.dpm4j.nn.NetworkBinomialKernel;
import org.dpm4j.nn.NetworkFullGaussianKernel;
import org.dpm4j.nn.Params;
import org.dpm4j.schedule.BetaSchedule;
import org.dpm4j.util.Check;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Hands the time-to-target workloads to the PyTorch side, so both see identical data, schedule, initial model and
 * learning rates: per workload a directory with manifest.json and little-endian raw arrays (.f64, .f32). The
 * manifest names each array's file, shape and type, the parameter layout, the run's settings, and K (bits per
 * example) of two models on frozen noise: the initial model, and the same with its per-step readouts drawn at random
 * (at zero readouts the initial model's K does not depend on the network, so the second check exercises it). The
 * noise is BoundK's own (its documented draws: x_t = sampleQ(x0, t, rng) for t = 2..T from SplittableRandom(seed)),
 * exported as agree_xt [T - 1, n, d], so torch_bench.py --check evaluates its model on exactly the draws behind
 * these K values.
 */
public final class Export {
    /** Examples of the agreement check, and the seed of its noise. */
    public static final int SWISS_CHECK_EXAMPLES = 500, HEARTBEAT_CHECK_EXAMPLES = 16;
    public static final long CHECK_SEED = 4242;

    private Export() {}

    /** Draws x_t ~ q(x_t | x_0) for one t. */
    @FunctionalInterface
    public interface Sampler {
        INDArray at(INDArray x0, int t, RandomGenerator rng);
    }

    /** x_t for t = 2..T (index t - 2), drawn as BoundK draws them with this seed. */
    public static INDArray[] boundNoise(Sampler q, INDArray x0, int T, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        INDArray[] xt = new INDArray[T - 1];
        for (int t = 2; t <= T; t++) xt[t - 2] = q.at(x0, t, rng);
        return xt;
    }

    /** K (Eq. 14) in bits per example of a full-covariance kernel on given draws x_t (t = 2..T). */
    public static double gaussianKBits(GaussianDiffusion diffusion, NetworkFullGaussianKernel kernel, INDArray x0, INDArray[] xt) {
        int n = (int) x0.rows(), d = (int) x0.columns();
        double kl = 0;
        for (int t = 2; t <= diffusion.T(); t++) {
            for (double v : kernel.step(xt[t - 2], t).klFrom(diffusion.posterior(x0, xt[t - 2], t))) kl += v;
        }
        return (d * diffusion.entropyTermsPerDimension() - kl / n) / Math.log(2);
    }

    /** K (Eq. 14) in bits per example of a binomial kernel on given draws x_t (t = 2..T). */
    public static double binomialKBits(BinomialDiffusion diffusion, NetworkBinomialKernel kernel, INDArray x0, INDArray[] xt) {
        int n = (int) x0.rows(), d = (int) x0.columns(), T = diffusion.T();
        double kl = 0;
        for (int t = 2; t <= T; t++) {
            kl += BinomialDiffusion.klBernoulli(diffusion.posteriorProbabilityOfOne(x0, xt[t - 2], t), kernel.probabilityOfOne(xt[t - 2], t))
                    .sumNumber().doubleValue();
        }
        double[] hT = diffusion.forwardEntropy(x0, T), h1 = diffusion.forwardEntropy(x0, 1);
        double entropy = 0;
        for (int i = 0; i < n; i++) entropy += (hT[i] - h1[i] - d * diffusion.terminalEntropyPerDimension()) / n;
        return (entropy - kl / n) / Math.log(2);
    }

    /** A copy of the parameters with the per-step readouts drawn at random: weights N(0, 0.25 / in), biases N(0, 0.01). */
    public static float[] perturbedReadouts(Params params, long seed) {
        float[] v = params.values().clone();
        SplittableRandom rng = new SplittableRandom(seed);
        for (Params.Slot s : params.slots()) {
            if (!s.name.startsWith("readout.")) continue;
            double scale = s.shape.length == 3 ? 0.5 / Math.sqrt(s.shape[2]) : 0.1;   // W_t is stored [out, in]
            for (int i = 0; i < s.size; i++) v[s.offset + i] = (float) (scale * rng.nextGaussian());
        }
        return v;
    }

    /** K on the check's noise with the given parameter values, restoring the original values afterwards. */
    private static double withValues(Params params, float[] values, java.util.function.DoubleSupplier k) {
        float[] saved = params.values().clone();
        params.set(values);
        try {
            return k.getAsDouble();
        } finally {
            params.set(saved);
        }
    }

    /** Writes both workloads under dir (swissroll-fourier/, heartbeat/). */
    public static void all(Path dir, long seed) {
        swissRoll(dir.resolve("swissroll-fourier"), seed);
        heartbeat(dir.resolve("heartbeat"), seed);
    }

    /** The Swiss-roll workload: the experiment's standard data, schedule, full-covariance kernel and learning rates. */
    public static void swissRoll(Path dir, long seed) {
        SwissRollExperiment.Config c = Workloads.swissConfig();
        NetworkFullGaussianKernel kernel = SwissRollExperiment.fullKernel(c, seed);
        SwissRollExperiment.Data data = SwissRollExperiment.data(c, seed);
        GaussianDiffusion diffusion = new GaussianDiffusion(kernel.schedule());
        FourierFeatures net = (FourierFeatures) kernel.network();
        BetaSchedule s = kernel.schedule();
        int T = s.T();
        double[] table = new double[T * 5];
        for (int t = 1; t <= T; t++) {
            table[(t - 1) * 5] = s.beta(t);
            table[(t - 1) * 5 + 1] = s.alphaBar(t);
            if (t >= 2) {
                GaussianDiffusion.PosteriorCoefficients q = diffusion.posteriorCoefficients(t);
                table[(t - 1) * 5 + 2] = q.x0();
                table[(t - 1) * 5 + 3] = q.xt();
                table[(t - 1) * 5 + 4] = q.variance();
            }
        }
        INDArray x0 = Workloads.head(data.heldOut(), SWISS_CHECK_EXAMPLES);
        INDArray[] xt = boundNoise(diffusion::sampleQ, x0, T, CHECK_SEED);
        Params params = net.params();
        float[] perturbed = perturbedReadouts(params, seed + 1);
        double kInitial = BoundK.gaussianFull(diffusion, kernel, x0, CHECK_SEED).kBits(Per.sequence(2));
        double kPerturbed = withValues(params, perturbed, () -> BoundK.gaussianFull(diffusion, kernel, x0, CHECK_SEED).kBits(Per.sequence(2)));
        int maxSteps = c.steps();
        var cfg = Workloads.swissTrainConfig(seed);
        Manifest m = new Manifest(dir);
        m.field("workload", "\"swissroll-fourier\"").field("seed", seed).field("kind", "\"gaussian-full\"").field("T", T).field("d", 2)
                .field("parameterisation", "\"" + c.parameterisation() + "\"").field("activation", "\"tanh\"")
                .field("batch", cfg.batch()).field("estimator", "\"" + cfg.estimator() + "\"").field("max_steps", maxSteps)
                .field("eval_every", Workloads.SWISS_EVAL_EVERY).field("target_bits", Workloads.SWISS_TARGET_BITS)
                .field("ceiling_nats", 2 * diffusion.entropyTermsPerDimension())
                .field("check_k_initial_bits", kInitial).field("check_k_perturbed_bits", kPerturbed)
                .field("describe", "\"" + c.describe() + "\"");
        m.f64("schedule", table, T, 5);
        m.f64("train", Matrices.values(data.train()), data.train().rows(), 2);
        INDArray eval = Workloads.head(data.heldOut(), Workloads.SWISS_EVAL_EXAMPLES);
        m.f64("eval", Matrices.values(eval), eval.rows(), 2);
        m.f64("agree_x0", Matrices.values(x0), x0.rows(), 2);
        m.f64("agree_xt", concat(xt), T - 1, x0.rows(), 2);
        m.f64("lr", rates(maxSteps, step -> cfg.learningRate().at(step)), maxSteps);
        m.f32("fourier_b", net.frequencyMatrix(), 2, net.frequencies());
        m.f32("params_initial", params.values(), params.size());
        m.f32("params_perturbed", perturbed, params.size());
        write(m, params);
    }

    /** The heartbeat workload: the experiment's standard data, schedule, kernel and two-phase learning rates. */
    public static void heartbeat(Path dir, long seed) {
        HeartbeatExperiment.Config c = Workloads.heartbeatConfig();
        NetworkBinomialKernel kernel = HeartbeatExperiment.kernel(c, seed);
        HeartbeatExperiment.Data data = HeartbeatExperiment.data(c, seed);
        BinomialDiffusion diffusion = HeartbeatExperiment.diffusion(c);
        BetaSchedule s = kernel.schedule();
        int T = s.T(), d = (int) data.train().columns();
        double[] table = new double[T * 2];
        for (int t = 1; t <= T; t++) {
            table[(t - 1) * 2] = s.beta(t);
            table[(t - 1) * 2 + 1] = s.alphaBar(t);
        }
        INDArray x0 = Workloads.head(data.heldOut(), HEARTBEAT_CHECK_EXAMPLES);
        INDArray[] xt = boundNoise(diffusion::sampleQ, x0, T, CHECK_SEED);
        Params params = kernel.network().params();
        float[] perturbed = perturbedReadouts(params, seed + 1);
        Per per = Per.sequence(d);
        double kInitial = BoundK.binomial(diffusion, kernel, x0, CHECK_SEED).kBits(per);
        double kPerturbed = withValues(params, perturbed, () -> BoundK.binomial(diffusion, kernel, x0, CHECK_SEED).kBits(per));
        int maxSteps = c.steps();
        Manifest m = new Manifest(dir);
        m.field("workload", "\"heartbeat\"").field("seed", seed).field("kind", "\"binomial\"").field("T", T).field("d", d)
                .field("base_rate", HeartbeatExperiment.BASE_RATE).field("activation", "\"sigmoid\"")
                .field("parameterisation", "\"" + c.parameterisation() + "\"")
                .field("batch", c.batch()).field("estimator", "\"" + c.estimator() + "\"").field("max_steps", maxSteps)
                .field("eval_every", Workloads.HEARTBEAT_EVAL_EVERY).field("target_bits", Workloads.HEARTBEAT_TARGET_BITS)
                .field("check_k_initial_bits", kInitial).field("check_k_perturbed_bits", kPerturbed)
                .field("describe", "\"" + c.describe() + "\"");
        m.f64("schedule", table, T, 2);
        m.f64("train", Matrices.values(data.train()), data.train().rows(), d);
        INDArray eval = Workloads.head(data.heldOut(), Workloads.HEARTBEAT_EVAL_EXAMPLES);
        m.f64("eval", Matrices.values(eval), eval.rows(), d);
        m.f64("agree_x0", Matrices.values(x0), x0.rows(), d);
        m.f64("agree_xt", concat(xt), T - 1, x0.rows(), d);
        m.f64("lr", rates(maxSteps, step -> Workloads.heartbeatTrainConfig(seed, step + 1).learningRate().at(step)), maxSteps);
        m.f32("params_initial", params.values(), params.size());
        m.f32("params_perturbed", perturbed, params.size());
        write(m, params);
    }

    /** The learning rate of every 0-based step. */
    static double[] rates(int steps, IntToDoubleFunction lr) {
        double[] r = new double[steps];
        for (int i = 0; i < steps; i++) r[i] = lr.applyAsDouble(i);
        return r;
    }

    private static double[] concat(INDArray[] parts) {
        List<double[]> v = new ArrayList<>();
        int total = 0;
        for (INDArray p : parts) {
            double[] a = Matrices.values(p);
            v.add(a);
            total += a.length;
        }
        double[] out = new double[total];
        int at = 0;
        for (double[] a : v) {
            System.arraycopy(a, 0, out, at, a.length);
            at += a.length;
        }
        return out;
    }

    /** manifest.json with the network's parameter slots (name, shape, offset and size in the flat vector). */
    private static void write(Manifest m, Params params) {
        List<String> slots = new ArrayList<>();
        for (Params.Slot s : params.slots()) {
            slots.add(String.format("{\"name\": \"%s\", \"shape\": %s, \"offset\": %d, \"size\": %d}", s.name,
                    java.util.Arrays.toString(s.shape), s.offset, s.size));
        }
        m.write("slots", slots);
    }
}
