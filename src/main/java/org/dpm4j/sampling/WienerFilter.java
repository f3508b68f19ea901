package org.dpm4j.sampling;

import org.dpm4j.util.Check;
import org.dpm4j.util.DataValues;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The exact posterior of a Gaussian prior under Gaussian noise: x ~ N(mu, Sigma), y = x + n with n ~ N(0, s^2 I), so
 * x | y ~ N(mu + Sigma (Sigma + s^2 I)^{-1} (y - mu), s^2 Sigma (Sigma + s^2 I)^{-1}) (the Wiener filter). With
 * Sigma the full covariance of training images this is the best denoiser second-order statistics give: Figure 3's
 * baseline beside the diffusion model's posterior samples (Sec. 2.5). Units: those of mu and y (z units here).
 */
public final class WienerFilter {
    private final double[] mean;
    private final INDArray gain;            // (Sigma + s^2 I)^{-1} Sigma, symmetric products: rows apply as (y - mu) gain
    private final INDArray covariance;      // s^2 Sigma (Sigma + s^2 I)^{-1}
    private final double noiseVariance;

    private WienerFilter(double[] mean, INDArray gain, INDArray covariance, double noiseVariance) {
        this.mean = mean;
        this.gain = gain;
        this.covariance = covariance;
        this.noiseVariance = noiseVariance;
    }

    /**
     * @param mean          mu, the prior mean [d]
     * @param covariance    Sigma, the prior covariance [d][d], symmetric positive semi-definite
     * @param noiseVariance s^2, the noise variance per value, > 0
     */
    public static WienerFilter of(double[] mean, double[][] covariance, double noiseVariance) {
        Check.allFinite("mean", mean);
        Check.positive("noiseVariance", noiseVariance);
        int d = mean.length;
        if (d < 1) throw Check.bad("mean.length", 0, "at least 1 dimension");
        if (covariance == null || covariance.length != d) throw Check.bad("covariance rows",
                covariance == null ? null : covariance.length, "d = " + d + " (mean.length)");
        double[] flat = new double[d * d];
        for (int i = 0; i < d; i++) {
            if (covariance[i] == null || covariance[i].length != d) throw Check.bad("covariance[" + i + "].length",
                    covariance[i] == null ? null : covariance[i].length, "d = " + d);
            System.arraycopy(covariance[i], 0, flat, i * d, d);
        }
        Check.allFinite("covariance", flat);
        for (int i = 0; i < d; i++) for (int j = 0; j < i; j++) {
            double a = flat[i * d + j], b = flat[j * d + i];
            if (Math.abs(a - b) > 1e-9 * (Math.abs(a) + Math.abs(b) + 1e-300)) throw Check.bad("covariance[" + i + "][" + j + "]",
                    a, "covariance[" + j + "][" + i + "] = " + b + " (a symmetric matrix)");
        }
        INDArray sigma = Nd4j.createFromArray(flat).reshape(d, d);
        INDArray a = sigma.add(Nd4j.eye(d).castTo(DataType.DOUBLE).muli(noiseVariance));
        // A^{-1} Sigma = A^{-1} (A - s^2 I) = I - s^2 A^{-1}. ND4J's general matrixInverse op took over 9 CPU minutes at
        // d = 3072 (CIFAR's baseline); the blocked inverse below does the same in BLAS products.
        INDArray gain = Nd4j.eye(d).castTo(DataType.DOUBLE).subi(inverseSpd(a).muli(noiseVariance));
        gain = gain.add(gain.transpose()).muli(0.5);   // A^{-1} Sigma is symmetric (they commute); drop rounding asymmetry
        return new WienerFilter(mean.clone(), gain, gain.mul(noiseVariance), noiseVariance);
    }

    /** Below this size {@link #inverseSpd} inverts by Gauss-Jordan directly. */
    static final int BLOCK = 128;

    /**
     * The inverse of a symmetric positive-definite [d, d] matrix by 2 x 2 blocks and the Schur complement
     * S = A22 - A21 A11^{-1} A12 (itself SPD): A^{-1} = [[B + B A12 S^{-1} A21 B, -B A12 S^{-1}], [-S^{-1} A21 B, S^{-1}]]
     * with B = A11^{-1}, recursively; about d^3 multiply-adds, all but the small blocks' in matrix products.
     */
    static INDArray inverseSpd(INDArray a) {
        int d = (int) a.rows();
        if (d <= BLOCK) return gaussJordan(a);
        int h = d / 2;
        INDArray a11 = a.get(NDArrayIndex.interval(0, h), NDArrayIndex.interval(0, h)).dup();
        INDArray a12 = a.get(NDArrayIndex.interval(0, h), NDArrayIndex.interval(h, d)).dup();
        INDArray a22 = a.get(NDArrayIndex.interval(h, d), NDArrayIndex.interval(h, d)).dup();
        INDArray b = inverseSpd(a11);
        INDArray ba12 = b.mmul(a12);                                   // A11^{-1} A12, [h, d - h]
        INDArray schur = a22.sub(a12.transpose().mmul(ba12));         // A21 = A12^T
        schur = schur.add(schur.transpose()).muli(0.5);
        INDArray si = inverseSpd(schur);
        INDArray upperRight = ba12.mmul(si).negi();                    // -B A12 S^{-1}
        INDArray upperLeft = b.sub(upperRight.mmul(ba12.transpose())); // B + B A12 S^{-1} A21 B
        INDArray out = Nd4j.create(DataType.DOUBLE, d, d);
        out.put(new org.nd4j.linalg.indexing.INDArrayIndex[] {NDArrayIndex.interval(0, h), NDArrayIndex.interval(0, h)}, upperLeft);
        out.put(new org.nd4j.linalg.indexing.INDArrayIndex[] {NDArrayIndex.interval(0, h), NDArrayIndex.interval(h, d)}, upperRight);
        out.put(new org.nd4j.linalg.indexing.INDArrayIndex[] {NDArrayIndex.interval(h, d), NDArrayIndex.interval(0, h)}, upperRight.transpose());
        out.put(new org.nd4j.linalg.indexing.INDArrayIndex[] {NDArrayIndex.interval(h, d), NDArrayIndex.interval(h, d)}, si);
        return out;
    }

    /** Gauss-Jordan with partial pivoting on a copy of a small square matrix; a singular one names its pivot. */
    private static INDArray gaussJordan(INDArray a) {
        int d = (int) a.rows();
        double[][] m = a.toDoubleMatrix(), inv = new double[d][d];
        for (int i = 0; i < d; i++) inv[i][i] = 1;
        for (int c = 0; c < d; c++) {
            int p = c;
            for (int r = c + 1; r < d; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
            if (!(Math.abs(m[p][c]) > 0)) throw Check.bad("covariance + noiseVariance I", "pivot " + c + " = " + m[p][c], "a positive-definite matrix");
            double[] t = m[c]; m[c] = m[p]; m[p] = t;
            t = inv[c]; inv[c] = inv[p]; inv[p] = t;
            double f = 1 / m[c][c];
            for (int j = 0; j < d; j++) { m[c][j] *= f; inv[c][j] *= f; }
            for (int r = 0; r < d; r++) {
                if (r == c || m[r][c] == 0) continue;
                double g = m[r][c];
                for (int j = 0; j < d; j++) { m[r][j] -= g * m[c][j]; inv[r][j] -= g * inv[c][j]; }
            }
        }
        return Nd4j.createFromArray(inv);
    }

    public int dimensions() { return mean.length; }

    public double noiseVariance() { return noiseVariance; }

    /** E[x | y] for every row y of {@code observed} [n, d]: mu + (y - mu) (Sigma + s^2 I)^{-1} Sigma, a new DOUBLE array. */
    public INDArray posteriorMean(INDArray observed) {
        if (observed == null) throw Check.bad("observed", null, "an [n, " + mean.length + "] array");
        if (observed.rank() != 2 || observed.columns() != mean.length) throw Check.bad("observed.shape",
                java.util.Arrays.toString(observed.shape()), "[n, " + mean.length + "]");
        DataValues.bounded("observed", observed);
        INDArray mu = Nd4j.createFromArray(mean).reshape(1, mean.length);
        return observed.castTo(DataType.DOUBLE).subRowVector(mu).mmul(gain).addiRowVector(mu);
    }

    /** Cov[x | y] = s^2 Sigma (Sigma + s^2 I)^{-1}, the same for every y, [d, d] (a copy). */
    public INDArray posteriorCovariance() { return covariance.dup(); }
}
