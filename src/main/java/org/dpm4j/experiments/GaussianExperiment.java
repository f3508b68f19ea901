package org.dpm4j.experiments;

import java.util.SplittableRandom;
import org.dpm4j.bound.BoundK;
import org.dpm4j.bound.BoundResult;
import org.dpm4j.bound.ImportanceSampledLikelihood;
import org.dpm4j.bound.LikelihoodEstimate;
import org.dpm4j.bound.Per;
import org.dpm4j.bound.Units;
import org.dpm4j.diffusion.GaussianDiffusion;
import org.dpm4j.kernel.ExactGaussianDataKernel;
import org.dpm4j.kernel.GaussianParameterisation;
import org.dpm4j.nn.Activation;
import org.dpm4j.nn.Mlp;
import org.dpm4j.nn.NetworkGaussianKernel;
import org.dpm4j.results.Elapsed;
import org.dpm4j.results.Run;
import org.dpm4j.results.RunClock;
import org.dpm4j.schedule.BetaSchedule;
import org.dpm4j.schedule.ScheduleSpec;
import org.dpm4j.train.TrainResult;
import org.dpm4j.train.Trainer;
import org.dpm4j.util.Check;
import org.dpm4j.util.Matrices;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An oracle-friendly experiment (not in the paper): Gaussian diffusion on 2-D Gaussian data
 * x_0 ~ N(m, diag s^2), m = (0.5, -1), s^2 = (0.25, 2). Every marginal q(x_t) is Gaussian, so the best reverse kernel
 * is known exactly ({@link ExactGaussianDataKernel}) and so is its K (Eq. 14) for any schedule, in closed form: the
 * test bed of schedule ablations, where a trained network's K can be set against the exact best. A small tanh MLP
 * (posterior at a v-predicted x_0, as the Swiss roll's) is trained by ascent on K. Values in bits per 2-D point.
 */
public final class GaussianExperiment {
    public static final String DATASET = "Gaussian (2-D)";
    public static final String UNITS = "bits/point";
    /** The data's mean and variance per dimension. */
    static final double[] MEAN = {0.5, -1.0}, VARIANCE = {0.25, 2.0};
    public static final Per PER_POINT = Per.sequence(2);
    /** The learned arm's schedule learning rate (as the Swiss roll's). */
    public static final double SCHEDULE_LEARNING_RATE = 3e-2;

    /**
     * Every setting of a run, by name ({@link Settings}).
     *
     * @param T               diffusion steps
     * @param schedule        the beta schedule by name ({@link ScheduleSpec})
     * @param hidden          MLP hidden width (two tanh layers, per-step readout)
     * @param trainExamples   size of the training set
     * @param steps           training steps
     * @param batch           examples per minibatch (every t used for each)
     * @param learningRate    Adam's learning rate, decayed tenfold over the run
     * @param heldOut         held-out points for K
     * @param eq9Examples     held-out points for Eq. 9
     * @param eq9Trajectories forward trajectories per point for Eq. 9
     */
    public record Config(int T, ScheduleSpec schedule, int hidden, int trainExamples, int steps, int batch,
                         double learningRate, int heldOut, int eq9Examples, int eq9Trajectories) {
        public Config {
            Check.inRange("T", T, 2, 100_000);
            if (schedule == null) throw Check.bad("schedule", null, "a schedule by name, such as cosine");
            schedule.build(T);
            Check.positive("hidden", hidden);
            Check.positive("trainExamples", trainExamples);
            Check.inRange("steps", steps, 0, Integer.MAX_VALUE);
            Check.positive("batch", batch);
            Check.positive("learningRate", learningRate);
            Check.positive("heldOut", heldOut);
            Check.positive("eq9Examples", eq9Examples);
            Check.positive("eq9Trajectories", eq9Trajectories);
        }

        /** The settings of a profile: T = 20 and the log-SNR-linear schedule in all; quick trains for seconds. */
        public static Config of(Profile profile) {
            Config standard = Settings.build(Config.class, "T", 20,
                    "schedule", ScheduleSpec.parse("log-snr-linear:beta1=1e-3,snrT=1e-3"), "hidden", 32,
                    "trainExamples", 20_000, "steps", 2000, "batch", 64, "learningRate", 5e-3,
                    "heldOut", 5000, "eq9Examples", 200, "eq9Trajectories", 50);
            return switch (profile) {
                case QUICK -> Settings.change(standard, "hidden", 16, "trainExamples", 2000, "steps", 150, "learningRate", 1e-2,
                        "heldOut", 1000, "eq9Examples", 20, "eq9Trajectories", 10);
                case STANDARD -> standard;
                case PAPER -> Settings.change(standard, "steps", 10_000, "heldOut", 20_000);
            };
        }
    }

    /** The training set and held-out sets (a split-off stream training never sees). */
    public record Data(INDArray train, INDArray heldOut, INDArray eq9Points) {}

    private GaussianExperiment() {}

    /** The registered experiment: {@code Main run gaussian}; its oracle is exact, and it can learn its schedule. */
    public static final Experiment<Config> EXPERIMENT = new Registered();

    private static final class Registered implements Experiment<Config>, OracleK<Config>, LearnsSchedule<Config> {
        @Override public String name() { return "gaussian"; }

        @Override public String title() { return "2-D Gaussian data, Gaussian diffusion, small MLP; exact oracle K (schedule ablations)"; }

        @Override public Class<Config> settingsType() { return Config.class; }

        @Override public Config settings(Profile profile) { return Config.of(profile); }

        @Override public Run run(Config c, Profile profile, long seed) { return GaussianExperiment.run(c, profile, seed, false); }

        @Override public Run oracle(Config c, Profile profile, long seed) { return GaussianExperiment.oracle(c, profile, seed); }

        @Override public String oracleDescription() { return "the exact reverse kernel q(x_{t-1} | x_t) of Gaussian data"; }

        @Override public double scheduleLearningRate() { return SCHEDULE_LEARNING_RATE; }

        @Override public Run runLearningSchedule(Config c, Profile profile, long seed) { return GaussianExperiment.run(c, profile, seed, true); }
    }

    public static BetaSchedule schedule(Config c) { return c.schedule().build(c.T()); }

    /** Seeded draws of N(m, diag s^2), [n, 2]. */
    static INDArray sample(int n, SplittableRandom rng) {
        INDArray x = Matrices.gaussian(n, MEAN.length, rng);
        for (int j = 0; j < MEAN.length; j++) x.getColumn(j).muli(Math.sqrt(VARIANCE[j])).addi(MEAN[j]);
        return x;
    }

    public static Data data(Config c, long seed) {
        SplittableRandom rng = new SplittableRandom(new Seeds(seed).data()), heldOut = rng.split();
        return new Data(sample(c.trainExamples(), rng), sample(c.heldOut(), heldOut), sample(c.eq9Examples(), heldOut));
    }

    /** The exact reverse kernel of the data under the settings' schedule: the oracle. */
    public static ExactGaussianDataKernel exactKernel(BetaSchedule schedule) {
        return new ExactGaussianDataKernel(schedule, MEAN, VARIANCE);
    }

    /**
     * The ceiling on K: -H(X_1), the entropy of the data blurred by the fixed first step, in closed form:
     * x_1 ~ N(sqrt(alpha_1) m, alpha_1 s^2 + beta_1) per dimension. Bits per 2-D point.
     */
    public static double ceilingBits(BetaSchedule schedule) {
        double a = schedule.alpha(1), b = schedule.beta(1), h = 0;
        for (double v : VARIANCE) h += 0.5 * Math.log(2 * Math.PI * Math.E * (a * v + b));
        return Units.natsToBits(-h);
    }

    /** The untrained network kernel (weights from the seed's model stream, readouts at zero). */
    public static NetworkGaussianKernel kernel(Config c, long seed) {
        return NetworkGaussianKernel.mlp(2, new int[] {c.hidden(), c.hidden()}, Activation.TANH, Mlp.Readout.PER_STEP,
                schedule(c), GaussianParameterisation.POSTERIOR_V, new Seeds(seed).model());
    }

    /** K (Eq. 14) and Eq. 9 on the held-out data, and the ceiling, seeded. */
    public static Evaluation evaluate(Config c, NetworkGaussianKernel kernel, Data data, long seed) {
        GaussianDiffusion diffusion = new GaussianDiffusion(kernel.schedule());
        BoundResult bound = BoundK.gaussian(diffusion, kernel, data.heldOut(), new Seeds(seed).bound());
        LikelihoodEstimate eq9 = ImportanceSampledLikelihood.gaussian(diffusion, kernel, data.eq9Points(),
                c.eq9Trajectories(), new Seeds(seed).eq9());
        return new Evaluation(bound, eq9, ceilingBits(kernel.schedule()), PER_POINT);
    }

    /**
     * The oracle's K: the exact reverse kernel's bound on the same held-out data with the same noise as a trained
     * run's evaluation (so the two pair), bits per point. Its expectation is known in closed form (the tests check it).
     */
    public static Run oracle(Config c, Profile profile, long seed) {
        RunClock clock = RunClock.start();
        BetaSchedule s = schedule(c);
        BoundResult bound = BoundK.gaussian(new GaussianDiffusion(s), exactKernel(s), data(c, seed).heldOut(), new Seeds(seed).bound());
        return OracleRuns.run("gaussian", DATASET, UNITS, profile, seed, c, bound.kBits(PER_POINT),
                bound.kStandardErrorBits(PER_POINT), ceilingBits(s), Evaluation.perExampleBits(bound, PER_POINT),
                bound.klBits(PER_POINT), clock.elapsed());
    }

    /** Train (learning the schedule too when asked), evaluate on held-out data, return the run. */
    public static Run run(Config c, Profile profile, long seed, boolean learnSchedule) {
        RunClock clock = RunClock.start();
        Data data = data(c, seed);
        NetworkGaussianKernel kernel = kernel(c, seed);
        var config = SwissRollExperiment.trainConfig(c.steps(), c.batch(), c.learningRate(), new Seeds(seed).training(), 10, 256)
                .withProgress(false);
        if (learnSchedule) config = config.withLearnedSchedule(SCHEDULE_LEARNING_RATE);
        TrainResult<NetworkGaussianKernel> trained = Trainer.train(kernel, data.train(), config);
        Evaluation e = evaluate(c, trained.kernel(), data, seed);
        return row(c, profile, seed, e, learnSchedule ? trained.kernel().schedule() : null, clock.elapsed());
    }

    /** The result rows of an evaluated run; a learned schedule (or null) is kept as the series beta_t. */
    static Run row(Config c, Profile profile, long seed, Evaluation e, BetaSchedule learned, Elapsed elapsed) {
        Run.Builder b = e.run("gaussian", DATASET, UNITS, profile, seed, c, elapsed);
        if (learned != null) b.configuration(LearnsSchedule.FIELD, SCHEDULE_LEARNING_RATE).series(Run.BETAS, learned.betas());
        return b.build();
    }
}
