package org.dpm4j.results;

/**
 * Names of the metrics a result row can carry, spelled as the paper and its tables spell them, so rows from different
 * experiments (and the paper's own values in {@link PaperTables}) line up. A row may use any other name: a metric
 * with no entry here is simply one the paper does not report.
 */
public final class Metric {
    /** The lower bound K on the held-out log-likelihood (Eq. 14). */
    public static final String K = "K";
    /** K minus the log-likelihood under the terminal distribution pi(x_T) (Table 1's second column). */
    public static final String K_MINUS_L_NULL = "K - L_null";
    /** The importance-sampled log-likelihood over forward trajectories (Eq. 9). */
    public static final String EQ9 = "Eq. 9";
    /** The largest value K can reach for the model family and schedule (e.g. the blur ceiling of a noise-free roll). */
    public static final String CEILING = "ceiling";
    /** A log-likelihood computed exactly (e.g. Table 2's MCGSM on dead leaves). */
    public static final String LOG_LIKELIHOOD = "log-likelihood";
    /** The Parzen-window log-likelihood of samples (Goodfellow et al. 2014 protocol, Table 2). */
    public static final String PARZEN = "Parzen";
    /** The evidence lower bound of a variational autoencoder. */
    public static final String ELBO = "ELBO";
    /** The fraction of samples that are valid examples (e.g. one of the five heartbeats). */
    public static final String VALID_SAMPLES = "valid samples";

    private Metric() {}
}
