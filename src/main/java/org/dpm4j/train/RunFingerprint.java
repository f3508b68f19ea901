package org.dpm4j.train;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.dpm4j.schedule.BetaSchedule;
import org.dpm4j.util.Check;

/**
 * Everything that determines a training run, as named fields (provenance as data, after Tribuo's
 * {@code ModelProvenance}): the model and its sizes, the starting schedule, the training data's identity, the optimiser
 * and its learning-rate schedule, the time-step sampler, batch, steps, seed, schedule learning and the parameter
 * average, if any. A checkpoint stores
 * it, and resuming with any field different is refused naming the field and both values, so a run can never silently
 * continue as another. What only observes the run (evaluation, progress, time limits, target) is not part of it.
 */
public record RunFingerprint(Map<String, String> fields) {
    public RunFingerprint {
        if (fields == null) throw Check.bad("fields", null, "a map of field names to values");
        fields = Collections.unmodifiableMap(new TreeMap<>(fields));
    }

    /** The fingerprint of training {@code objective}, starting from {@code schedule} (null if none), on data. */
    public static RunFingerprint of(Objective objective, BetaSchedule schedule, double[] data, TrainConfig cfg) {
        Map<String, String> f = new TreeMap<>();
        f.put("model", objective.describe());
        f.put("parameters", Integer.toString(objective.parameterValues().length));
        f.put("schedule", schedule == null ? "none" : schedule.name() + " (T = " + schedule.T() + ", betas sha256 " + sha256(schedule.betas()) + ")");
        f.put("data", data.length / objective.dimension() + " x " + objective.dimension() + " values, sha256 " + sha256(data));
        f.put("optimizer", cfg.optimizer().toString());
        f.put("learningRate", cfg.learningRate().toString());
        f.put("estimator", cfg.estimator().name());
        f.put("batch", Integer.toString(cfg.batch()));
        f.put("steps", Integer.toString(cfg.steps()));
        f.put("seed", Long.toString(cfg.seed()));
        f.put("learnSchedule", String.valueOf(cfg.learnSchedule()));
        // only when kept, so runs without an average keep the fingerprint (and checkpoints) they had before averaging existed
        if (cfg.average() != null) f.put("average", cfg.average().toString());
        return new RunFingerprint(f);
    }

    /**
     * Refuses to resume from a checkpoint whose run differs: names the first differing field (in name order) and both
     * values, and the checkpoint file.
     */
    public void requireSameRun(RunFingerprint saved, Object file) {
        for (String key : union(saved)) {
            String mine = fields.get(key), theirs = saved.fields.get(key);
            if (!Objects.equals(mine, theirs)) {
                throw new IllegalArgumentException("checkpoint " + file + " belongs to another run: " + key + " = " + theirs
                        + " in the checkpoint, but " + mine + " in this configuration; use another checkpoint file, or the"
                        + " settings of the run that wrote it");
            }
        }
    }

    private java.util.SortedSet<String> union(RunFingerprint other) {
        java.util.SortedSet<String> keys = new java.util.TreeSet<>(fields.keySet());
        keys.addAll(other.fields.keySet());
        return keys;
    }

    /** One line per field, "name=value", in name order; {@link #parse} reads it back. */
    public String encode() {
        StringBuilder b = new StringBuilder();
        fields.forEach((k, v) -> b.append(k).append('=').append(v.replace("\n", " ")).append('\n'));
        return b.toString();
    }

    public static RunFingerprint parse(String text) {
        Map<String, String> f = new TreeMap<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty()) continue;
            int eq = line.indexOf('=');
            if (eq < 1) throw Check.bad("fingerprint line", line, "name=value");
            f.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return new RunFingerprint(f);
    }

    /** The first 16 hex digits of the SHA-256 of the values' IEEE bits, big-endian. */
    static String sha256(double[] v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length);
        for (double x : v) b.putDouble(x);
        return digest(b.array());
    }

    static String digest(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override public String toString() { return encode(); }

    static byte[] utf8(String s) { return s.getBytes(StandardCharsets.UTF_8); }
}
