package org.dpm4j.bound;

import java.util.random.RandomGenerator;

import org.dpm4j.util.Check;
import org.dpm4j.util.DataValues;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A Gaussian N(mu, Sigma) conditioned on some of its coordinates: the simple baseline for inpainting (Figure 5).
 * With k the known and m the missing coordinates,
 * <pre>
 *   x_m | x_k ~ N(mu_m + Sigma_mk Sigma_kk^{-1} (x_k - mu_k),  Sigma_mm - Sigma_mk Sigma_kk^{-1} Sigma_km)
 * </pre>
 * (the Schur complement). With Sigma_kk = L L^T and A = L^{-1} Sigma_km: mean = mu_m + A^T L^{-1}(x_k - mu_k),
 * covariance = Sigma_mm - A^T A. The factorisation is done once per mask; the known coordinates of every result are
 * the given values, bit for bit. Units: those of the data.
 */
public final class GaussianConditional {
    private final int d;
    private final int[] knownIndex, missingIndex;
    private final double[] mu;
    private final INDArray whitenKnown;      // L^{-1}, [k, k]
    private final INDArray gain;             // A^T L^{-1} = Sigma_mk Sigma_kk^{-1}, [m, k]
    private final INDArray conditionalCovariance; // Sigma_mm - A^T A, [m, m]
    private INDArray conditionalFactor;           // its lower Cholesky factor, on first use

    /**
     * @param mu    the mean, d values
     * @param sigma the covariance, d x d, symmetric positive definite
     * @param known d flags, true where the coordinate is given; at least one known and one missing
     */
    public GaussianConditional(double[] mu, double[][] sigma, boolean[] known) {
        if (mu == null || mu.length == 0) throw Check.bad("mu", mu == null ? null : "[]", "a mean of d >= 1 values");
        d = mu.length;
        Check.allFinite("mu", mu);
        if (sigma == null || sigma.length != d) throw Check.bad("sigma rows", sigma == null ? null : sigma.length, d + " (the mean's length)");
        if (known == null || known.length != d) throw Check.bad("known length", known == null ? null : known.length, d + " (the mean's length)");
        int k = 0;
        for (boolean b : known) if (b) k++;
        if (k == 0 || k == d) throw Check.bad("known", k + " of " + d + " coordinates", "at least one known and one missing");
        knownIndex = new int[k];
        missingIndex = new int[d - k];
        for (int i = 0, a = 0, b = 0; i < d; i++) {
            if (known[i]) knownIndex[a++] = i;
            else missingIndex[b++] = i;
        }
        this.mu = mu.clone();
        for (int i = 0; i < d; i++) {
            if (sigma[i] == null || sigma[i].length != d) throw Check.bad("sigma[" + i + "] length", sigma[i] == null ? null : sigma[i].length, String.valueOf(d));
            Check.allFinite("sigma[" + i + "]", sigma[i]);
        }
        int m = d - k;
        double[] skk = block(sigma, knownIndex, knownIndex), skm = block(sigma, knownIndex, missingIndex), smm = block(sigma, missingIndex, missingIndex);
        double[] l = GaussianDensity.cholesky(skk, k, 0);
        whitenKnown = Nd4j.createFromArray(GaussianDensity.inverseLower(l, k)).reshape(k, k);
        INDArray a = whitenKnown.mmul(Nd4j.createFromArray(skm).reshape(k, m));
        gain = a.transpose().mmul(whitenKnown);
        conditionalCovariance = Nd4j.createFromArray(smm).reshape(m, m).subi(a.transpose().mmul(a));
    }

    /** The conditional covariance's lower Cholesky factor, made on the first draw (the mean does not need it). */
    private synchronized INDArray conditionalFactor() {
        if (conditionalFactor == null) {
            int m = missingIndex.length;
            double[] cond = conditionalCovariance.dup().data().asDouble();
            // symmetrise: the two triangles of A^T A differ in rounding
            for (int i = 0; i < m; i++) for (int j = 0; j < i; j++) cond[i * m + j] = cond[j * m + i] = (cond[i * m + j] + cond[j * m + i]) / 2;
            conditionalFactor = Nd4j.createFromArray(GaussianDensity.cholesky(cond, m, 0)).reshape(m, m);
        }
        return conditionalFactor;
    }

    public int dimensions() { return d; }

    /** E[x | x_k] for every row of x [n, d]: known coordinates as given, missing ones the conditional mean. */
    public INDArray mean(INDArray x) {
        double[][] v = checked(x);
        INDArray cm = conditionalMean(v);
        for (int r = 0; r < v.length; r++)
            for (int j = 0; j < missingIndex.length; j++) v[r][missingIndex[j]] = cm.getDouble(r, j);
        return Nd4j.createFromArray(v);
    }

    /**
     * {@code draws} samples of x_m | x_k for the one row x [1, d], [draws, d]: known coordinates as given, missing
     * ones the conditional mean plus the conditional covariance's factor times standard normal noise from rng.
     */
    public INDArray sample(INDArray x, int draws, RandomGenerator rng) {
        Check.positive("draws", draws);
        if (rng == null) throw Check.bad("rng", null, "a seeded RandomGenerator");
        double[][] v = checked(x);
        if (v.length != 1) throw Check.bad("x rows", v.length, "1 (the draws share one known part)");
        int m = missingIndex.length;
        INDArray cm = conditionalMean(v);
        double[] e = new double[draws * m];
        for (int i = 0; i < e.length; i++) e[i] = rng.nextGaussian();
        INDArray noise = Nd4j.createFromArray(e).reshape(draws, m).mmul(conditionalFactor().transpose());
        double[][] out = new double[draws][];
        for (int s = 0; s < draws; s++) {
            out[s] = v[0].clone();
            for (int j = 0; j < m; j++) out[s][missingIndex[j]] = cm.getDouble(0, j) + noise.getDouble(s, j);
        }
        return Nd4j.createFromArray(out);
    }

    /** Sigma_mm - Sigma_mk Sigma_kk^{-1} Sigma_km, [m, m] over the missing coordinates in index order. */
    public double[][] conditionalCovariance() {
        return conditionalCovariance.toDoubleMatrix();
    }

    /** mu_m + gain (x_k - mu_k) for each row, [n, m]. */
    private INDArray conditionalMean(double[][] v) {
        int n = v.length, k = knownIndex.length, m = missingIndex.length;
        double[] dk = new double[n * k];
        for (int r = 0; r < n; r++) for (int j = 0; j < k; j++) dk[r * k + j] = v[r][knownIndex[j]] - mu[knownIndex[j]];
        INDArray out = Nd4j.createFromArray(dk).reshape(n, k).mmul(gain.transpose());
        double[] muM = new double[m];
        for (int j = 0; j < m; j++) muM[j] = mu[missingIndex[j]];
        return out.addiRowVector(Nd4j.createFromArray(muM).reshape(1, m));
    }

    private double[][] checked(INDArray x) {
        if (x == null || x.rank() != 2 || x.columns() != d) {
            throw Check.bad("x shape", x == null ? null : java.util.Arrays.toString(x.shape()), "[n, " + d + "]");
        }
        DataValues.bounded("x", x);
        return x.castTo(DataType.DOUBLE).toDoubleMatrix();
    }

    private static double[] block(double[][] s, int[] rows, int[] cols) {
        double[] b = new double[rows.length * cols.length];
        for (int i = 0; i < rows.length; i++) for (int j = 0; j < cols.length; j++) b[i * cols.length + j] = s[rows[i]][cols[j]];
        return b;
    }
}
