package org.dpm4j.bench;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.LongFunction;
import org.dpm4j.experiments.HeartbeatExperiment;
import org.dpm4j.experiments.SwissRollExperiment;
import org.dpm4j.train.BinomialObjective;
import org.dpm4j.train.Estimator;
import org.dpm4j.train.FullGaussianObjective;
import org.dpm4j.train.LearningRate;
import org.dpm4j.train.Objective;
import org.dpm4j.train.OptimizerKind;
import org.dpm4j.train.TrainConfig;
import org.dpm4j.train.TrainResult;
import org.dpm4j.train.Trainer;
import org.dpm4j.util.Check;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The three estimators of K's gradient ({@link Estimator}) compared at a matched CPU budget on an experiment's model:
 * for each, the CPU seconds of a step are measured (a warm-up run, then a timed one on a fresh kernel), the step count
 * that fills the budget is set, and a fresh kernel from the same seed trains that many steps with Adam, the rate
 * decaying geometrically from the experiment's initial rate to a tenth of it (heartbeat: to its decayed rate) over
 * the run; K is then evaluated on every held-out example (bits per example, every t, one draw each, seeded). The
 * batches: ALL_T at the experiment's batch B, STRATIFIED_T at B (T - 1) (the same rows per step as ALL_T for the Swiss
 * roll, each row a fresh x_0; T - 1 for the heartbeat, one x_0 per term), SAMPLED_T at B (T - 1) for the Swiss roll
 * and 256 for the heartbeat (the reference code's estimator at the benchmark's batch).
 * Usage: EstimatorComparison --workload heartbeat|swissroll-fourier [--budget CPU seconds per estimator] [--seed 1];
 * prints one JSON line per estimator.
 */
public final class EstimatorComparison {
    private EstimatorComparison() {}

    /** One estimator's run: the steps the budget bought, the CPU seconds they took, K on the held-out set. */
    public record Run(String workload, Estimator estimator, int batch, long seed, double budgetCpuSeconds, int steps,
                      double cpuSeconds, double kBits, int heldOut) {
        public String json() {
            return String.format(Locale.ROOT, "{\"side\": \"dpm4j\", \"phase\": \"estimators\", \"workload\": \"%s\", \"estimator\": \"%s\", "
                            + "\"batch\": %d, \"seed\": %d, \"budget_cpu_seconds\": %.1f, \"steps\": %d, \"cpu_seconds\": %.2f, "
                            + "\"k_eval_bits\": %s, \"held_out\": %d}",
                    workload, estimator, batch, seed, budgetCpuSeconds, steps, cpuSeconds, Benchmark.json(kBits), heldOut);
        }
    }

    public static void main(String[] args) {
        Map<String, String> a = new HashMap<>(Map.of("budget", "90", "seed", "1"));
        for (int i = 0; i + 1 < args.length; i += 2) a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        double budget = Double.parseDouble(a.get("budget"));
        long seed = Long.parseLong(a.get("seed"));
        for (Estimator e : new Estimator[] {Estimator.ALL_T, Estimator.STRATIFIED_T, Estimator.SAMPLED_T}) {
            System.out.println(run(a.get("workload"), e, budget, seed).json());
        }
    }

    /** One estimator on a workload with the given CPU budget (seconds of training, evaluation excluded). */
    public static Run run(String workload, Estimator estimator, double budgetCpuSeconds, long seed) {
        Check.positive("budgetCpuSeconds", budgetCpuSeconds);
        if ("heartbeat".equals(workload)) {
            HeartbeatExperiment.Config c = Workloads.heartbeatConfig();
            HeartbeatExperiment.Data data = HeartbeatExperiment.data(c, seed);
            int batch = switch (estimator) {
                case ALL_T -> c.batch();
                case STRATIFIED_T -> c.T() - 1;
                case SAMPLED_T, ONE_T_PER_BATCH -> 256;
            };
            return run(workload, estimator, batch, seed, budgetCpuSeconds, s -> HeartbeatExperiment.kernel(c, s),
                    (k, cfg) -> Trainer.train(k, data.train(), cfg), data.heldOut(), c.learningRate(), c.decayedLearningRate(),
                    BinomialObjective::new);
        }
        if ("swissroll-fourier".equals(workload)) {
            SwissRollExperiment.Config c = Workloads.swissConfig();
            SwissRollExperiment.Data data = SwissRollExperiment.data(c, seed);
            int batch = estimator == Estimator.ALL_T ? c.batch() : c.batch() * (c.T() - 1);
            return run(workload, estimator, batch, seed, budgetCpuSeconds, s -> SwissRollExperiment.fullKernel(c, s),
                    (k, cfg) -> Trainer.train(k, data.train(), cfg), data.heldOut(), c.learningRate(), c.learningRate() / 10,
                    FullGaussianObjective::new);
        }
        throw Check.bad("workload", workload, "heartbeat or swissroll-fourier");
    }

    private static <K> Run run(String workload, Estimator estimator, int batch, long seed, double budget, LongFunction<K> kernel,
                               BiFunction<K, TrainConfig, TrainResult<K>> train, INDArray heldOut, double lr0, double lr1,
                               Function<K, Objective> objective) {
        train.apply(kernel.apply(seed + 100), config(estimator, batch, 50, lr0, lr1, seed));   // warm-up
        TrainResult<K> probe = train.apply(kernel.apply(seed + 101), config(estimator, batch, 150, lr0, lr1, seed));
        int steps = (int) Math.max(10, budget / (probe.history().lastCpuSeconds() / probe.steps()));
        K k = kernel.apply(seed);
        TrainResult<K> r = train.apply(k, config(estimator, batch, steps, lr0, lr1, seed));
        double bits = Trainer.evaluateBits(objective.apply(k), Benchmark.flat(heldOut), seed + 2);
        return new Run(workload, estimator, batch, seed, budget, r.steps(), r.history().lastCpuSeconds(), bits, (int) heldOut.rows());
    }

    private static TrainConfig config(Estimator estimator, int batch, int steps, double lr0, double lr1, long seed) {
        return TrainConfig.of(seed, steps).withBatch(batch).withEstimator(estimator)
                .withOptimizer(OptimizerKind.ADAM, LearningRate.geometric(lr0, lr1, steps, Math.min(100, steps)))
                .withEvaluation(0, 1).withProgress(false);
    }
}
