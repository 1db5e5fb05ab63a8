package dev.storefront.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * A TCP proxy on 127.0.0.1 in front of a real server (PostgreSQL, RabbitMQ), so a test can take the
 * server away from one client and give it back, without stopping the machine's server for anyone else.
 * {@link #cut()} closes every connection and refuses new ones; {@link #restore()} accepts again on the
 * same port.
 */
public final class TcpProxy implements AutoCloseable {

    private final String targetHost;

    private final int targetPort;

    private final int port;

    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

    private volatile @Nullable ServerSocket server;

    public TcpProxy(String targetHost, int targetPort) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.port = listen(0);
    }

    /** The local port clients connect to. */
    public int port() {
        return this.port;
    }

    /** Closes every proxied connection and refuses new ones, as if the server went down. */
    public synchronized void cut() {
        ServerSocket current = this.server;
        this.server = null;
        closeQuietly(current);
        this.sockets.forEach(TcpProxy::closeQuietly);
        this.sockets.clear();
    }

    /** Accepts connections again on the same port. */
    public synchronized void restore() {
        if (this.server == null) {
            listen(this.port);
        }
    }

    @Override
    public void close() {
        cut();
    }

    private synchronized int listen(int requestedPort) {
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), requestedPort));
            this.server = socket;
            Thread acceptor = new Thread(() -> accept(socket), "tcp-proxy-" + socket.getLocalPort());
            acceptor.setDaemon(true);
            acceptor.start();
            return socket.getLocalPort();
        }
        catch (IOException ex) {
            throw new IllegalStateException("Cannot listen on port " + requestedPort, ex);
        }
    }

    private void accept(ServerSocket socket) {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                Socket upstream = new Socket(this.targetHost, this.targetPort);
                this.sockets.add(client);
                this.sockets.add(upstream);
                pipe(client, upstream);
                pipe(upstream, client);
            }
            catch (IOException ex) {
                // closed by cut(), or the target refused: the client sees a dropped connection
            }
        }
    }

    private void pipe(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) != -1) {
                    out.write(buffer, 0, read);
                    out.flush();
                }
            }
            catch (IOException ex) {
                // one side went away
            }
            finally {
                closeQuietly(from);
                closeQuietly(to);
                this.sockets.remove(from);
                this.sockets.remove(to);
            }
        }, "tcp-proxy-pipe");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(@Nullable AutoCloseable closeable) {
        if (closeable != null) {
            try {
                closeable.close();
            }
            catch (Exception ex) {
                // already closed
            }
        }
    }

}
