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
import org.dpm4j.kernel.GaussianParameterisation;
import org.dpm4j.nn.FloatMatrices;
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
 * the core's {@link GaussianDiffusion}, so the diffusion mathematics keeps one home; the graph only combines them.
 * <p>
 * Two implementations of the same loss: FLOAT networks (training) run the float[] path, the network's
 * {@link ImageNetworkFloat} forward and hand-derived backward with the KL terms and their derivatives written out
 * here (in double, per element); DOUBLE networks run the SameDiff graph, which SameDiff differentiates. The graph is
 * the reference: package-private {@code evaluateGraph} and {@code kGradientXtGraph} evaluate it for any network,
 * and the tests hold the float[] path to it and to finite differences. The float[] path also gives the loss's
 * gradient with respect to each row's inputs ({@link #evaluateWithInputGradients}), which a learned schedule needs.
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
    private final GaussianDiffusion diffusion;
    private final int T, d;
    private final double[] marginalMean, marginalStd, c0, ct, vq, logitBeta, sqrtBeta, sqrtAlpha; // index t
    private final double ceiling;
    private final List<String> names;
    private float[] dz;                       // dL/dz of the float[] path, reused

    public ImageObjective(ImageNetwork network) {
        if (network == null) throw Check.bad("network", null, "an ImageNetwork");
        this.network = network;
        this.diffusion = new GaussianDiffusion(network.schedule());
        this.T = network.T();
        this.d = network.dimensions();
        marginalMean = new double[T + 1];
        marginalStd = new double[T + 1];
        c0 = new double[T + 1];
        ct = new double[T + 1];
        vq = new double[T + 1];
        logitBeta = new double[T + 1];
        sqrtBeta = new double[T + 1];
        sqrtAlpha = new double[T + 1];
        for (int t = 1; t <= T; t++) {
            double ab = network.schedule().alphaBar(t), b = network.schedule().beta(t);
            marginalMean[t] = Math.sqrt(ab);
            marginalStd[t] = Math.sqrt(1 - ab);
            logitBeta[t] = Logistic.logit(b);
            sqrtBeta[t] = Math.sqrt(b);
            sqrtAlpha[t] = Math.sqrt(1 - b);
            if (t >= 2) {
                GaussianDiffusion.PosteriorCoefficients p = diffusion.posteriorCoefficients(t);
                c0[t] = p.x0();
                ct[t] = p.xt();
                vq[t] = p.variance();
            }
        }
        ceiling = d * diffusion.entropyTermsPerDimension();
        names = new ArrayList<>(network.parameters().keySet());
    }

    public ImageNetwork network() { return network; }

    /** H_q(X_T|X_0) - H_q(X_1|X_0) - H_p(X_T) in nats per image (Eq. 14's entropy terms, the ceiling of K). */
    public double ceilingNats() { return ceiling; }

    /** x_t ~ q(x_t | x_0) = N(x_0 sqrt(alphabar_t), 1 - alphabar_t) for row i at t[i]; x0 [n, d]. */
    public INDArray drawXt(INDArray x0, int[] t, RandomGenerator rng) {
        double[] x = x0.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] xt = new double[x.length];
        for (int i = 0; i < t.length; i++) {
            for (int c = 0; c < d; c++) xt[i * d + c] = marginalMean[t[i]] * x[i * d + c] + marginalStd[t[i]] * rng.nextGaussian();
        }
        return Nd4j.createFromArray(xt).reshape(t.length, d);
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
     * row's inputs, with x_0 held: x_t [n, d] (row-major, through the network and the posterior mean) and the per-row
     * coefficients that carry the schedule: the posterior mean's c0 (of x_0) and ct (of x_t), the posterior variance
     * vq, logit(beta_t), and under the REFERENCE parameterisation sqrt(1 - beta_t) and sqrt(beta_t) (zeros under
     * PAPER, which does not use them). With the chain rule through x_t = sqrt(alphabar_t) x_0 + sqrt(1 - alphabar_t)
     * eps (frozen eps) these give dK/dbeta for a jointly learned schedule (Sec. 2.4.1). The parameter gradients
     * of the same pass are in {@code value().gradients()}. FLOAT networks only (one backward pass of the float[] path).
     */
    public record InputGradients(Value value, double[] xt, double[] c0, double[] ct, double[] vq, double[] logitBeta,
                                 double[] sqrtAlpha, double[] sqrtBeta) {}

    /** See {@link InputGradients}: one forward and backward pass on rows (x0[i], t[i], xt[i]), t in 2..T. */
    public InputGradients evaluateWithInputGradients(INDArray x0, int[] t, INDArray xt, double weight) {
        if (network.fast() == null) {
            throw Check.bad("network dataType", network.dataType(), "FLOAT (input gradients come from the float[] path)");
        }
        Coefficients k = coefficients(x0, t, xt);
        int n = t.length;
        InputGradients g = new InputGradients(null, new double[n * d], new double[n], new double[n], new double[n],
                new double[n], new double[n], new double[n]);
        Value v = evaluateFast(x0, t, xt, k, weight, true, g);
        return new InputGradients(v, g.xt, g.c0, g.ct, g.vq, g.logitBeta, g.sqrtAlpha, g.sqrtBeta);
    }

    /** The per-row coefficients of the KL terms, [n] each, from the tables at t[i]. */
    record Coefficients(double[] c0, double[] ct, double[] vq, double[] logitBeta, double[] sqrtAlpha, double[] sqrtBeta) {}

    Coefficients coefficients(INDArray x0, int[] t, INDArray xt) {
        int n = t.length;
        if (x0.rows() != n || xt.rows() != n || x0.columns() != d || xt.columns() != d) {
            throw Check.bad("x0 / xt shape", Arrays.toString(x0.shape()) + " / " + Arrays.toString(xt.shape()),
                    "[" + n + ", " + d + "] each (one row per time step)");
        }
        for (int ti : t) Check.inRange("t", ti, 2, T);
        return new Coefficients(rows(c0, t), rows(ct, t), rows(vq, t), rows(logitBeta, t), rows(sqrtAlpha, t), rows(sqrtBeta, t));
    }

    /**
     * The float[] path: the network forward, the KL of Eq. 14 per element in double (PAPER: Eqs. 64-65; REFERENCE: the
     * reference code's form, as {@link org.dpm4j.kernel.GaussianParameterisation#map}), then, with {@code gradient},
     * dL/dz back through the network. With {@code inputs} non-null its arrays receive dL/dx_t and dL/d(coefficients).
     */
    private Value evaluateFast(INDArray x0, int[] t, INDArray xt, Coefficients k, double weight, boolean gradient, InputGradients inputs) {
        int n = t.length;
        float[] x0f = FloatMatrices.floats(x0), xtf = FloatMatrices.floats(xt);
        ImageNetworkFloat net = network.fast();
        float[] z = gradient ? net.forward(xtf, t) : net.readout(xtf, t);
        float[] dz = gradient ? dzBuffer(n) : null;
        boolean paper = network.parameterisation() == GaussianParameterisation.PAPER;
        double rootT = Math.sqrt(T), loss = 0;
        double[] kl = new double[n], dxt = inputs == null ? null : inputs.xt();
        for (int i = 0; i < n; i++) {
            double a0 = k.c0[i], at = k.ct[i], q = k.vq[i], lb = k.logitBeta[i], sa = k.sqrtAlpha[i], sb = k.sqrtBeta[i], logVq = Math.log(q);
            double row = 0, dLb = 0, dC0 = 0, dCt = 0, dVq = 0, dSa = 0, dSb = 0;
            for (int c = 0; c < d; c++) {
                int e = i * d + c, zi = i * 2 * d + c;
                double x = xtf[e], zMu = z[zi], zSigma = z[zi + d];
                double u = paper ? zSigma + lb : zSigma / rootT + lb, v = 1 / (1 + Math.exp(-u));
                double mean = paper ? x + (zMu - x) * v : x * sa + zMu * sb;
                double diff = a0 * x0f[e] + at * x - mean, spread = (q + diff * diff) / v;
                row += 0.5 * (Math.log(v) - logVq + spread - 1);
                if (!gradient) continue;
                double gDiff = diff / v, dMean = -gDiff, dV = 0.5 * (1 - spread) / v;
                if (paper) dV += dMean * (zMu - x);
                double dU = dV * v * (1 - v);
                dz[zi] = (float) (weight * dMean * (paper ? v : sb));
                dz[zi + d] = (float) (weight * (paper ? dU : dU / rootT));
                if (inputs == null) continue;
                dLb += dU;
                dC0 += gDiff * x0f[e];
                dCt += gDiff * x;
                dVq += 0.5 * (1 / v - 1 / q);
                dSa += dMean * x;
                dSb += dMean * zMu;
                dxt[e] = weight * (gDiff * at + dMean * (paper ? 1 - v : sa));
            }
            kl[i] = row;
            loss += weight * row;
            if (inputs != null) {
                inputs.logitBeta()[i] = weight * dLb;
                inputs.c0()[i] = weight * dC0;
                inputs.ct()[i] = weight * dCt;
                inputs.vq()[i] = weight * dVq;
                inputs.sqrtAlpha()[i] = paper ? 0 : weight * dSa;
                inputs.sqrtBeta()[i] = paper ? 0 : weight * dSb;
            }
        }
        Map<String, INDArray> grads = null;
        if (gradient) {
            float[] dxNet = net.backward(dz, inputs != null);
            if (dxNet != null) for (int e = 0; e < n * d; e++) dxt[e] += dxNet[e];
            grads = new LinkedHashMap<>();
            for (var e : network.parameters().entrySet()) {
                float[] gv = net.gradients().get(e.getKey());
                grads.put(e.getKey(), FloatMatrices.matrix(gv, 1, gv.length).reshape(e.getValue().shape()));
            }
        }
        return new Value(loss, ceiling, kl, grads);
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
        return new Value(loss, ceiling, kl, grads);
    }

    /**
     * K (Eq. 14) on images x0 [n, d] in nats per image, every term t = 2..T with one draw per image and step, drawn
     * exactly as {@link org.dpm4j.bound.BoundK} draws them (diffusion.sampleQ for t = 2..T from one generator), so the
     * two agree for the same seed. Forward passes only, one per t.
     */
    public double kNats(INDArray x0, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        INDArray x = x0.castTo(DataType.DOUBLE);
        int n = (int) x.rows();
        double loss = 0;
        for (int s = 2; s <= T; s++) {
            int[] t = new int[n];
            Arrays.fill(t, s);
            loss += evaluate(x, t, diffusion.sampleQ(x, s, rng), 1.0 / n, false).lossNats();
        }
        return ceiling - loss;
    }

    /**
     * dK/dx_t for rows (x0[i], t[i], xt[i]) with x_0 and t held fixed, K = ceiling - weight sum_i KL_i (Eq. 14's KL
     * terms are its only part that depends on x_t): [n, d] DOUBLE, nats per image per unit of x_t. Through x_t the
     * terms depend on the network and on the posterior mean; this is the piece a jointly learned image schedule needs
     * with frozen noise (Sec. 2.4.1), where x_t = sqrt(alphabar_t) x_0 + sqrt(1 - alphabar_t) epsilon.
     */
    public INDArray kGradientXt(INDArray x0, int[] t, INDArray xt, double weight) {
        if (network.fast() != null) {
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
        Map<String, INDArray> ph = new HashMap<>();
        ph.put(ImageNetwork.XT, xt.castTo(dt));
        ph.put(ImageNetwork.X0, x0.castTo(dt));
        ph.put(ImageNetwork.G, network.gates(n, t));
        ph.put(ImageNetwork.C0, column(k.c0(), dt));
        ph.put(ImageNetwork.CT, column(k.ct(), dt));
        ph.put(ImageNetwork.VQ, column(k.vq(), dt));
        ph.put(ImageNetwork.LOGIT_BETA, column(k.logitBeta(), dt));
        if (network.parameterisation() == GaussianParameterisation.REFERENCE) {
            ph.put(ImageNetwork.SQRT_BETA, column(k.sqrtBeta(), dt));
            ph.put(ImageNetwork.SQRT_ALPHA, column(k.sqrtAlpha(), dt));
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

    private static double[] rows(double[] table, int[] t) {
        double[] v = new double[t.length];
        for (int i = 0; i < t.length; i++) v[i] = table[t[i]];
        return v;
    }

    private static INDArray column(double[] v, DataType dt) {
        return Nd4j.createFromArray(v).reshape(v.length, 1).castTo(dt);
    }
}
