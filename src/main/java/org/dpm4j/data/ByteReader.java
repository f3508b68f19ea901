package org.dpm4j.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads a data file, gunzipping it when it starts with the gzip magic bytes, and keeps the byte offset so every
 * failure is a {@link CorruptDataException} naming the file and where it failed. For gzip files the offset is in the
 * decompressed stream; the message also gives the compressed offset.
 */
final class ByteReader implements AutoCloseable {
    private final Path file;
    private final Counting raw;
    private final InputStream in;
    private final boolean gzip;
    private final long size;
    private long offset;

    /**
     * Deflate's largest expansion: zlib's documentation gives 1032:1 as the maximum compression factor, so a gzip
     * file of s bytes holds at most 1032 s bytes of data.
     */
    static final long MAX_GZIP_EXPANSION = 1032;

    /** Buffers for gzip data grow from this size as data arrives, so a lying header cannot make us allocate up front. */
    private static final int FIRST_CHUNK = 1 << 20;

    private ByteReader(Path file) throws IOException {
        this.file = file;
        this.size = Files.size(file);
        this.raw = new Counting(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
        raw.mark(2);
        boolean gz = raw.read() == 0x1f && raw.read() == 0x8b;
        raw.reset();
        raw.count = 0;
        this.gzip = gz;
        InputStream s = raw;
        if (gz) {
            try {
                s = new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16);
            } catch (IOException e) {
                throw corrupt("corrupt gzip header", e);
            }
        }
        this.in = s;
    }

    /** Opens an existing file; a missing one is a {@link MissingDataException} with the install hint. */
    static ByteReader open(Path file, String what) {
        DataCache.requireFile(file, what);
        try {
            return new ByteReader(file);
        } catch (CorruptDataException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file, e);
        }
    }

    Path file() { return file; }

    long offset() { return offset; }

    /**
     * Exactly n bytes, or a CorruptDataException saying how many of what were expected and where the data ended.
     * A length read from a header is checked against what the file can hold before anything is allocated: the bytes
     * left in a plain file, or {@link #MAX_GZIP_EXPANSION} times the size of a gzip file (whose decompressed length is
     * only known by reading it; its buffer therefore grows with the data that actually arrives).
     */
    byte[] readFully(long n, String what) {
        if (n < 0) throw new CorruptDataException(file, offset, "the header gives a negative length " + n + " for " + what);
        long room = gzip ? MAX_GZIP_EXPANSION * size - offset : size - offset;
        if (n > room && !gzip) {
            // the message a read would give at the end of the file, without allocating the claimed length first
            throw new CorruptDataException(file, size, "truncated: expected " + n + " bytes of " + what + " from offset "
                    + offset + ", the file has " + size + " bytes, so the data ends after " + Math.max(0, room));
        }
        if (n > room) {
            throw new CorruptDataException(file, offset, "the header claims " + n + " bytes of " + what + " from offset "
                    + offset + ", but a gzip file of " + size + " bytes decompresses to at most " + MAX_GZIP_EXPANSION
                    + " x " + size + " bytes, " + Math.max(0, room) + " after this offset (the header is corrupt)");
        }
        if (n > MAX_ARRAY) {
            throw new CorruptDataException(file, offset, "the header claims " + n + " bytes of " + what
                    + ", more than a Java array holds (" + MAX_ARRAY + ")");
        }
        int len = (int) n;
        byte[] b = new byte[gzip ? Math.min(len, FIRST_CHUNK) : len];
        int got = 0;
        while (got < len) {
            if (got == b.length) b = java.util.Arrays.copyOf(b, (int) Math.min(len, 2L * b.length));
            int r;
            try {
                r = in.read(b, got, b.length - got);
            } catch (IOException e) {
                throw corrupt("while reading " + what, e);
            }
            if (r < 0) {
                throw new CorruptDataException(file, offset + got, "truncated: expected " + n + " bytes of " + what
                        + " from offset " + offset + ", the " + (gzip ? "decompressed " : "") + "data ends after "
                        + got);
            }
            got += r;
        }
        offset += n;
        return b;
    }

    /** The largest byte array the JVM allocates (a few header words below Integer.MAX_VALUE). */
    static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    /** One byte as 0..255, or -1 at the end of the data. */
    int read() {
        try {
            int r = in.read();
            if (r >= 0) offset++;
            return r;
        } catch (IOException e) {
            throw corrupt("while reading", e);
        }
    }

    int readInt(String what) {
        byte[] b = readFully(4, what);
        return ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    }

    /** Fails unless the data ends here: trailing bytes mean the file is not what its header says. */
    void expectEnd(String what) {
        if (read() >= 0) throw new CorruptDataException(file, offset - 1,
                "unexpected data after the end of " + what + " (the file is longer than its header says)");
    }

    CorruptDataException corrupt(String context, IOException e) {
        String kind = e instanceof ZipException || (gzip && e instanceof EOFException) ? "corrupt gzip data" : "read error";
        return new CorruptDataException(file, offset, kind + " " + context
                + (gzip ? " (compressed byte offset " + raw.count + ")" : "") + ": " + e.getMessage(), e);
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final class Counting extends FilterInputStream {
        long count;
        private long mark;

        Counting(InputStream in) { super(in); }

        @Override public int read() throws IOException {
            int r = super.read();
            if (r >= 0) count++;
            return r;
        }

        @Override public int read(byte[] b, int off, int len) throws IOException {
            int r = super.read(b, off, len);
            if (r > 0) count += r;
            return r;
        }

        @Override public long skip(long n) throws IOException {
            long r = super.skip(n);
            count += r;
            return r;
        }

        @Override public synchronized void mark(int limit) { super.mark(limit); mark = count; }

        @Override public synchronized void reset() throws IOException { super.reset(); count = mark; }
    }
}
