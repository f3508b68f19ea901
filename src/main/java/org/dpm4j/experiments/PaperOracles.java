package org.dpm4j.experiments;

import java.util.SplittableRandom;
import org.dpm4j.bound.BoundResult;
import org.dpm4j.data.SwissRoll;
import org.dpm4j.nn.NetworkGaussianKernel;
import org.dpm4j.results.Run;
import org.dpm4j.results.RunClock;
import org.dpm4j.train.TrainResult;

/**
 * The oracles and the learned-schedule runs of the paper's experiments as {@link OracleK} and {@link LearnsSchedule}
 * give them (the experiments' registered objects delegate here, so their classes keep only their stages).
 */
final class PaperOracles {
    /** The Swiss roll's schedule learning rate (measured in SwissRollExperiment.trainWithLearnedSchedule's comment). */
    static final double SWISS_ROLL_SCHEDULE_RATE = 3e-2;

    private PaperOracles() {}

    /**
     * The Swiss roll's oracle: K of the best Gaussian reverse kernel of the settings' covariance family (diagonal: the
     * paper's) for its schedule, from the roll's true reverse posteriors ({@link KernelCeiling}); KernelCeiling.examples
     * draws of x_0 from the stream "oracle". Bits per point. The per-example K is kept for the diagonal family.
     */
    static Run swissRoll(SwissRollExperiment.Config c, Profile profile, long seed) {
        RunClock clock = RunClock.start();
        KernelCeiling.Result r = KernelCeiling.compute(MixtureData.onCurve(SwissRoll.get(), 4), SwissRollExperiment.schedule(c),
                KernelCeiling.examples(profile), new SplittableRandom(new Seeds(seed).of("oracle")));
        boolean diagonal = c.covariance() == SwissRollExperiment.Covariance.DIAGONAL;
        Estimate k = diagonal ? r.kDiagonal() : r.kFull();
        double[] loss = KernelCeiling.Result.means(diagonal ? r.lossDiagonal() : r.lossFull());
        double[] exact = KernelCeiling.Result.means(r.exactTerms());
        double[] lost = new double[loss.length];
        for (int i = 0; i < lost.length; i++) lost[i] = loss[i] + exact[i];   // beyond the exact reverse, plus its own
        return OracleRuns.run("swiss-roll", SwissRollExperiment.DATASET, SwissRollExperiment.UNITS, profile, seed, c,
                k.mean(), k.standardError(), BlurCeiling.bits(SwissRoll.get(), c.beta1()),
                diagonal ? r.kDiagonalPerExample() : null, lost, clock.elapsed());
    }

    /** The Swiss roll trained with its schedule learned (Sec. 2.4.1), evaluated as a fixed-schedule run is. */
    static Run swissRollLearned(SwissRollExperiment.Config c, Profile profile, long seed) {
        if (c.covariance() != SwissRollExperiment.Covariance.DIAGONAL) {
            throw org.dpm4j.util.Check.bad("covariance", c.covariance(), "DIAGONAL (schedule learning is for the diagonal kernel)");
        }
        RunClock clock = RunClock.start();
        SwissRollExperiment.Data data = SwissRollExperiment.data(c, seed);
        NetworkGaussianKernel kernel = SwissRollExperiment.kernel(c, seed);
        TrainResult<NetworkGaussianKernel> trained = SwissRollExperiment.trainWithLearnedSchedule(c, kernel, data, seed,
                SWISS_ROLL_SCHEDULE_RATE);
        Evaluation e = SwissRollExperiment.evaluate(c, trained.kernel(), data, seed);
        return e.run("swiss-roll", SwissRollExperiment.DATASET, SwissRollExperiment.UNITS, profile, seed, c, clock.elapsed())
                .configuration(LearnsSchedule.FIELD, SWISS_ROLL_SCHEDULE_RATE)
                .series(Run.BETAS, trained.kernel().schedule().betas()).build();
    }

    /**
     * The heartbeat's oracle: K of the best factorised binomial kernel (HeartbeatExperiment.oracleBound) on the same
     * held-out sequences with the same draws as a trained run's evaluation, so the two pair. Bits per sequence.
     */
    static Run heartbeat(HeartbeatExperiment.Config c, Profile profile, long seed) {
        RunClock clock = RunClock.start();
        HeartbeatExperiment.Data data = HeartbeatExperiment.data(c, seed);
        BoundResult b = HeartbeatExperiment.oracleBound(c, data, c.heldOut(), seed);
        var per = HeartbeatExperiment.PER_SEQUENCE;
        return OracleRuns.run("heartbeat", HeartbeatExperiment.DATASET, HeartbeatExperiment.UNITS, profile, seed, c,
                b.kBits(per), b.kStandardErrorBits(per), org.dpm4j.data.Heartbeat.trueLogLikelihoodBits(),
                Evaluation.perExampleBits(b, per), b.klBits(per), clock.elapsed());
    }
}
