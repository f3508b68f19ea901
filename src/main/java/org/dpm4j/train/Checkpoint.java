package org.dpm4j.train;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import org.dpm4j.util.Check;

/**
 * A training run's complete state: model parameters, optimiser moments, schedule (betas, and when the run learns its
 * schedule, the learnable schedule's parameters and their optimiser moments; empty otherwise), step, skipped count and
 * history.
 * The random state is (seed, step), because every step draws from a generator seeded by both. Files are written to a
 * temporary sibling and renamed over the old one atomically, so a kill mid-write leaves the previous checkpoint intact.
 */
public record Checkpoint(long seed, int step, int skipped, double[] betas, float[] params, float[] optimizerState,
                         float[] scheduleParams, float[] scheduleState, History history) {
    private static final int MAGIC = 0x44504d34; // "DPM4"
    // 2 added the learnable schedule's state; 3 stores per-step readout weights [T, out, in] instead of [T, in, out],
    // so files of versions 1 and 2 would load with the same length and scrambled readouts: they are refused;
    // 4 adds the history's evaluation times (version 3 files still load, their evaluation times read as 0)
    private static final int VERSION = 4;
    private static final int OLDEST_READABLE = 3;

    /** A checkpoint of a run with a fixed schedule. */
    public Checkpoint(long seed, int step, int skipped, double[] betas, float[] params, float[] optimizerState, History history) {
        this(seed, step, skipped, betas, params, optimizerState, new float[0], new float[0], history);
    }

    /** Refuses a checkpoint of another run: one with another seed or another number of parameters. */
    public void requireRun(long configuredSeed, long parameterCount) {
        if (seed != configuredSeed) throw Check.bad("checkpoint seed", seed, "the configured seed " + configuredSeed);
        if (params.length != parameterCount) {
            throw Check.bad("checkpoint parameters", params.length, parameterCount + " (this network's size)");
        }
    }

    public void write(Path file) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            if (file.getParent() != null) Files.createDirectories(file.getParent());
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
                out.writeInt(MAGIC);
                out.writeInt(VERSION);
                out.writeLong(seed);
                out.writeInt(step);
                out.writeInt(skipped);
                writeDoubles(out, betas);
                writeFloats(out, params);
                writeFloats(out, optimizerState);
                writeFloats(out, scheduleParams);
                writeFloats(out, scheduleState);
                history.write(out);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + file, e);
        }
    }

    /** The checkpoint in {@code file}, or empty if there is none; a corrupt file is an error naming the file. */
    public static Optional<Checkpoint> read(Path file) {
        if (file == null || !Files.exists(file)) return Optional.empty();
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            int magic = in.readInt(), version = in.readInt();
            if (magic != MAGIC || version < 1 || version > VERSION) {
                throw new IllegalArgumentException("checkpoint = " + file + ", expected a dpm4j checkpoint (version " + VERSION + ")");
            }
            if (version < OLDEST_READABLE) {
                throw new IllegalArgumentException("checkpoint = " + file + " (version " + version + "), expected version " + OLDEST_READABLE + " to " + VERSION
                        + ": older dpm4j stored per-step readout weights in another layout; retrain or use that version");
            }
            long seed = in.readLong();
            int step = in.readInt(), skipped = in.readInt();
            double[] betas = readDoubles(in);
            float[] params = readFloats(in), state = readFloats(in);
            float[] scheduleParams = readFloats(in), scheduleState = readFloats(in);
            return Optional.of(new Checkpoint(seed, step, skipped, betas, params, state, scheduleParams, scheduleState, History.read(in, version >= 4)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint " + file + " (truncated or corrupt)", e);
        }
    }

    private static void writeDoubles(DataOutputStream out, double[] v) throws IOException {
        out.writeInt(v.length);
        for (double x : v) out.writeDouble(x);
    }

    private static void writeFloats(DataOutputStream out, float[] v) throws IOException {
        out.writeInt(v.length);
        for (float x : v) out.writeFloat(x);
    }

    private static double[] readDoubles(DataInputStream in) throws IOException {
        double[] v = new double[in.readInt()];
        for (int i = 0; i < v.length; i++) v[i] = in.readDouble();
        return v;
    }

    private static float[] readFloats(DataInputStream in) throws IOException {
        float[] v = new float[in.readInt()];
        for (int i = 0; i < v.length; i++) v[i] = in.readFloat();
        return v;
    }
}
