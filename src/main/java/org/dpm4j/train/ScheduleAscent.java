package org.dpm4j.train;

import org.dpm4j.schedule.BetaSchedule;
import org.dpm4j.schedule.LearnableSchedule;
import org.dpm4j.util.Check;

/**
 * The learnable schedule during training: LearnableSchedule's parameters theta as a float[] (so the run's
 * {@link Optimizer} updates them and checkpoints store them like the network's), their optimiser, and the schedule
 * they give. The first schedule is the kernel's, reproduced through float parameters (relative change below 1e-6).
 */
public final class ScheduleAscent {
    private final double beta1;
    private final float[] theta, grads;
    private final Optimizer optimizer;
    private final int every;
    private BetaSchedule schedule;

    public ScheduleAscent(BetaSchedule start, ScheduleLearning config, OptimizerKind kind) {
        double[] p = LearnableSchedule.startingFrom(start).parameters();
        beta1 = start.beta(1);
        theta = new float[p.length];
        for (int i = 0; i < p.length; i++) theta[i] = (float) p[i];
        grads = new float[p.length];
        optimizer = new Optimizer(kind, LearningRate.constant(config.learningRate()), p.length);
        every = config.every();
        schedule = learnable().schedule();
    }

    /** Whether training step {@code step} (0-based) updates the schedule. */
    public boolean due(int step) { return step % every == 0; }

    public BetaSchedule schedule() { return schedule; }

    /** The schedule's parameters theta (live), what a checkpoint stores. */
    public float[] parameters() { return theta; }

    /** Their optimiser's state (live), what a checkpoint stores. */
    public float[] state() { return optimizer.state(); }

    /**
     * The schedule a run resumed from checkpoint c continues with. A run that learns its schedule ({@code ascent}
     * non-null) restores the parameters and their optimiser state from the checkpoint, whose betas must be the ones
     * they give; a run with a fixed schedule needs a checkpoint of a fixed-schedule run with the same betas.
     */
    public static BetaSchedule resume(ScheduleAscent ascent, Checkpoint c, BetaSchedule fixed) {
        if (ascent != null) {
            ascent.restore(c.scheduleParams(), c.scheduleState());
            if (!java.util.Arrays.equals(c.betas(), ascent.schedule().betas())) throw Check.bad("checkpoint schedule", "betas that its parameters do not give", "a consistent checkpoint");
            return ascent.schedule();
        }
        if (c.scheduleParams().length > 0) throw Check.bad("checkpoint schedule", "learned", "a fixed schedule (this configuration does not learn it)");
        if (!java.util.Arrays.equals(c.betas(), fixed.betas())) throw Check.bad("checkpoint schedule", "different betas", "the kernel's schedule " + fixed.name());
        return fixed;
    }

    void restore(float[] savedTheta, float[] savedState) {
        if (savedTheta.length != theta.length) throw Check.bad("checkpoint schedule parameters", savedTheta.length, theta.length + " (T - 1, from a run that learned its schedule)");
        if (savedState.length != optimizer.state().length) throw Check.bad("checkpoint schedule optimiser state", savedState.length, String.valueOf(optimizer.state().length));
        System.arraycopy(savedTheta, 0, theta, 0, theta.length);
        optimizer.restore(savedState);
        schedule = learnable().schedule();
    }

    /** One ascent step on K from dK/dbeta_t (index t - 1; entry 0 is ignored since beta_1 is fixed). */
    public void ascend(double[] dKdBeta, int step) {
        double[] g = learnable().gradient(dKdBeta);
        for (int i = 0; i < g.length; i++) grads[i] = (float) -g[i];   // the optimiser descends on -K
        optimizer.step(theta, grads, step / every);
        schedule = learnable().schedule();
    }

    private LearnableSchedule learnable() {
        double[] p = new double[theta.length];
        for (int i = 0; i < p.length; i++) p[i] = theta[i];
        return new LearnableSchedule(beta1, p);
    }
}
