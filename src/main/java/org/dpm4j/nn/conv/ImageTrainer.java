package org.dpm4j.nn.conv;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.dpm4j.nn.FloatMatrices;
import org.dpm4j.train.Estimator;
import org.dpm4j.train.LearningRate;
import org.dpm4j.train.NonFiniteGuard;
import org.dpm4j.train.OptimizerKind;
import org.dpm4j.train.ProgressBar;
import org.dpm4j.train.TrainConfig;
import org.dpm4j.train.Trainer;
import org.dpm4j.util.Check;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * Minibatch ascent on K (Eq. 14) for an {@link ImageNetwork}, with the reference code's estimator: one t per image,
 * uniform on 2..T (or stratified), its KL weighted by T - 1. Gradients come from SameDiff; the update is ND4J's fused
 * Adam or RMSprop (decay 0.9, as {@link org.dpm4j.train.Optimizer}) applied in place to each parameter array. A step
 * whose loss or gradient is not finite is skipped and counted; {@code maxNonFinite} of them in a row stop training.
 * Every draw comes from one generator seeded by the configuration, so a seed gives bit-identical training.
 * Uses of the configuration: seed, steps, batch, estimator (SAMPLED_T or STRATIFIED_T), optimizer, learningRate,
 * maxSeconds, maxNonFinite, progress; evaluation and checkpoints are not supported for images yet.
 */
public final class ImageTrainer {
    private ImageTrainer() {}

    /**
     * The outcome: K of each minibatch in bits per image (NaN where a step was skipped), steps taken and skipped,
     * wall and process-CPU seconds.
     */
    public record Result(ImageNetwork network, double[] minibatchKBits, int steps, int skipped, double seconds, double cpuSeconds) {
        public double stepsPerSecond() { return steps / Math.max(seconds, 1e-9); }

        public double stepsPerCpuSecond() { return steps / Math.max(cpuSeconds, 1e-9); }
    }

    /** Trains the network in place on images data [n, d] (flattened channel-major, z-scored). */
    public static Result train(ImageNetwork network, INDArray data, TrainConfig cfg) {
        if (network == null) throw Check.bad("network", null, "an ImageNetwork");
        if (cfg == null) throw Check.bad("config", null, "a TrainConfig");
        int d = network.dimensions(), T = network.T();
        if (data == null || data.rank() != 2 || data.columns() != d) {
            throw Check.bad("data shape", data == null ? null : Arrays.toString(data.shape()), "[n, " + d + "] (flattened images)");
        }
        if (cfg.estimator() == Estimator.ALL_T) throw Check.bad("estimator", cfg.estimator(), "SAMPLED_T or STRATIFIED_T for images");
        if (cfg.checkpoint() != null) throw Check.bad("checkpoint", cfg.checkpoint(), "null (image checkpoints are not supported yet)");
        ImageObjective objective = new ImageObjective(network);
        Map<String, GradientUpdater<?>> updaters = updaters(network, cfg.optimizer(), cfg.learningRate());
        float[] images = data.castTo(DataType.FLOAT).dup('c').data().asFloat();
        int n = (int) data.rows(), batch = cfg.batch();
        SplittableRandom rng = new SplittableRandom(cfg.seed());
        List<Double> ks = new ArrayList<>();
        int step = 0;
        ProgressBar bar = cfg.progress() ? new ProgressBar(System.out, cfg.steps(), "bits/image") : null;
        NonFiniteGuard guard = new NonFiniteGuard(cfg.maxNonFinite(), 0);
        long start = System.nanoTime(), cpu0 = Trainer.processCpuNanos();
        double ema = Double.NaN;
        while (step < cfg.steps() && (System.nanoTime() - start) / 1e9 < cfg.maxSeconds()) {
            float[] x = new float[batch * d];
            int[] t = new int[batch];
            int offset = rng.nextInt(T - 1);
            for (int b = 0; b < batch; b++) {
                System.arraycopy(images, rng.nextInt(n) * d, x, b * d, d);
                t[b] = 2 + (cfg.estimator() == Estimator.STRATIFIED_T ? (offset + b) % (T - 1) : rng.nextInt(T - 1));
            }
            ImageObjective.Value v;
            boolean finite;
            try (var scope = FloatMatrices.stepScope()) {   // one reused block of memory for the whole step
                INDArray x0 = Nd4j.createFromArray(x).reshape(batch, d);
                v = objective.evaluate(x0, t, objective.drawXt(x0, t, rng), (T - 1) / (double) batch, true);
                finite = Double.isFinite(v.lossNats());
                for (INDArray g : v.gradients().values()) finite &= Double.isFinite(g.sumNumber().doubleValue());
                if (finite) {
                    for (var e : network.parameters().entrySet()) {
                        INDArray g = v.gradients().get(e.getKey());
                        updaters.get(e.getKey()).applyUpdater(g, step, 0);   // g becomes the update
                        e.getValue().subi(g);
                    }
                }
            }
            guard.record(finite, step, bar);
            step++;
            double k = finite ? v.kBits() : Double.NaN;
            ks.add(k);
            ema = Double.isNaN(ema) ? k : Double.isFinite(k) ? 0.95 * ema + 0.05 * k : ema;
            if (bar != null) bar.update(step, ema, step / Math.max(1e-9, (System.nanoTime() - start) / 1e9), step == cfg.steps());
        }
        if (bar != null) bar.finish();
        return new Result(network, ks.stream().mapToDouble(Double::doubleValue).toArray(), step, guard.skipped(),
                (System.nanoTime() - start) / 1e9, (Trainer.processCpuNanos() - cpu0) / 1e9);
    }

    /** One updater per parameter array, its state a view of a fresh zeroed array. */
    private static Map<String, GradientUpdater<?>> updaters(ImageNetwork network, OptimizerKind kind, LearningRate lr) {
        ISchedule schedule = new Schedule(lr);
        IUpdater config;
        if (kind == OptimizerKind.ADAM) {
            config = new Adam(schedule);
        } else {
            RmsProp r = new RmsProp(schedule);
            r.setRmsDecay(0.9);
            config = r;
        }
        Map<String, GradientUpdater<?>> out = new LinkedHashMap<>();
        for (var e : network.parameters().entrySet()) {
            INDArray p = e.getValue();
            INDArray state = Nd4j.zeros(p.dataType(), 1, config.stateSize(p.length()));
            GradientUpdater<?> u = config.instantiate(state, true);
            u.setStateViewArray(state, p.shape(), p.ordering(), true);
            out.put(e.getKey(), u);
        }
        return out;
    }

    /** The library's learning-rate schedule seen through ND4J's interface (iteration = 0-based step). */
    private record Schedule(LearningRate lr) implements ISchedule {
        @Override public double valueAt(int iteration, int epoch) { return lr.at(iteration); }

        @Override public ISchedule clone() { return new Schedule(lr); }
    }
}
