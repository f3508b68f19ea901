package org.dpm4j.data;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;


/** The downloader against a server on 127.0.0.1 (ephemeral port) serving archives the test builds; no other network. */
class Cifar10DownloadTest {
    @TempDir Path cache;
    private LocalHttpServer server;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() throws IOException { server = new LocalHttpServer("/cifar-10-binary.tar.gz"); }

    @AfterEach
    void stop() throws IOException { server.close(); }

    private URI url() { return URI.create(server.url("/cifar-10-binary.tar.gz")); }

    private static byte[] archive(int records) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (int b = 1; b <= 5; b++) files.put("cifar-10-batches-bin/data_batch_" + b + ".bin", TestData.cifarBatch(records, (b - 1) * records));
        files.put("cifar-10-batches-bin/test_batch.bin", TestData.cifarBatch(records, 0));
        files.put("cifar-10-batches-bin/batches.meta.txt", "airplane\nautomobile\n".getBytes());
        return TestData.tarGz(files);
    }

    private static String md5(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
    }

    @Test
    @DisplayName("fetch downloads, verifies the MD5, extracts readable batches; a second fetch sends no request")
    void fetchThenNoop() throws Exception {
        server.serve(archive(4));
        Cifar10Download.Source src = new Cifar10Download.Source(url(), md5(server.body()), "cifar-10-binary.tar.gz");
        Path batches = Cifar10Download.fetch(src, cache, client);
        assertEquals(1, server.requests.size());
        DataSet ds = Cifar10.load(batches, 1000, 1000);
        assertEquals(20, ds.train().rows());
        assertEquals(4, ds.test().rows());
        assertArrayEquals(server.body(), Files.readAllBytes(cache.resolve("cifar-10-binary.tar.gz")));
        assertEquals(batches, Cifar10Download.fetch(src, cache, client));
        assertEquals(1, server.requests.size());
    }

    @Test
    @DisplayName("an interrupted download keeps its bytes and the next fetch resumes with a Range request")
    void resume() throws Exception {
        server.serve(archive(40));
        int cut = server.body().length / 3;
        server.dropFirstResponseAfter(cut);
        Cifar10Download.Source src = new Cifar10Download.Source(url(), md5(server.body()), "cifar-10-binary.tar.gz");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> Cifar10Download.fetch(src, cache, client));
        assertTrue(e.getMessage().contains("resumes"), e.getMessage());
        Path part = cache.resolve("cifar-10-binary.tar.gz.part");
        long kept = Files.size(part);
        assertTrue(kept > 0 && kept <= cut, "kept " + kept);
        Path batches = Cifar10Download.fetch(src, cache, client);
        assertTrue(server.requests.get(1).endsWith("Range: bytes=" + kept + "-"), server.requests.get(1));
        assertArrayEquals(server.body(), Files.readAllBytes(cache.resolve("cifar-10-binary.tar.gz")));
        assertEquals(200, Cifar10.load(batches, 1000, 1000).train().rows());
        assertFalse(Files.exists(part));
    }

    @Test
    @DisplayName("a wrong checksum fails naming both MD5s and deletes the download")
    void wrongChecksum() throws Exception {
        server.serve(archive(2));
        String wrong = "0123456789abcdef0123456789abcdef";
        Cifar10Download.Source src = new Cifar10Download.Source(url(), wrong, "cifar-10-binary.tar.gz");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> Cifar10Download.fetch(src, cache, client));
        assertTrue(e.getMessage().contains("checksum mismatch") && e.getMessage().contains(md5(server.body()))
                && e.getMessage().contains(wrong), e.getMessage());
        assertFalse(Files.exists(cache.resolve("cifar-10-binary.tar.gz.part")));
        assertFalse(Files.exists(cache.resolve("cifar-10-binary.tar.gz")));
    }

    @Test
    @DisplayName("a corrupt archive (matching its own MD5) fails naming the archive and an offset")
    void corruptArchive() throws Exception {
        byte[] good = archive(3);
        byte[] bad = good.clone();
        for (int i = 30; i < 60; i++) bad[i] ^= 0x33;
        server.serve(bad);
        Cifar10Download.Source src = new Cifar10Download.Source(url(), md5(bad), "cifar-10-binary.tar.gz");
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> Cifar10Download.fetch(src, cache, client));
        assertEquals(cache.resolve("cifar-10-binary.tar.gz"), e.file());
        assertTrue(e.getMessage().contains("at byte offset"), e.getMessage());
    }

    @Test
    @DisplayName("a tar member that is not a whole number of records is refused before the data is marked complete")
    void archiveWithBadBatch() throws Exception {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (int b = 1; b <= 5; b++) files.put("cifar-10-batches-bin/data_batch_" + b + ".bin", TestData.cifarBatch(2, 0));
        files.put("cifar-10-batches-bin/test_batch.bin", java.util.Arrays.copyOf(TestData.cifarBatch(2, 0), 4000));
        server.serve(TestData.tarGz(files));
        Cifar10Download.Source src = new Cifar10Download.Source(url(), md5(server.body()), "cifar-10-binary.tar.gz");
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> Cifar10Download.fetch(src, cache, client));
        assertTrue(e.getMessage().contains("test_batch.bin"), e.getMessage());
        assertFalse(Files.exists(cache.resolve("cifar-10-batches-bin/.extracted")));
    }

    @Test
    @DisplayName("an HTTP error status fails with the status and the URL")
    void httpError() {
        Cifar10Download.Source src = new Cifar10Download.Source(URI.create(url() + "-missing"),
                "0123456789abcdef0123456789abcdef", "x.tar.gz");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> Cifar10Download.fetch(src, cache, client));
        assertTrue(e.getMessage().contains("HTTP 404") && e.getMessage().contains(src.url().toString()), e.getMessage());
    }
}
