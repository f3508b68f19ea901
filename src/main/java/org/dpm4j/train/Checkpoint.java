package org.dpm4j.train;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.zip.CRC32C;
import org.dpm4j.util.Check;

/**
 * A training run's complete state: the run's {@link RunFingerprint}, model parameters, optimiser moments, schedule
 * (betas, and when the run learns its schedule, the learnable schedule's parameters and their optimiser moments; empty
 * otherwise), step, skipped count, history and, when the run keeps one, the running sum of its parameter average
 * ({@link ParameterAverage}; empty otherwise). The random state is (seed, step), because every step draws from a
 * generator seeded by both.
 * <p>
 * File format (version 6): magic "DPM4", version, payload length, payload, CRC-32C of the payload; version 6 appends
 * the average's running sum (doubles) to version 5's payload, and version 5 files are read as runs without an average. Files are written to
 * a temporary sibling, forced to disk and renamed over the old one atomically, so a kill at any moment leaves the
 * previous checkpoint intact. Reading checks the length against the file's size before allocating anything, the
 * checksum before parsing, and every array length against the bytes left; a file that fails any check is refused
 * naming it. Files of versions 3 and 4 (before fingerprints) are refused too: resuming them could continue another run
 * without notice.
 */
public record Checkpoint(RunFingerprint fingerprint, long seed, int step, int skipped, double[] betas, float[] params,
                         float[] optimizerState, float[] scheduleParams, float[] scheduleState, History history,
                         double[] averageSum) {
    private static final int MAGIC = 0x44504d34; // "DPM4"
    private static final int VERSION = 6, WITHOUT_AVERAGE = 5;

    /** A checkpoint of a run without a parameter average. */
    public Checkpoint(RunFingerprint fingerprint, long seed, int step, int skipped, double[] betas, float[] params,
                      float[] optimizerState, float[] scheduleParams, float[] scheduleState, History history) {
        this(fingerprint, seed, step, skipped, betas, params, optimizerState, scheduleParams, scheduleState, history, new double[0]);
    }
    private static final int HEADER = 4 + 4 + 8, TRAILER = 8;

    /** Refuses a checkpoint of another run, naming the field that differs. */
    public void requireRun(RunFingerprint configured, Path file) {
        configured.requireSameRun(fingerprint, file);
    }

    public void write(Path file) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            if (file.getParent() != null) Files.createDirectories(file.getParent());
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 16);
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                byte[] print = RunFingerprint.utf8(fingerprint.encode());
                out.writeInt(print.length);
                out.write(print);
                out.writeLong(seed);
                out.writeInt(step);
                out.writeInt(skipped);
                writeDoubles(out, betas);
                writeFloats(out, params);
                writeFloats(out, optimizerState);
                writeFloats(out, scheduleParams);
                writeFloats(out, scheduleState);
                history.write(out);
                writeDoubles(out, averageSum);
            }
            byte[] payload = bytes.toByteArray();
            CRC32C crc = new CRC32C();
            crc.update(payload);
            ByteBuffer head = ByteBuffer.allocate(HEADER).putInt(MAGIC).putInt(VERSION).putLong(payload.length).flip();
            ByteBuffer tail = ByteBuffer.allocate(TRAILER).putLong(crc.getValue()).flip();
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                ch.write(new ByteBuffer[] {head, ByteBuffer.wrap(payload), tail});
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + file, e);
        }
    }

    /** The checkpoint in {@code file}, or empty if there is none; a corrupt or foreign file is an error naming the file. */
    public static Optional<Checkpoint> read(Path file) {
        if (file == null || !Files.exists(file)) return Optional.empty();
        if (Files.isDirectory(file)) throw Check.bad("checkpoint", file, "a checkpoint file, not a directory");
        try {
            long size = Files.size(file);
            if (size < HEADER + TRAILER) throw corrupt(file, "it has " + size + " bytes, fewer than a checkpoint's header and checksum");
            byte[] head = new byte[HEADER];
            try (var in = Files.newInputStream(file)) {
                if (in.readNBytes(head, 0, HEADER) != HEADER) throw corrupt(file, "its header is truncated");
                ByteBuffer h = ByteBuffer.wrap(head);
                int magic = h.getInt(), version = h.getInt();
                long length = h.getLong();
                if (magic != MAGIC) throw Check.bad("checkpoint", file, "a dpm4j checkpoint (it does not start with DPM4)");
                if (version != VERSION && version != WITHOUT_AVERAGE) {
                    throw Check.bad("checkpoint", file + " (version " + version + ")", "version " + WITHOUT_AVERAGE + " or " + VERSION + ": files written before"
                            + " run fingerprints (version 4 and older) are not resumed, since nothing could tell whether they belong to"
                            + " this run; retrain, or finish that run with the dpm4j version that wrote it");
                }
                if (length != size - HEADER - TRAILER) {
                    throw corrupt(file, "its header claims a payload of " + length + " bytes, but the file holds " + (size - HEADER - TRAILER));
                }
                byte[] payload = in.readNBytes((int) length);
                byte[] tail = in.readNBytes(TRAILER);
                if (payload.length != length || tail.length != TRAILER) throw corrupt(file, "it is truncated");
                CRC32C crc = new CRC32C();
                crc.update(payload);
                if (crc.getValue() != ByteBuffer.wrap(tail).getLong()) throw corrupt(file, "its checksum does not match its contents");
                return Optional.of(parse(payload, version, file));
            }
        } catch (EOFException e) {
            throw corrupt(file, "it ends early");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint " + file, e);
        }
    }

    private static Checkpoint parse(byte[] payload, int version, Path file) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload));
        int printLength = length(in, 1, file, "fingerprint");
        RunFingerprint fingerprint = RunFingerprint.parse(new String(in.readNBytes(printLength), java.nio.charset.StandardCharsets.UTF_8));
        long seed = in.readLong();
        int step = in.readInt(), skipped = in.readInt();
        double[] betas = new double[length(in, 8, file, "betas")];
        for (int i = 0; i < betas.length; i++) betas[i] = in.readDouble();
        float[] params = floats(in, file, "parameters"), state = floats(in, file, "optimizer state");
        float[] scheduleParams = floats(in, file, "schedule parameters"), scheduleState = floats(in, file, "schedule optimizer state");
        History history = History.read(in, true);
        double[] average = new double[version == WITHOUT_AVERAGE ? 0 : length(in, 8, file, "parameter average")];
        for (int i = 0; i < average.length; i++) average[i] = in.readDouble();
        return new Checkpoint(fingerprint, seed, step, skipped, betas, params, state, scheduleParams, scheduleState, history, average);
    }

    /** A length field, checked against the bytes left before anything of that length is allocated. */
    private static int length(DataInputStream in, int bytesPerElement, Path file, String what) throws IOException {
        int n = in.readInt();
        if (n < 0 || (long) n * bytesPerElement > in.available()) {
            throw corrupt(file, "its " + what + " length " + n + " does not fit in the " + in.available() + " bytes left");
        }
        return n;
    }

    private static float[] floats(DataInputStream in, Path file, String what) throws IOException {
        float[] v = new float[length(in, 4, file, what)];
        for (int i = 0; i < v.length; i++) v[i] = in.readFloat();
        return v;
    }

    private static IllegalArgumentException corrupt(Path file, String why) {
        return new IllegalArgumentException("checkpoint " + file + " is corrupt: " + why + "; delete it to start the run afresh");
    }

    private static void writeDoubles(DataOutputStream out, double[] v) throws IOException {
        out.writeInt(v.length);
        for (double x : v) out.writeDouble(x);
    }

    private static void writeFloats(DataOutputStream out, float[] v) throws IOException {
        out.writeInt(v.length);
        for (float x : v) out.writeFloat(x);
    }
}
