package org.dpm4j.experiments;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.dpm4j.results.Metric;
import org.dpm4j.results.Run;
import org.dpm4j.results.RunLog;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Notebook 09's comparison tables: one row per model and quantity, all on one data set's held-out examples and in its
 * unit, each row saying where its number came from (computed in the notebook, or read from the run log).
 */
public final class BaselineComparison {
    private BaselineComparison() {}

    /**
     * One line of a comparison table.
     *
     * @param model         e.g. "diffusion", "VAE", "full-covariance Gaussian"
     * @param quantity      e.g. "K (Eq. 14)", "ELBO", "IW log-likelihood (k = 100)"
     * @param bits          the value in the table's unit
     * @param standardError its standard error (NaN when there is none)
     * @param source        where it came from
     */
    public record Entry(String model, String quantity, double bits, double standardError, String source) {}

    /** The latest run of {@code experiment} in this profile with this root seed in the log, if there is one. */
    public static Optional<Run> latest(RunLog log, String experiment, Profile profile, long seed) {
        return log.runs(RunLog.Query.ALL.withExperiment(experiment).withProfile(profile.id())).stream()
                .filter(r -> r.seed() == seed).max(Comparator.comparing(Run::finished));
    }

    /** The diffusion rows of a run: K (Eq. 14) and the Eq. 9 log-likelihood, sourced to the run. */
    public static List<Entry> diffusionEntries(Run run, String source) {
        return List.of(new Entry("diffusion", "K (Eq. 14)", run.value(Metric.K), run.standardError(Metric.K), source),
                new Entry("diffusion", "Eq. 9 log-likelihood", run.value(Metric.EQ9), run.standardError(Metric.EQ9), source));
    }

    /** The VAE rows of an evaluation: ELBO and the IW estimate with its k. */
    public static List<Entry> vaeEntries(VaeExperiment.Evaluation e, String source) {
        return List.of(new Entry("VAE", "ELBO", e.elboBits(), e.elboStandardErrorBits(), source),
                new Entry("VAE", "IW log-likelihood (k = " + e.iw().k() + ")", e.iwBits(), e.iwStandardErrorBits(), source));
    }

    /** The table: model, quantity, value, s.e., source; rows in the order given. */
    public static Table table(String title, String unit, List<Entry> entries) {
        StringColumn model = StringColumn.create("model"), quantity = StringColumn.create("quantity"), source = StringColumn.create("source");
        DoubleColumn value = DoubleColumn.create(unit), se = DoubleColumn.create("s.e.");
        for (Entry e : entries) {
            model.append(e.model());
            quantity.append(e.quantity());
            value.append(e.bits());
            se.append(e.standardError());
            source.append(e.source());
        }
        return Table.create(title, model, quantity, value, se, source);
    }
}
