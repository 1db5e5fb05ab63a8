package dev.storefront.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A service that drops connections on purpose: while {@link #dropNext} is above zero, each new
 * connection is closed right after its request head arrived, with no answer; the others get a
 * {@code 200}. Every connection is counted.
 */
final class FlakyService {

    final AtomicInteger dropNext = new AtomicInteger();

    final AtomicInteger connections = new AtomicInteger();

    private final ServerSocket socket;

    FlakyService() throws IOException {
        this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "flaky-service");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String url() {
        return "http://127.0.0.1:" + this.socket.getLocalPort();
    }

    private void accept() {
        while (!this.socket.isClosed()) {
            try (Socket connection = this.socket.accept()) {
                this.connections.incrementAndGet();
                readHead(connection.getInputStream());
                if (this.dropNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    continue;
                }
                byte[] body = "{\"service\":\"flaky\"}".getBytes(StandardCharsets.UTF_8);
                OutputStream out = connection.getOutputStream();
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
            }
            catch (IOException ex) {
                // a dropped or broken connection: go on with the next one
            }
        }
    }

    private static void readHead(InputStream in) throws IOException {
        int matched = 0;
        byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        int next;
        while (matched < end.length && (next = in.read()) >= 0) {
            matched = (next == end[matched]) ? matched + 1 : ((next == end[0]) ? 1 : 0);
        }
    }

}
