package org.dpm4j.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A minimal HTTP/1.1 file server on 127.0.0.1 (ephemeral port) for downloader tests: one path, honours
 * "Range: bytes=N-" with 206, can drop the connection part-way through its first response, closes every
 * connection after one response. Nothing leaves the machine.
 */
final class LocalHttpServer implements AutoCloseable {
    private final ServerSocket socket;
    private final Thread thread;
    private final String path;
    private volatile byte[] body = new byte[0];
    private volatile int dropFirstAfter = -1;
    final List<String> requests = new CopyOnWriteArrayList<>();

    LocalHttpServer(String path) throws IOException {
        this.path = path;
        this.socket = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        this.thread = new Thread(this::loop, "local-http-" + socket.getLocalPort());
        thread.setDaemon(true);
        thread.start();
    }

    void serve(byte[] content) { body = content; }

    byte[] body() { return body; }

    /** The first response sends its full Content-Length header but only n body bytes, then closes the socket. */
    void dropFirstResponseAfter(int n) { dropFirstAfter = n; }

    String url(String p) { return "http://127.0.0.1:" + socket.getLocalPort() + p; }

    private void loop() {
        while (!socket.isClosed()) {
            try (Socket s = socket.accept()) {
                s.setSoTimeout(5000);
                handle(s);
            } catch (IOException e) {
                // closed by close(), or a client that went away: next connection
            }
        }
    }

    private void handle(Socket s) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
        String requestLine = in.readLine();
        if (requestLine == null) return;
        String range = null, line;
        while ((line = in.readLine()) != null && !line.isEmpty())
            if (line.toLowerCase().startsWith("range:")) range = line.substring(6).trim();
        requests.add(requestLine + " | Range: " + range);
        OutputStream out = s.getOutputStream();
        String target = requestLine.split(" ")[1];
        if (!target.equals(path)) {
            out.write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            return;
        }
        byte[] b = body;
        int from = range != null && range.startsWith("bytes=") ? Integer.parseInt(range.substring(6, range.length() - 1)) : 0;
        String head = from > 0
                ? "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes " + from + "-" + (b.length - 1) + "/" + b.length + "\r\n"
                : "HTTP/1.1 200 OK\r\n";
        head += "Content-Length: " + (b.length - from) + "\r\nConnection: close\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        int n = b.length - from;
        if (requests.size() == 1 && dropFirstAfter >= 0) n = Math.min(n, dropFirstAfter);
        out.write(b, from, n);
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
