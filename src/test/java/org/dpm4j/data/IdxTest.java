package org.dpm4j.data;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxTest {
    @TempDir Path dir;

    private static byte[] values(int n) {
        byte[] v = new byte[n];
        for (int i = 0; i < n; i++) v[i] = (byte) (i * 31);
        return v;
    }

    @Test
    @DisplayName("IDX written plain and gzipped reads back the same dimensions and bytes")
    void roundTrip() throws Exception {
        byte[] v = values(3 * 4 * 5);
        Path plain = dir.resolve("x-idx3-ubyte");
        Idx.write(plain, new int[] {3, 4, 5}, v);
        Path gz = dir.resolve("x-idx3-ubyte.gz");
        Files.write(gz, TestData.gzip(Files.readAllBytes(plain)));
        for (Path p : new Path[] {plain, gz}) {
            Idx.Array a = Idx.read(p);
            assertArrayEquals(new int[] {3, 4, 5}, a.dims());
            assertArrayEquals(v, a.values());
            assertEquals(3, a.count());
            assertEquals(20, a.itemSize());
        }
    }

    @Test
    @DisplayName("a wrong magic number names the file and offset 0")
    void wrongMagic() throws Exception {
        Path p = dir.resolve("bad");
        Files.write(p, new byte[] {1, 2, 8, 1, 0, 0, 0, 1, 5});
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> Idx.read(p));
        assertEquals(0, e.offset());
        assertTrue(e.getMessage().startsWith(p + ": at byte offset 0: wrong magic number 01 02 08 01"), e.getMessage());
    }

    @Test
    @DisplayName("a non-byte value type is refused at offset 2")
    void wrongType() throws Exception {
        Path p = dir.resolve("float");
        Files.write(p, new byte[] {0, 0, 0x0d, 1, 0, 0, 0, 1, 5, 5, 5, 5});
        assertEquals(2, assertThrows(CorruptDataException.class, () -> Idx.read(p)).offset());
    }

    @Test
    @DisplayName("a truncated body fails at the byte where the data ends, plain and gzipped")
    void truncated() throws Exception {
        Path full = dir.resolve("full");
        Idx.write(full, new int[] {10, 7}, values(70));
        byte[] cut = java.util.Arrays.copyOf(Files.readAllBytes(full), 4 + 8 + 50);
        Path p = dir.resolve("cut");
        Files.write(p, cut);
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> Idx.read(p));
        assertEquals(62, e.offset());
        assertTrue(e.getMessage().contains("truncated: expected 70 bytes"), e.getMessage());
        Path g = dir.resolve("cut.gz");
        Files.write(g, TestData.gzip(cut));
        assertEquals(62, assertThrows(CorruptDataException.class, () -> Idx.read(g)).offset());
    }

    @Test
    @DisplayName("bytes after the declared data are an error at the first extra byte")
    void trailingBytes() throws Exception {
        Path p = dir.resolve("long");
        Idx.write(p, new int[] {2, 2}, values(4));
        Files.write(p, new byte[] {9}, java.nio.file.StandardOpenOption.APPEND);
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> Idx.read(p));
        assertEquals(16, e.offset());
    }

    @Test
    @DisplayName("corrupt gzip data is a CorruptDataException naming the file, never a partial load")
    void badGzip() throws Exception {
        Path plain = dir.resolve("ok");
        Idx.write(plain, new int[] {50, 100}, values(5000));
        byte[] gz = TestData.gzip(Files.readAllBytes(plain));
        for (int i = 20; i < 40; i++) gz[i] ^= 0x5a;
        Path p = dir.resolve("bad.gz");
        Files.write(p, gz);
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> Idx.read(p));
        assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("gzip") || e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    @DisplayName("a missing file names its path and the install command")
    void missing() {
        Path p = dir.resolve("nope-idx1-ubyte");
        MissingDataException e = assertThrows(MissingDataException.class, () -> Idx.read(p));
        assertEquals(p, e.path());
        assertTrue(e.getMessage().contains(p.toString()) && e.getMessage().contains("environment/setup.sh"), e.getMessage());
    }
}
