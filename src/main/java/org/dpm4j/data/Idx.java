package org.dpm4j.data;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reader of IDX files of unsigned bytes (the MNIST / Fashion-MNIST format), plain or gzipped: a 4-byte magic
 * (0, 0, type 0x08, number of dimensions), the dimensions as big-endian int32, then the values. A wrong magic, a
 * truncated body, trailing bytes or bad gzip is a {@link CorruptDataException} with the offset.
 */
public final class Idx {
    /** The dimensions and the raw values (unsigned bytes, row-major). */
    public record Array(int[] dims, byte[] values) {
        public int count() { return dims[0]; }

        /** Values per item: the product of the dimensions after the first. */
        public int itemSize() {
            int s = 1;
            for (int i = 1; i < dims.length; i++) s *= dims[i];
            return s;
        }
    }

    private Idx() {}

    public static Array read(Path file) {
        try (ByteReader r = ByteReader.open(file, "IDX file")) {
            byte[] magic = r.readFully(4, "the IDX magic number");
            if (magic[0] != 0 || magic[1] != 0)
                throw new CorruptDataException(file, 0, "wrong magic number " + hex(magic) + ", expected 00 00 08 0n (IDX)");
            if (magic[2] != 0x08)
                throw new CorruptDataException(file, 2, "IDX value type 0x" + Integer.toHexString(magic[2] & 0xff)
                        + ", expected 0x08 (unsigned byte)");
            int rank = magic[3] & 0xff;
            if (rank < 1 || rank > 4)
                throw new CorruptDataException(file, 3, "IDX rank " + rank + ", expected 1 to 4");
            int[] dims = new int[rank];
            long total = 1;
            for (int i = 0; i < rank; i++) {
                long at = r.offset();
                dims[i] = r.readInt("IDX dimension " + i);
                if (dims[i] < 1) throw new CorruptDataException(file, at, "IDX dimension " + i + " = " + dims[i] + ", expected >= 1");
                total *= dims[i];
                if (total > ByteReader.MAX_ARRAY)
                    throw new CorruptDataException(file, at, "IDX dimensions " + Arrays.toString(Arrays.copyOf(dims, i + 1))
                            + " hold more than " + ByteReader.MAX_ARRAY + " values (the largest Java array)");
            }
            // readFully checks the claimed count against the file's size before allocating
            byte[] values = r.readFully(total, total + " values of shape " + Arrays.toString(dims));
            r.expectEnd("the " + total + " IDX values");
            return new Array(dims, values);
        }
    }

    /** Writes an IDX file of unsigned bytes (uncompressed): used by tests and by users converting data. */
    public static void write(Path file, int[] dims, byte[] values) throws java.io.IOException {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 + 4 * dims.length + values.length);
        b.put((byte) 0).put((byte) 0).put((byte) 8).put((byte) dims.length);
        for (int d : dims) b.putInt(d);
        b.put(values);
        java.nio.file.Files.write(file, b.array());
    }

    private static String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) s.append(String.format("%02x ", x & 0xff));
        return s.toString().trim();
    }
}
