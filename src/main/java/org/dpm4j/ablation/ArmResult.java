package org.dpm4j.ablation;

import org.dpm4j.results.Metric;
import org.dpm4j.results.ResultRow;
import org.dpm4j.results.Run;

/** One arm's run (from this ablation, or found in the run log: {@code reused}). */
public record ArmResult(Arm arm, Run run, boolean reused) {
    public double k() { return run.value(Metric.K); }

    public double kStandardError() { return run.standardError(Metric.K); }

    public String unit() { return run.row(Metric.K).map(ResultRow::unit).orElse(""); }

    /** Training steps from the run's settings (0 for an oracle arm). */
    public int steps() {
        return arm.kind() == Arm.Kind.ORACLE ? 0 : Integer.parseInt(run.configuration().getOrDefault("steps", "0"));
    }
}
