package org.dpm4j.results;

import java.util.Arrays;
import org.dpm4j.util.Check;

/**
 * Table 1 of Sohl-Dickstein et al. 2015 (arXiv:1503.03585 v8): the lower bound K on held-out log-likelihood and
 * K - L_null, as printed. The one place the paper's numbers live in dpm4j.
 */
public enum PaperTable1 {
    SWISS_ROLL("Swiss roll", 2.35, 6.45, "bits"),
    BINARY_HEARTBEAT("Binary heartbeat", -2.414, 12.024, "bits/seq"),
    BARK("Bark", -0.55, 1.5, "bits/pixel"),
    DEAD_LEAVES("Dead leaves", 1.489, 3.536, "bits/pixel"),
    CIFAR_10("CIFAR-10", 5.4, 11.5, "bits/pixel");

    private final String dataset;
    private final double k;
    private final double kMinusLNull;
    private final String units;

    PaperTable1(String dataset, double k, double kMinusLNull, String units) {
        this.dataset = dataset;
        this.k = k;
        this.kMinusLNull = kMinusLNull;
        this.units = units;
    }

    /** The data set's name as Table 1 prints it. */
    public String dataset() { return dataset; }

    /** The paper's K, in {@link #units()}. */
    public double k() { return k; }

    /** The paper's K - L_null, in {@link #units()}. */
    public double kMinusLNull() { return kMinusLNull; }

    public String units() { return units; }

    /** The row for a data set name as Table 1 prints it (e.g. "Swiss roll"). */
    public static PaperTable1 of(String dataset) {
        return Arrays.stream(values()).filter(r -> r.dataset.equals(dataset)).findFirst()
                .orElseThrow(() -> Check.bad("dataset", dataset, "one of Table 1's data sets "
                        + Arrays.stream(values()).map(PaperTable1::dataset).toList()));
    }
}
