package org.dpm4j.train;

import org.dpm4j.util.Check;

/**
 * Learning beta_2..beta_T jointly with the network by gradient ascent on K with frozen noise (Sec. 2.4.1), through
 * {@link org.dpm4j.schedule.LearnableSchedule}'s monotone parameters; beta_1 stays fixed. Every {@code every}
 * training steps the parameters take one step of the run's optimiser kind (Adam or RMSprop) at this constant learning
 * rate, on the gradient of that step's minibatch. Gaussian diffusion only (the binomial schedule is fixed in the paper).
 *
 * @param learningRate learning rate of the schedule's parameters (logit increments)
 * @param every        training steps between schedule updates (1: every step)
 */
public record ScheduleLearning(double learningRate, int every) {
    public ScheduleLearning {
        Check.positive("learningRate", learningRate);
        Check.positive("every", every);
    }
}
