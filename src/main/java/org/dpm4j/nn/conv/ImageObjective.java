package org.dpm4j.nn.conv;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.dpm4j.diffusion.GaussianDiffusion;
import org.dpm4j.diffusion.GaussianKL;
import org.dpm4j.kernel.GaussianParameterisation;
import org.dpm4j.nn.FloatMatrices;
import org.dpm4j.schedule.BetaSchedule;
import org.dpm4j.util.Check;
import org.dpm4j.util.Logistic;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.autodiff.samediff.internal.InferenceSession;
import org.nd4j.autodiff.samediff.internal.memory.NoOpMemoryMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The bound K of Eq. 14 for an {@link ImageNetwork}, on rows (x_0, t, x_t): the loss is the weighted sum over rows of
 * KL(q(x_{t-1} | x_t, x_0) || p(x_{t-1} | x_t)) in nats (summed over the d values of an image), and K = ceiling - loss
 * with the ceiling H_q(X_T|X_0) - H_q(X_1|X_0) - H_p(X_T). The forward marginal and posterior coefficients come from
 * the core's {@link GaussianDiffusion} tables, the KL from {@link GaussianKL} and the reverse kernel's mean and
 * variance from the network's {@link GaussianParameterisation} (any of the four), so the mathematics keeps one home.
 * <p>
 * Two implementations of the same loss: FLOAT networks (training) run the float[] path, the network's
 * {@link ImageNetworkFloat} forward and hand-derived backward, with the KL terms and their derivatives from those
 * homes (in double, per element); DOUBLE networks run the SameDiff graph, which SameDiff differentiates. The graph is
 * the reference: package-private {@code evaluateGraph} and {@code kGradientXtGraph} evaluate it for any network,
 * and the tests hold the float[] path to it and to finite differences. The float[] path also gives the loss's
 * gradient with respect to each row's inputs ({@link #evaluateWithInputGradients}), from which
 * {@link #evaluateWithScheduleGradient} makes dK/dbeta under frozen noise for a jointly learned schedule (Sec. 2.4.1).
 * The coefficients are those of the network's current schedule: when the network swaps it
 * ({@link ImageNetwork#setSchedule}) the objective follows.
 */
public final class ImageObjective {
    /**
     * One evaluation: the loss in nats per example (the minibatch mean of sum_t KL_t under the weights), the ceiling in
     * nats per example, the KL of each row (nats per image) and, when asked for, the gradient of the loss by parameter
     * name (valid until the next evaluation, or until the caller's workspace closes).
     */
    public record Value(double lossNats, double ceilingNats, double[] klPerRow, Map<String, INDArray> gradients) {
        public double kNats() { return ceilingNats - lossNats; }

        public double kBits() { return kNats() / Math.log(2); }
    }

    private final ImageNetwork network;
    private final int T, d;
    private Tables tables;                    // of the network's current schedule, see tables()
    private final List<String> names;
    private float[] dz;                       // dL/dz of the float[] path, reused

    public ImageObjective(ImageNetwork network) {
        if (network == null) throw Check.bad("network", null, "an ImageNetwork");
        this.network = network;
        this.T = network.T();
        this.d = network.dimensions();
        this.tables = new Tables(network.schedule(), d);
        names = new ArrayList<>(network.parameters().keySet());
    }

    /**
     * The per-t numbers of one schedule that the KL terms use, all read off the core: the forward marginal's
     * sqrt(alphabar_t) and sqrt(1 - alphabar_t) and the posterior coefficients from {@link GaussianDiffusion}'s tables
     * (through each step's {@link GaussianParameterisation.Step}), the posterior coefficients' partial derivatives
     * (for the schedule gradient), the ceiling.
     */
    private static final class Tables {
        final BetaSchedule schedule;
        final GaussianDiffusion diffusion;
        final double[] marginalMean, marginalStd;                // index t
        final GaussianParameterisation.Step[] steps;             // index t >= 1
        final GaussianDiffusion.PosteriorPartials[] partials;    // index t >= 2
        final double ceiling;

        Tables(BetaSchedule schedule, int d) {
            int T = schedule.T();
            this.schedule = schedule;
            diffusion = new GaussianDiffusion(schedule);
            marginalMean = diffusion.sqrtAlphaBars();
            marginalStd = diffusion.sqrtOneMinusAlphaBars();
            steps = new GaussianParameterisation.Step[T + 1];
            partials = new GaussianDiffusion.PosteriorPartials[T + 1];
            for (int t = 1; t <= T; t++) {
                steps[t] = GaussianParameterisation.Step.of(diffusion, t);
                if (t >= 2) partials[t] = diffusion.posteriorPartials(t);
            }
            ceiling = d * diffusion.entropyTermsPerDimension();
        }
    }

    /** The tables of the network's schedule, rebuilt when the network has swapped it (a schedule learned in training). */
    private Tables tables() {
        if (tables.schedule != network.schedule()) tables = new Tables(network.schedule(), d);
        return tables;
    }

    public ImageNetwork network() { return network; }

    /** H_q(X_T|X_0) - H_q(X_1|X_0) - H_p(X_T) in nats per image (Eq. 14's entropy terms, the ceiling of K). */
    public double ceilingNats() { return tables().ceiling; }

    /** x_t ~ q(x_t | x_0) = N(x_0 sqrt(alphabar_t), 1 - alphabar_t) for row i at t[i]; x0 [n, d]. */
    public INDArray drawXt(INDArray x0, int[] t, RandomGenerator rng) {
        return xt(x0, t, noise(t.length, rng));
    }

    /** eps [n, d] DOUBLE, standard normal, drawn row by row: the noise {@link #drawXt} draws, to be held frozen. */
    public INDArray noise(int n, RandomGenerator rng) {
        double[] eps = new double[n * d];
        for (int e = 0; e < eps.length; e++) eps[e] = rng.nextGaussian();
        return Nd4j.createFromArray(eps).reshape(n, d);
    }

    /** x_t = sqrt(alphabar_t) x_0 + sqrt(1 - alphabar_t) eps for row i at t[i] (Eq. 2 applied t times), [n, d] DOUBLE. */
    public INDArray xt(INDArray x0, int[] t, INDArray eps) {
        Tables k = tables();
        double[] x = doubles(x0), e = doubles(eps), xt = new double[x.length];
        if (x.length != t.length * d || e.length != x.length) {
            throw Check.bad("x0 / eps shape", Arrays.toString(x0.shape()) + " / " + Arrays.toString(eps.shape()), "[" + t.length + ", " + d + "] each");
        }
        for (int i = 0; i < t.length; i++) {
            Check.inRange("t", t[i], 1, T);
            for (int c = 0; c < d; c++) xt[i * d + c] = k.marginalMean[t[i]] * x[i * d + c] + k.marginalStd[t[i]] * e[i * d + c];
        }
        return Nd4j.createFromArray(xt).reshape(t.length, d);
    }

    /**
     * The loss of {@link #evaluate} (with its parameter gradients) at x_t drawn from x0 with frozen noise eps
     * ({@link #xt}), and dK/dbeta_t under that frozen noise (Sec. 2.4.1), written into dKdBeta[t - 1] for t = 1..T in
     * nats per example, K = ceiling - loss (with the weight 1/n per row, K per image; with (T - 1)/n, the sampled-t
     * estimate of Eq. 14). K moves with the betas through x_t (and the network, whose input it is), the posterior
     * coefficients (through alphabar_{t-1} and beta_t), beta_t and alphabar_{t-1} inside the parameterisation, and the
     * ceiling's beta_1 and alphabar_T; in every parameterisation. Entry 0 is filled although the paper keeps beta_1
     * fixed. FLOAT networks only.
     */
    public Value evaluateWithScheduleGradient(INDArray x0, int[] t, INDArray eps, double weight, double[] dKdBeta) {
        if (dKdBeta == null || dKdBeta.length != T) throw Check.bad("dKdBeta.length", dKdBeta == null ? null : dKdBeta.length, "T = " + T);
        refuseNoiseScaledInput(network);
        Tables k = tables();
        INDArray xt = xt(x0, t, eps);
        InputGradients g = evaluateWithInputGradients(x0, t, xt, weight);
        double[] x = doubles(x0), e = doubles(eps);
        double[] dA = new double[T + 1], dB = new double[T + 1];   // dLoss/dalphabar_u and dLoss/dbeta_t, each with the other held
        for (int i = 0; i < t.length; i++) {
            int s = t[i];
            dA[s - 1] += g.alphaBarPrevious()[i];
            dB[s] += g.beta()[i];
            for (int c = 0; c < d; c++) {   // through x_t = sqrt(alphabar_t) x_0 + sqrt(1 - alphabar_t) eps, eps frozen
                dA[s] += g.xt()[i * d + c] * (x[i * d + c] / (2 * k.marginalMean[s]) - e[i * d + c] / (2 * k.marginalStd[s]));
            }
        }
        System.arraycopy(k.diffusion.boundScheduleGradient(dA, dB, d), 0, dKdBeta, 0, T);
        return g.value();
    }

    /**
     * A learned schedule would also move the noise-scaled input channels' factor 1/sqrt(1 - alphabar_t), whose
     * derivative in beta this objective does not carry: such a network's schedule gradient is refused rather than
     * returned without that term.
     */
    static void refuseNoiseScaledInput(ImageNetwork network) {
        if (network.config().noiseScaledInput()) {
            throw Check.bad("noiseScaledInput", true, "false to learn the schedule (dK/dbeta through the input scale "
                    + "1/sqrt(1 - alphabar_t) is not implemented)");
        }
    }

    /**
     * Eq. 14's KL terms on rows (x0[i], t[i], xt[i]), each weighted by {@code weight}; t in 2..T. With
     * {@code gradient} the gradient of the loss (= -gradient of K) with respect to every parameter is returned.
     * FLOAT networks run the float[] path ({@link ImageNetworkFloat}), DOUBLE ones the SameDiff graph.
     */
    public Value evaluate(INDArray x0, int[] t, INDArray xt, double weight, boolean gradient) {
        Coefficients k = coefficients(x0, t, xt);
        if (network.fast() == null) return evaluateGraph(x0, t, xt, k, weight, gradient);
        return evaluateFast(x0, t, xt, k, weight, gradient, null);
    }

    /**
     * The gradient of the loss L = weight sum_i KL_i (Eq. 14's KL terms, nats; L = ceiling - K) with respect to each
     * row's inputs, with x_0 held: x_t [n, d] (row-major, through the network, the posterior mean and the
     * parameterisation), and, with x_t held, alphabar_{t-1} and beta_t of the row's step (through the posterior
     * q(x_{t-1} | x_t, x_0) and the parameterisation, {@link GaussianParameterisation#partials}), each with the other
     * held. With the chain rule through x_t = sqrt(alphabar_t) x_0 + sqrt(1 - alphabar_t) eps (frozen eps) these give
     * dK/dbeta for a jointly learned schedule (Sec. 2.4.1). The parameter gradients of the same pass are in
     * {@code value().gradients()}. FLOAT networks only (one backward pass of the float[] path).
     */
    public record InputGradients(Value value, double[] xt, double[] alphaBarPrevious, double[] beta) {}

    /** See {@link InputGradients}: one forward and backward pass on rows (x0[i], t[i], xt[i]), t in 2..T. */
    public InputGradients evaluateWithInputGradients(INDArray x0, int[] t, INDArray xt, double weight) {
        if (network.config().hasUnet()) {
            throw Check.bad("unetChannels", network.config().unetChannels(), "0 (input gradients come from the multi-scale network's float[] path)");
        }
        if (network.fast() == null) {
            throw Check.bad("network dataType", network.dataType(), "FLOAT (input gradients come from the float[] path)");
        }
        Coefficients k = coefficients(x0, t, xt);
        int n = t.length;
        InputGradients g = new InputGradients(null, new double[n * d], new double[n], new double[n]);
        Value v = evaluateFast(x0, t, xt, k, weight, true, g);
        return new InputGradients(v, g.xt, g.alphaBarPrevious, g.beta);
    }

    /**
     * The per-row numbers of the KL terms: each row's step (beta_t, alphabar_t and the posterior coefficients, from the
     * tables at t[i]) and the posterior coefficients' partial derivatives. The graph's per-row inputs are functions of
     * the step alone ({@link #graphInputs}), so a test can move one row's alphabar_{t-1} or beta_t by replacing its step.
     */
    record Coefficients(GaussianParameterisation.Step[] steps, GaussianDiffusion.PosteriorPartials[] partials) {}

    Coefficients coefficients(INDArray x0, int[] t, INDArray xt) {
        int n = t.length;
        if (x0.rows() != n || xt.rows() != n || x0.columns() != d || xt.columns() != d) {
            throw Check.bad("x0 / xt shape", Arrays.toString(x0.shape()) + " / " + Arrays.toString(xt.shape()),
                    "[" + n + ", " + d + "] each (one row per time step)");
        }
        for (int ti : t) Check.inRange("t", ti, 2, T);
        Tables k = tables();
        GaussianParameterisation.Step[] steps = new GaussianParameterisation.Step[n];
        GaussianDiffusion.PosteriorPartials[] partials = new GaussianDiffusion.PosteriorPartials[n];
        for (int i = 0; i < n; i++) {
            steps[i] = k.steps[t[i]];
            partials[i] = k.partials[t[i]];
        }
        return new Coefficients(steps, partials);
    }

    /**
     * The float[] path: the network forward, then per element, in double, the KL term and its derivatives from
     * {@link GaussianParameterisation.KlTerm} (the scalar objective's: p(x_{t-1} | x_t) through the network's
     * {@link GaussianParameterisation#map}, q(x_{t-1} | x_t, x_0) from the step, the KL from {@link GaussianKL}); with
     * {@code gradient}, dL/dz back through the network. With {@code inputs} non-null its arrays receive dL/dx_t and
     * dL/dalphabar_{t-1}, dL/dbeta_t per row.
     */
    private Value evaluateFast(INDArray x0, int[] t, INDArray xt, Coefficients k, double weight, boolean gradient, InputGradients inputs) {
        int n = t.length;
        float[] x0f = FloatMatrices.floats(x0), xtf = FloatMatrices.floats(xt);
        ImageNetworkFloat net = network.fast();
        GaussianParameterisation parameterisation = network.parameterisation();
        float[] z = gradient ? net.forward(xtf, t) : net.readout(xtf, t);
        float[] dz = gradient ? dzBuffer(n) : null;
        double loss = 0;
        double[] kl = new double[n];
        GaussianParameterisation.KlTerm term = new GaussianParameterisation.KlTerm();
        for (int i = 0; i < n; i++) {
            GaussianParameterisation.Step s = k.steps()[i];
            double row = 0, dA = 0, dB = 0;
            for (int c = 0; c < d; c++) {
                int e = i * d + c, zi = i * 2 * d + c;
                double x = xtf[e], x0e = x0f[e], zMu = z[zi], zSigma = z[zi + d];
                row += term.nats(parameterisation, x0e, x, zMu, zSigma, s);   // KL(q || p), nats
                if (!gradient) continue;
                term.readoutGradient(weight);
                dz[zi] = (float) term.dZMu;
                dz[zi + d] = (float) term.dZSigma;
                if (inputs == null) continue;
                term.scheduleGradient(parameterisation, x0e, x, zMu, zSigma, s, k.partials()[i], weight);   // in alphabar_{t-1} and beta_t
                inputs.xt()[e] = term.dXt;
                dA += term.dAlphaBarPrevious;
                dB += term.dBeta;
            }
            kl[i] = row;
            loss += weight * row;
            if (inputs != null) {
                inputs.alphaBarPrevious()[i] = dA;
                inputs.beta()[i] = dB;
            }
        }
        Map<String, INDArray> grads = null;
        if (gradient) {
            float[] dxNet = net.backward(dz, inputs != null);
            if (dxNet != null) for (int e = 0; e < n * d; e++) inputs.xt()[e] += dxNet[e];
            grads = new LinkedHashMap<>();
            for (var e : network.parameters().entrySet()) {
                float[] gv = net.gradients().get(e.getKey());
                grads.put(e.getKey(), FloatMatrices.matrix(gv, 1, gv.length).reshape(e.getValue().shape()));
            }
        }
        return new Value(loss, tables().ceiling, kl, grads);
    }

    private float[] dzBuffer(int n) {
        if (dz == null || dz.length < n * 2 * d) dz = new float[n * 2 * d];
        return dz;
    }

    /** The SameDiff graph's evaluation (the reference the float[] path is tested against). */
    Value evaluateGraph(INDArray x0, int[] t, INDArray xt, Coefficients k, double weight, boolean gradient) {
        Map<String, INDArray> ph = placeholders(x0, t, xt, k, weight);
        Map<String, INDArray> out;
        Map<String, INDArray> grads = null;
        if (gradient) {
            OutAndGrad r;
            if (network.graph().getFunction("grad") == null) {
                // the first call builds the gradient graph; it runs outside any workspace, see lightSession
                try (var outside = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) { r = gradients(ph); }
                lightSession();
            } else {
                r = gradients(ph);
            }
            out = r.getOutputs();
            grads = r.getGradients();
        } else {
            out = network.graph().output(ph, ImageNetwork.LOSS, ImageNetwork.KL_ROW);
        }
        double[] kl = out.get(ImageNetwork.KL_ROW).castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double loss = out.get(ImageNetwork.LOSS).getDouble(0);
        for (INDArray a : out.values()) if (a.closeable()) a.close();
        return new Value(loss, tables().ceiling, kl, grads);
    }

    /**
     * K (Eq. 14) on images x0 [n, d] in nats per image, every term t = 2..T with one draw per image and step, drawn
     * exactly as {@link org.dpm4j.bound.BoundK} draws them (diffusion.sampleQ for t = 2..T from one generator), so the
     * two agree for the same seed. Forward passes only, one per t.
     */
    public double kNats(INDArray x0, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Tables k = tables();
        INDArray x = x0.castTo(DataType.DOUBLE);
        int n = (int) x.rows();
        double loss = 0;
        for (int s = 2; s <= T; s++) {
            int[] t = new int[n];
            Arrays.fill(t, s);
            loss += evaluate(x, t, k.diffusion.sampleQ(x, s, rng), 1.0 / n, false).lossNats();
        }
        return k.ceiling - loss;
    }

    /**
     * dK/dx_t for rows (x0[i], t[i], xt[i]) with x_0 and t held fixed, K = ceiling - weight sum_i KL_i (Eq. 14's KL
     * terms are its only part that depends on x_t): [n, d] DOUBLE, nats per image per unit of x_t. Through x_t the
     * terms depend on the network and on the posterior mean; this is the piece a jointly learned image schedule needs
     * with frozen noise (Sec. 2.4.1), where x_t = sqrt(alphabar_t) x_0 + sqrt(1 - alphabar_t) epsilon.
     */
    public INDArray kGradientXt(INDArray x0, int[] t, INDArray xt, double weight) {
        if (network.fast() != null && !network.config().hasUnet()) {   // the U-Net's float[] path has no input gradients
            double[] g = evaluateWithInputGradients(x0, t, xt, weight).xt();
            for (int e = 0; e < g.length; e++) g[e] = -g[e];
            return Nd4j.createFromArray(g).reshape(t.length, d);
        }
        return kGradientXtGraph(x0, t, xt, weight);
    }

    /** dK/dx_t through the SameDiff graph (the reference). */
    INDArray kGradientXtGraph(INDArray x0, int[] t, INDArray xt, double weight) {
        Map<String, INDArray> ph = placeholders(x0, t, xt, coefficients(x0, t, xt), weight);
        INDArray g;
        try (var outside = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            g = network.graph().calculateGradients(ph, ImageNetwork.XT).get(ImageNetwork.XT).castTo(DataType.DOUBLE).neg();
        }
        lightSession();   // this call may have built the gradient graph that training then uses
        return g;
    }

    private Map<String, INDArray> placeholders(INDArray x0, int[] t, INDArray xt, Coefficients k, double weight) {
        int n = t.length;
        DataType dt = network.dataType();
        Map<String, INDArray> ph = network.forwardInputs(xt, n, t);
        ph.put(ImageNetwork.X0, x0.castTo(dt));
        for (var e : graphInputs(k.steps(), network.parameterisation()).entrySet()) {
            if (network.graph().hasVariable(e.getKey())) ph.put(e.getKey(), column(e.getValue(), dt));
        }
        ph.put(ImageNetwork.WEIGHT, Nd4j.valueArrayOf(new long[] {n, 1}, weight, dt));
        return ph;
    }

    private OutAndGrad gradients(Map<String, INDArray> ph) {
        return network.graph().calculateGradientsAndOutputs(ph, List.of(ImageNetwork.LOSS, ImageNetwork.KL_ROW), names);
    }

    /**
     * SameDiff's default session keeps a cache of arrays that are then released to the garbage collector: on the 28x28
     * reference network that meant hundreds of MB of fresh off-heap memory a step, RSS swinging between 1 and 5 GB and
     * a third or more of the CPU time in page faults. Without the cache the session allocates plainly, so inside the
     * trainer's per-step workspace every step reuses the same memory (RSS flat at about 1.2 GB). The cache itself does
     * not mix with workspaces (it handed back an array of the wrong shape), hence no workspace on the first call.
     */
    private void lightSession() {
        SameDiff grad = network.graph().getFunction("grad");
        InferenceSession s = grad.getSessions().get(Thread.currentThread().getId());
        if (s != null && !(s.getMmgr() instanceof NoOpMemoryMgr)) s.setMmgr(new NoOpMemoryMgr());
    }

    /**
     * The graph's per-row inputs by placeholder name, each a function of the row's step (beta_t, alphabar_t and the
     * posterior coefficients from {@link GaussianDiffusion}'s tables) and, for the forms that predict x_0, the scale of
     * z_mu ({@link GaussianParameterisation#x0ReadoutScale}): the graph combines them as
     * {@link GaussianParameterisation#map} does. The graph holds only those its parameterisation uses.
     */
    static Map<String, double[]> graphInputs(GaussianParameterisation.Step[] steps, GaussianParameterisation parameterisation) {
        int n = steps.length;
        String[] names = {ImageNetwork.C0, ImageNetwork.CT, ImageNetwork.VQ, ImageNetwork.LOGIT_BETA, ImageNetwork.LOG_BETA,
                ImageNetwork.SQRT_ALPHA, ImageNetwork.SQRT_BETA, ImageNetwork.SQRT_ALPHA_BAR, ImageNetwork.X0_SCALE};
        Map<String, double[]> in = new LinkedHashMap<>();
        for (String name : names) in.put(name, new double[n]);
        for (int i = 0; i < n; i++) {
            GaussianParameterisation.Step s = steps[i];
            in.get(ImageNetwork.C0)[i] = s.meanX0();
            in.get(ImageNetwork.CT)[i] = s.meanXt();
            in.get(ImageNetwork.VQ)[i] = s.posteriorVariance();
            in.get(ImageNetwork.LOGIT_BETA)[i] = Logistic.logit(s.beta());
            in.get(ImageNetwork.LOG_BETA)[i] = Math.log(s.beta());
            in.get(ImageNetwork.SQRT_ALPHA)[i] = Math.sqrt(1 - s.beta());
            in.get(ImageNetwork.SQRT_BETA)[i] = Math.sqrt(s.beta());
            in.get(ImageNetwork.SQRT_ALPHA_BAR)[i] = Math.sqrt(s.alphaBar());
            in.get(ImageNetwork.X0_SCALE)[i] = parameterisation.predictsX0() ? parameterisation.x0ReadoutScale(s) : 0;
        }
        return in;
    }

    private static double[] doubles(INDArray x) { return x.castTo(DataType.DOUBLE).dup('c').data().asDouble(); }

    private static INDArray column(double[] v, DataType dt) {
        return Nd4j.createFromArray(v).reshape(v.length, 1).castTo(dt);
    }
}
