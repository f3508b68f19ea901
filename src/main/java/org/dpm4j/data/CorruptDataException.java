package org.dpm4j.data;

import java.nio.file.Path;

/**
 * A data file that exists but cannot be read in full: wrong magic number, wrong length, bad gzip, a value out of
 * range. Loaders throw it instead of returning a partial load; the message names the file and the byte offset.
 */
public final class CorruptDataException extends RuntimeException {
    private final Path file;
    private final long offset;

    public CorruptDataException(Path file, long offset, String problem) { this(file, offset, problem, null); }

    public CorruptDataException(Path file, long offset, String problem, Throwable cause) {
        super(file + ": at byte offset " + offset + ": " + problem, cause);
        this.file = file;
        this.offset = offset;
    }

    public Path file() { return file; }

    /** Byte offset in the file (in the decompressed stream for .gz files, as the message says). */
    public long offset() { return offset; }
}
