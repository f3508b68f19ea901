package org.dpm4j.data;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarTest {
    @TempDir Path dir;

    @Test
    @DisplayName("an archive made by the system's GNU tar (directory entries, gzip) extracts byte for byte")
    void gnuTarArchive() throws Exception {
        Path src = dir.resolve("src/cifar-10-batches-bin");
        Files.createDirectories(src);
        byte[] batch = TestData.cifarBatch(3, 0);
        Files.write(src.resolve("data_batch_1.bin"), batch);
        Files.writeString(src.resolve("a-name-long-enough-to-need-more-than-the-one-hundred-bytes-of-a-classic-tar-header-name-field-x.txt"), "x");
        Path archive = dir.resolve("a.tar.gz");
        Process p;
        try {
            p = new ProcessBuilder("tar", "czf", archive.toString(), "-C", dir.resolve("src").toString(), "cifar-10-batches-bin")
                    .redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            Assumptions.abort("no tar command on this machine: " + e.getMessage());
            return;
        }
        assertEquals(0, p.waitFor());
        List<Path> out = Tar.extract(archive, dir.resolve("out"));
        assertEquals(2, out.size());
        assertArrayEquals(batch, Files.readAllBytes(dir.resolve("out/cifar-10-batches-bin/data_batch_1.bin")));
        assertTrue(out.stream().anyMatch(f -> f.getFileName().toString().endsWith("-x.txt")));
    }

    @Test
    @DisplayName("an entry whose name leaves the destination is refused")
    void pathEscape() throws Exception {
        Path archive = dir.resolve("evil.tar.gz");
        Files.write(archive, TestData.tarGz(Map.of("../outside.txt", new byte[] {1})));
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> Tar.extract(archive, dir.resolve("out")));
        assertTrue(e.getMessage().contains("escapes"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("outside.txt")));
    }

    @Test
    @DisplayName("a header with a wrong checksum is refused at its offset")
    void badHeaderChecksum() throws Exception {
        Map<String, byte[]> files = new java.util.LinkedHashMap<>();
        files.put("a.bin", new byte[600]);
        files.put("b.bin", new byte[5]);
        byte[] gz = TestData.tarGz(files);
        byte[] tar = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gz)).readAllBytes();
        int second = 512 + 1024; // header, 600 bytes padded to 1024, then the second header
        tar[second + 1] ^= 1;
        Path archive = dir.resolve("bad.tar.gz");
        Files.write(archive, TestData.gzip(tar));
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> Tar.extract(archive, dir.resolve("out")));
        assertEquals(second, e.offset());
    }
}
