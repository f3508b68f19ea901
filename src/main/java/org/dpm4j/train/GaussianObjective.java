package org.dpm4j.train;

import java.util.random.RandomGenerator;
import org.dpm4j.diffusion.GaussianDiffusion;
import org.dpm4j.diffusion.GaussianKL;
import org.dpm4j.kernel.GaussianParameterisation;
import org.dpm4j.nn.Network;
import org.dpm4j.nn.NetworkGaussianKernel;
import org.dpm4j.schedule.BetaSchedule;
import org.dpm4j.util.Check;

/**
 * Eq. 14 for Gaussian diffusion with a network kernel. The forward marginal and posterior coefficients are the core's
 * {@link GaussianDiffusion} tables (both are linear in x_0 and x_t), read through each step's
 * {@link GaussianParameterisation.Step}, and each KL term with its derivatives is
 * {@link GaussianParameterisation.KlTerm}'s (the KL itself {@link GaussianKL}'s), so the mathematics has one home.
 * The schedule is fixed per instance; {@link #withSchedule} gives the objective under a learned schedule.
 */
public final class GaussianObjective extends NetworkObjective implements ScheduleLearningObjective {
    private final GaussianParameterisation parameterisation;
    private final BetaSchedule schedule;
    private final GaussianDiffusion diffusion;
    private final GaussianParameterisation.Step[] steps;
    private final double[] marginalMean, marginalStd; // index t
    private final double ceilingPerExample;

    public GaussianObjective(NetworkGaussianKernel kernel) {
        this(kernel.network(), kernel.schedule(), kernel.parameterisation());
    }

    private GaussianObjective(Network network, BetaSchedule schedule, GaussianParameterisation parameterisation) {
        super(network, network.outputSize() / 2);
        if (schedule.T() != T) throw Check.bad("schedule.T", schedule.T(), "the network's T = " + T);
        this.parameterisation = parameterisation;
        this.schedule = schedule;
        this.diffusion = new GaussianDiffusion(schedule);
        steps = GaussianParameterisation.Step.all(schedule);
        marginalMean = diffusion.sqrtAlphaBars();            // q(x_t | x_0) = N(sqrt(alphabar_t) x_0, 1 - alphabar_t)
        marginalStd = diffusion.sqrtOneMinusAlphaBars();
        ceilingPerExample = d * diffusion.entropyTermsPerDimension();
    }

    /** The same network and parameterisation under another schedule with the same T. */
    @Override public GaussianObjective withSchedule(BetaSchedule s) {
        if (s == null) throw Check.bad("schedule", null, "a BetaSchedule");
        return new GaussianObjective(network, s, parameterisation);
    }

    @Override public BetaSchedule schedule() { return schedule; }

    @Override String describeMore() { return ", parameterisation=" + parameterisation; }

    /**
     * K (Eq. 14) on the minibatch x0 with its gradient with respect to beta_1..beta_T under frozen noise (Sec. 2.4.1):
     * x_t = sqrt(alphabar_t) x_0 + sqrt(1 - alphabar_t) eps with eps held fixed, so K moves with the betas through
     * x_t (and through the network, whose input it is), the posterior q(x_{t-1} | x_t, x_0), beta_t inside the
     * parameterisation, and the entropy terms. Writes dK/dbeta_t in nats per example into dKdBeta[t - 1] (length T;
     * entry 0 included although the paper keeps beta_1 fixed) and adds the loss's parameter gradient to the network,
     * as {@link #evaluate} with a gradient does. Draws the same rows and noise from rng as {@link #evaluate}.
     */
    @Override public Value evaluateWithScheduleGradient(double[] x0, TimeSampler sampler, RandomGenerator rng, double[] dKdBeta) {
        if (dKdBeta == null || dKdBeta.length != T) throw Check.bad("dKdBeta.length", dKdBeta == null ? null : dKdBeta.length, "T = " + T);
        Rows rows = sampler.sample(batchOf(x0), T, rng);
        double[] eps = noise(rows, rng);
        float[] xt = forwardSample(x0, rows, eps);
        double[] dA = new double[T + 1], dB = new double[T + 1];   // dLoss/dalphabar_u and dLoss/dbeta_t, x_t held
        float[] dx = new float[xt.length];                            // dLoss/dx_t: explicit here, the network's added by pass
        double loss = pass(rows, xt, true, dx, (z, dz) -> lossAndGradient(x0, rows, xt, z, dz, new ScheduleTerms(dx, dA, dB)));
        for (int i = 0; i < rows.size(); i++) {
            int t = rows.t()[i], e = rows.example()[i] * d;
            // x_t = sqrt(alphabar_t) x_0 + sqrt(1 - alphabar_t) eps
            for (int c = 0; c < d; c++) dA[t] += dx[i * d + c] * (x0[e + c] / (2 * marginalMean[t]) - eps[i * d + c] / (2 * marginalStd[t]));
        }
        System.arraycopy(diffusion.boundScheduleGradient(dA, dB, d), 0, dKdBeta, 0, T);
        return new Value(loss, ceilingNats(x0));
    }

    /** Where lossAndGradient puts the loss's partial derivatives that the schedule gradient needs (x_t held fixed). */
    private record ScheduleTerms(float[] dx, double[] dA, double[] dB) {}

    private double[] noise(Rows rows, RandomGenerator rng) {
        double[] eps = new double[rows.size() * d];
        for (int i = 0; i < eps.length; i++) eps[i] = rng.nextGaussian();
        return eps;
    }

    private float[] forwardSample(double[] x0, Rows rows, double[] eps) {
        float[] xt = new float[rows.size() * d];
        for (int i = 0; i < rows.size(); i++) {
            int t = rows.t()[i], e = rows.example()[i] * d;
            for (int c = 0; c < d; c++) xt[i * d + c] = (float) (marginalMean[t] * x0[e + c] + marginalStd[t] * eps[i * d + c]);
        }
        return xt;
    }

    @Override float[] drawXt(double[] x0, Rows rows, RandomGenerator rng) {
        return forwardSample(x0, rows, noise(rows, rng));
    }

    @Override double lossAndGradient(double[] x0, Rows rows, float[] xt, float[] z, float[] dz) {
        return lossAndGradient(x0, rows, xt, z, dz, null);
    }

    private double lossAndGradient(double[] x0, Rows rows, float[] xt, float[] z, float[] dz, ScheduleTerms terms) {
        GaussianParameterisation.KlTerm k = new GaussianParameterisation.KlTerm();
        GaussianDiffusion.PosteriorPartials[] pp = terms == null ? null : posteriorPartials();
        double total = 0, w = rows.weight();
        for (int i = 0; i < rows.size(); i++) {
            int t = rows.t()[i], e = rows.example()[i] * d;
            double row = 0;
            for (int c = 0; c < d; c++) {
                double x = xt[i * d + c], zMu = z[i * 2 * d + c], zSigma = z[i * 2 * d + d + c];
                row += k.nats(parameterisation, x0[e + c], x, zMu, zSigma, steps[t]);   // KL(q || p), nats
                if (dz != null) {
                    k.readoutGradient(w);
                    dz[i * 2 * d + c] = (float) k.dZMu;
                    dz[i * 2 * d + d + c] = (float) k.dZSigma;
                }
                if (terms != null) {
                    k.scheduleGradient(parameterisation, x0[e + c], x, zMu, zSigma, steps[t], pp[t], w);   // pp: in alphabar_{t-1} and beta_t
                    terms.dx[i * d + c] = (float) k.dXt;
                    terms.dA[t - 1] += k.dAlphaBarPrevious;
                    terms.dB[t] += k.dBeta;
                }
            }
            total += w * row;
        }
        return total;
    }

    /** The posterior coefficients' partial derivatives by t (2..T; GaussianDiffusion.posteriorPartials). */
    private GaussianDiffusion.PosteriorPartials[] posteriorPartials() {
        GaussianDiffusion.PosteriorPartials[] g = new GaussianDiffusion.PosteriorPartials[T + 1];
        for (int t = 2; t <= T; t++) g[t] = diffusion.posteriorPartials(t);
        return g;
    }

    @Override double ceilingNats(double[] x0) { return ceilingPerExample; }
}
