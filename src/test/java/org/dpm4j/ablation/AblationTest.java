package org.dpm4j.ablation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.dpm4j.bound.GaussianOracleTest;
import org.dpm4j.experiments.Estimate;
import org.dpm4j.experiments.Profile;
import org.dpm4j.results.ResultRow;
import org.dpm4j.results.Run;
import org.dpm4j.results.RunLog;
import org.dpm4j.schedule.BetaSchedule;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ablation harness on the oracle case: Gaussian data, where the exact reverse kernel is known and K (Eq. 14) of
 * every schedule has a closed form (GaussianOracleTest.Oracle, written from the paper's formulas independently of the
 * library), then the harness's promises: reruns skip finished arms, results do not depend on the number of threads,
 * and paired differences are the per-example differences of the same held-out data.
 */
class AblationTest {
    private static final PrintStream QUIET = new PrintStream(PrintStream.nullOutputStream());
    private static final double[] MEAN = {0.5, -1.0}, VARIANCE = {0.25, 2.0};   // GaussianExperiment's data
    private static final String[] SCHEDULES = {"log-snr-linear:beta1=1e-3,snrT=1e-3", "cosine", "linear:beta1=1e-3,betaT=0.5,scaled=false", "reference", "sigmoid"};

    /** Expected K of the exact kernel, bits per 2-D point: the sum over dimensions of the data mean of Oracle.k. */
    static double closedFormKBits(BetaSchedule s) {
        double[] b = s.betas(), ab = new double[b.length + 1];
        ab[0] = 1;
        for (int t = 1; t <= b.length; t++) ab[t] = ab[t - 1] * (1 - b[t - 1]);
        double nats = 0;
        for (int j = 0; j < MEAN.length; j++) {
            GaussianOracleTest.Oracle o = new GaussianOracleTest.Oracle(b, MEAN[j], VARIANCE[j], ab);
            nats += o.dataMean(o::k);
        }
        return nats / Math.log(2);
    }

    static Ablation gaussian() {
        return Ablation.of("gaussian").profile(Profile.QUICK).schedules(SCHEDULES).T(5, 20, 80).seeds(3).oracleOnly();
    }

    @Test
    @DisplayName("oracle K of every schedule and T agrees with the closed form within 4 standard errors (1000 held-out points)")
    void oracleMatchesClosedForm(@TempDir Path dir) {
        AblationResult r = AblationRunner.run(gaussian(), RunLog.open(dir), QUIET);
        assertEquals(SCHEDULES.length * 3, r.arms().size());
        for (ArmResult a : r.arms()) {
            double exact = closedFormKBits(a.arm().schedule().build(a.arm().T()));
            double se = a.kStandardError();
            assertTrue(se > 0 && se < 0.1, a.arm() + ": s.e. " + se);
            assertEquals(exact, a.k(), 4 * se, a.arm() + ": harness " + a.k() + " +- " + se + " against closed form " + exact);
        }
        // the ranking by oracle K puts T = 80 of the paper's log-SNR schedule above its T = 5 (more steps lose less bound)
        var t = r.oracleRanking();
        assertEquals(SCHEDULES.length * 3, t.rowCount());
        assertTrue(t.doubleColumn("oracle K").get(0) >= t.doubleColumn("oracle K").get(t.rowCount() - 1));
    }

    @Test
    @DisplayName("a rerun of the same ablation runs no arm: every arm is found in the log by experiment, configuration, seed and profile")
    void rerunSkipsArms(@TempDir Path dir) {
        Ablation a = Ablation.of("gaussian").profile(Profile.QUICK).schedules("cosine", "linear:beta1=1e-3,betaT=0.5,scaled=false").T(6).seeds(1)
                .learned(true).budget(Budget.steps(15)).threads(2);
        RunLog log = RunLog.open(dir);
        AblationResult first = AblationRunner.run(a, log, QUIET);
        int rows = log.rows().size();
        assertEquals(5, first.arms().size(), "two trained, one learned, two oracle arms");
        assertTrue(first.arms().stream().noneMatch(ArmResult::reused));
        assertTrue(first.arms().stream().allMatch(x -> x.run().ablationArm()), "every arm's run is marked, so the tables leave it out");
        AblationResult again = AblationRunner.run(a, log, QUIET);
        assertEquals(rows, log.rows().size(), "nothing appended");
        for (int i = 0; i < first.arms().size(); i++) {
            assertTrue(again.arms().get(i).reused(), again.arms().get(i).arm() + " reused");
            assertEquals(first.arms().get(i).run().runId(), again.arms().get(i).run().runId());
            assertEquals(first.arms().get(i).run().series(), again.arms().get(i).run().series(), "series from the log");
        }
        // another seed, another budget or another T is another arm
        AblationResult more = AblationRunner.run(a.seeds(1, 2), log, QUIET);
        assertEquals(5, more.arms().stream().filter(ArmResult::reused).count());
        assertEquals(10, more.arms().size());
        AblationResult longer = AblationRunner.run(a.budget(Budget.steps(16)).oracle(false), log, QUIET);
        assertTrue(longer.arms().stream().noneMatch(ArmResult::reused), "16 steps is not 15");
    }

    @Test
    @DisplayName("results do not depend on concurrency: 1 thread and 2 threads give identical rows and series")
    void concurrencyDoesNotChangeResults(@TempDir Path one, @TempDir Path two) {
        Ablation a = Ablation.of("gaussian").profile(Profile.QUICK).schedules("cosine", "linear:beta1=1e-3,betaT=0.5,scaled=false", "reference").T(6, 9).seeds(4)
                .learned(true).budget(Budget.steps(12));
        AblationResult r1 = AblationRunner.run(a.threads(1), RunLog.open(one), QUIET);
        AblationResult r2 = AblationRunner.run(a.threads(2), RunLog.open(two), QUIET);
        assertEquals(r1.arms().size(), r2.arms().size());
        for (int i = 0; i < r1.arms().size(); i++) {
            Run x = r1.arms().get(i).run(), y = r2.arms().get(i).run();
            assertEquals(r1.arms().get(i).arm(), r2.arms().get(i).arm());
            assertEquals(x.configuration(), y.configuration());
            assertEquals(x.metrics(), y.metrics());
            for (int m = 0; m < x.rows().size(); m++) {
                ResultRow p = x.rows().get(m), q = y.rows().get(m);
                assertEquals(Double.doubleToLongBits(p.value()), Double.doubleToLongBits(q.value()), x.experiment() + " " + p.metric());
                assertEquals(Double.doubleToLongBits(p.standardError()), Double.doubleToLongBits(q.standardError()));
            }
            assertEquals(x.series(), y.series(), "per-example K, bound per step, learned betas");
        }
        // the arms' own-thread CPU can never exceed the whole process's over the same run (one clock double-counting
        // the other arm's time, as process CPU per arm would on two threads, breaks this)
        for (AblationResult r : List.of(r1, r2)) {
            assertTrue(r.armCpuSeconds() > 0, "arms used CPU");
            assertTrue(r.armCpuSeconds() <= r.processCpuSeconds() + 1e-3, r.cpuAccounting());
        }
    }

    @Test
    @DisplayName("a paired difference is the mean of per-example differences (= K_a - K_b exactly) with a smaller s.e. than unpaired")
    void pairedDifference(@TempDir Path dir) {
        AblationResult r = AblationRunner.run(Ablation.of("gaussian").profile(Profile.QUICK).schedules("cosine", "linear:beta1=1e-3,betaT=0.5,scaled=false").T(10)
                .oracleOnly(), RunLog.open(dir), QUIET);
        ArmResult a = r.arms().get(0), b = r.arms().get(1);
        Estimate d = AblationResult.difference(a, b);
        assertEquals(a.k() - b.k(), d.mean(), 1e-9, "K is the mean of K per example");
        assertTrue(d.standardError() < Math.hypot(a.kStandardError(), b.kStandardError()),
                "same held-out points and noise: paired " + d.standardError());
        var t = r.compare(a.arm().label());
        assertEquals(1, t.rowCount());
        assertTrue(t.booleanColumn("paired").get(0));
    }

    @Test
    @DisplayName("bad input is named: unknown experiment, learned arm without schedule learning, budget text")
    void badInput() {
        assertThrows(IllegalArgumentException.class, () -> Ablation.of("no-such"));
        var e = assertThrows(IllegalArgumentException.class, () -> Ablation.of("heartbeat").learned(true));
        assertTrue(e.getMessage().contains("learned"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Budget.parse("steps=1.5"));
        assertTrue(e.getMessage().contains("budget"), e.getMessage());
        assertEquals(Budget.cpuSeconds(60), Budget.parse("cpu-seconds=60"));
        assertEquals(Budget.steps(500), Budget.parse("steps=500"));
    }

    @Test
    @DisplayName("a steps budget keeps run-length settings in proportion: the heartbeat's standard late phase, 4,000 of 20,000 steps, becomes 800 of 4,000")
    void budgetKeepsRunLengthSettingsInProportion() {
        var e = org.dpm4j.experiments.HeartbeatExperiment.EXPERIMENT;
        var base = e.settings(Profile.STANDARD);
        assertEquals(20_000, base.steps());
        assertEquals(4_000, base.lateSteps());
        for (int[] budgetAndLate : new int[][] {{4000, 800}, {20_000, 4000}, {1, 0}, {7, 1}}) {
            Ablation a = Ablation.of("heartbeat").profile(Profile.STANDARD).schedules("cosine").T(50).seeds(1)
                    .oracle(false).budget(Budget.steps(budgetAndLate[0]));
            var c = AblationRunner.settings(e, a, base, a.arms().get(0), java.util.Map.of());
            assertEquals(budgetAndLate[0], c.steps());
            assertEquals(budgetAndLate[1], c.lateSteps(), "late phase of a " + budgetAndLate[0] + "-step budget");
            assertEquals(50, c.T());
        }
    }
}
