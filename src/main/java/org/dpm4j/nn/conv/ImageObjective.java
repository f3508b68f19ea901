package org.dpm4j.nn.conv;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.dpm4j.diffusion.GaussianDiffusion;
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
     */
    public Value evaluate(INDArray x0, int[] t, INDArray xt, double weight, boolean gradient) {
        int n = t.length;
        Map<String, INDArray> ph = placeholders(x0, t, xt, weight);
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
        Map<String, INDArray> ph = placeholders(x0, t, xt, weight);
        INDArray g;
        try (var outside = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            g = network.graph().calculateGradients(ph, ImageNetwork.XT).get(ImageNetwork.XT).castTo(DataType.DOUBLE).neg();
        }
        lightSession();   // this call may have built the gradient graph that training then uses
        return g;
    }

    private Map<String, INDArray> placeholders(INDArray x0, int[] t, INDArray xt, double weight) {
        int n = t.length;
        if (x0.rows() != n || xt.rows() != n || x0.columns() != d || xt.columns() != d) {
            throw Check.bad("x0 / xt shape", Arrays.toString(x0.shape()) + " / " + Arrays.toString(xt.shape()),
                    "[" + n + ", " + d + "] each (one row per time step)");
        }
        for (int ti : t) Check.inRange("t", ti, 2, T);
        DataType dt = network.dataType();
        Map<String, INDArray> ph = new HashMap<>();
        ph.put(ImageNetwork.XT, xt.castTo(dt));
        ph.put(ImageNetwork.X0, x0.castTo(dt));
        ph.put(ImageNetwork.G, network.gates(n, t));
        ph.put(ImageNetwork.C0, column(c0, t, dt));
        ph.put(ImageNetwork.CT, column(ct, t, dt));
        ph.put(ImageNetwork.VQ, column(vq, t, dt));
        ph.put(ImageNetwork.LOGIT_BETA, column(logitBeta, t, dt));
        if (network.parameterisation() == org.dpm4j.kernel.GaussianParameterisation.REFERENCE) {
            ph.put(ImageNetwork.SQRT_BETA, column(sqrtBeta, t, dt));
            ph.put(ImageNetwork.SQRT_ALPHA, column(sqrtAlpha, t, dt));
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

    private static INDArray column(double[] table, int[] t, DataType dt) {
        double[] v = new double[t.length];
        for (int i = 0; i < t.length; i++) v[i] = table[t[i]];
        return Nd4j.createFromArray(v).reshape(t.length, 1).castTo(dt);
    }
}
