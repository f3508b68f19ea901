package org.dpm4j.bench;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.dpm4j.data.ImageShape;
import org.dpm4j.experiments.HeartbeatExperiment;
import org.dpm4j.experiments.SwissRollExperiment;
import org.dpm4j.nn.NetworkBinomialKernel;
import org.dpm4j.nn.NetworkFullGaussianKernel;
import org.dpm4j.kernel.GaussianParameterisation;
import org.dpm4j.nn.conv.ImageNetwork;
import org.dpm4j.nn.conv.ImageNetworkConfig;
import org.dpm4j.nn.conv.ImageNetworkObjective;
import org.dpm4j.schedule.Schedules;
import org.dpm4j.train.Estimator;
import org.dpm4j.train.TrainConfig;
import org.dpm4j.train.TrainResult;
import org.dpm4j.train.Trainer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * dpm4j side of the training benchmark (environment/benchmark.sh runs it next to environment/bench/torch_bench.py
 * with the same arguments). One run trains one workload and prints one JSON line: steps, wall and process-CPU
 * seconds, steps per second of each, the evaluated K in bits per example, and the time to reach a target K.
 * The image workload (the paper's image network at its reference sizes on 28x28 grey images, T = 1000, one sampled t
 * per image) takes two untimed warm-up steps first (JIT compilation and the float[] path's work buffers).
 * Usage: Benchmark --workload heartbeat|swissroll-mlp|swissroll-rbf|swissroll-fourier|image [--estimator ALL_T|SAMPLED_T]
 * [--batch 4] [--lr 1e-3] [--seconds 20] [--seed 1] (throughput);
 * Benchmark --phase target --workload swissroll-fourier|heartbeat [--seconds budget] [--seed 1] (time to target, the
 * experiments' settings from {@link Workloads}, see {@link TimeToTarget});
 * Benchmark --export dir [--seed 1] (the target workloads for torch_bench.py, see {@link Export}).
 */
public final class Benchmark {
    private Benchmark() {}

    public static void main(String[] args) {
        Map<String, String> a = new HashMap<>(Map.of("estimator", "ALL_T", "batch", "4", "lr", "1e-3", "seconds", "20",
                "eval-every", "0", "eval-examples", "200", "seed", "1"));
        for (int i = 0; i + 1 < args.length; i += 2) a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        if (a.containsKey("export")) {
            Export.all(java.nio.file.Path.of(a.get("export")), Long.parseLong(a.get("seed")));
            return;
        }
        String workload = a.get("workload");
        if ("target".equals(a.get("phase"))) {
            System.out.println(target(workload, Long.parseLong(a.get("seed")), Double.parseDouble(a.get("seconds"))).json());
            return;
        }
        if (workload == null) throw new IllegalArgumentException("--workload = null, expected heartbeat, swissroll-mlp, swissroll-rbf or image");
        double target = a.containsKey("target") ? Double.parseDouble(a.get("target")) : Double.NaN;
        TrainConfig cfg = TrainConfig.of(Long.parseLong(a.get("seed")), Integer.MAX_VALUE)
                .withBatch(Integer.parseInt(a.get("batch")))
                .withEstimator(Estimator.valueOf(a.get("estimator")))
                .withLearningRate(Double.parseDouble(a.get("lr")))
                .withEvaluation(Integer.parseInt(a.get("eval-every")), Integer.parseInt(a.get("eval-examples")))
                .withTarget(target)
                .withMaxSeconds(Double.parseDouble(a.get("seconds")))
                .withProgress(Boolean.parseBoolean(a.getOrDefault("progress", "false")));
        long seed = cfg.seed();
        if (workload.equals("image")) {
            image(cfg, a.get("lr"));
            return;
        }
        TrainResult<?> r = switch (workload) {
            case "heartbeat" -> Trainer.train(BenchModels.heartbeat(Schedules.binomialPaper(2000), 0.2, seed), Workloads.heartbeat(40), cfg);
            case "swissroll-mlp" -> Trainer.train(BenchModels.swissRollMlp(Schedules.referenceGaussian(40), GaussianParameterisation.PAPER,
                    new int[] {128, 128}, seed), Workloads.swissRoll(2000), cfg);
            case "swissroll-rbf" -> Trainer.train(BenchModels.swissRollRbf(Schedules.referenceGaussian(40), GaussianParameterisation.PAPER, seed),
                    Workloads.swissRoll(2000), cfg);
            case "swissroll-fourier" -> Trainer.train(SwissRollExperiment.fullKernel(Workloads.swissConfig(), seed),
                    SwissRollExperiment.data(Workloads.swissConfig(), seed).train(),
                    Workloads.swissTrainConfig(seed).withSteps(Integer.MAX_VALUE).withMaxSeconds(cfg.maxSeconds()));
            default -> throw new IllegalArgumentException("--workload = " + workload + ", expected heartbeat, swissroll-mlp, swissroll-rbf or image");
        };
        print(workload, cfg, a.get("lr"), r.steps(), r.seconds(), r.history().lastCpuSeconds(), r.evalKBits(), target,
                r.history().secondsToReach(target), r.history().cpuSecondsToReach(target));
    }

    /**
     * Time to the target K with the experiment's settings, K evaluated every evalEvery steps inside the trainer
     * on the first held-out examples (every t, one draw per example and step, the same noise at every evaluation: the
     * estimate BoundK makes, in a few large passes).
     */
    static TimeToTarget.Result target(String workload, long seed, double budgetSeconds) {
        return switch (workload) {
            case "swissroll-fourier" -> {
                SwissRollExperiment.Config c = Workloads.swissConfig();
                NetworkFullGaussianKernel kernel = SwissRollExperiment.fullKernel(c, seed);
                SwissRollExperiment.Data data = SwissRollExperiment.data(c, seed);
                yield TimeToTarget.run(workload, seed, Workloads.SWISS_TARGET_BITS, Workloads.SWISS_EVAL_EVERY, Workloads.SWISS_EVAL_EXAMPLES,
                        budgetSeconds, List.of(Workloads.swissTrainConfig(seed)), cfg -> Trainer.train(kernel, data.train(), data.heldOut(), cfg));
            }
            case "heartbeat" -> {
                HeartbeatExperiment.Config c = Workloads.heartbeatConfig();
                NetworkBinomialKernel kernel = HeartbeatExperiment.kernel(c, seed);
                HeartbeatExperiment.Data data = HeartbeatExperiment.data(c, seed);
                yield TimeToTarget.run(workload, seed, Workloads.HEARTBEAT_TARGET_BITS, Workloads.HEARTBEAT_EVAL_EVERY, Workloads.HEARTBEAT_EVAL_EXAMPLES,
                        budgetSeconds, List.of(Workloads.heartbeatTrainConfig(seed, c.steps())),
                        cfg -> Trainer.train(kernel, data.train(), data.heldOut(), cfg));
            }
            default -> throw new IllegalArgumentException("--workload = " + workload + ", expected swissroll-fourier or heartbeat for --phase target");
        };
    }

    static double[] flat(INDArray x) { return x.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).dup('c').data().asDouble(); }

    /** The image network (reference sizes, PAPER parameterisation) on 28x28 grey images, T = 1000, K by SAMPLED_T. */
    private static void image(TrainConfig cfg, String lr) {
        if (cfg.estimator() == Estimator.ALL_T) cfg = cfg.withEstimator(Estimator.SAMPLED_T);
        ImageNetwork net = ImageNetwork.create(ImageNetworkConfig.reference(ImageShape.grey(28, 28)),
                Schedules.referenceGaussian(1000), GaussianParameterisation.PAPER, cfg.seed());
        INDArray data = Workloads.images(1000, 28);
        ImageNetworkObjective.train(net, data, null, cfg.withSteps(2).withMaxSeconds(Double.POSITIVE_INFINITY).withProgress(false));
        var r = ImageNetworkObjective.train(net, data, null, cfg);
        print("image", cfg, lr, r.steps(), r.seconds(), r.cpuSeconds(), Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }

    private static void print(String workload, TrainConfig cfg, String lr, int steps, double seconds, double cpu, double evalK,
                              double target, double toTarget, double cpuToTarget) {
        System.out.println(String.format(Locale.ROOT,
                "{\"side\": \"dpm4j\", \"workload\": \"%s\", \"estimator\": \"%s\", \"batch\": %d, \"lr\": %s, \"steps\": %d, "
                        + "\"seconds\": %.3f, \"cpu_seconds\": %.3f, \"steps_per_s\": %.3f, \"steps_per_cpu_s\": %.3f, "
                        + "\"k_eval_bits\": %s, \"target_bits\": %s, \"seconds_to_target\": %s, \"cpu_seconds_to_target\": %s}",
                workload, cfg.estimator(), cfg.batch(), lr, steps, seconds, cpu, steps / seconds,
                steps / Math.max(cpu, 1e-9), json(evalK), json(target), json(toTarget), json(cpuToTarget)));
    }

    static String json(double v) { return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "null"; }
}
