package dev.storefront.order.notification;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.mail.MailException;
import org.springframework.mail.javamail.JavaMailSenderImpl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The SMTP notifier against a tiny SMTP server in this JVM, and the log notifier's choice of words. */
class SmtpNotifierTests {

    private final TinySmtpServer server = new TinySmtpServer();

    @AfterEach
    void stop() throws IOException {
        this.server.close();
    }

    private SmtpNotifier notifier(int port) {
        JavaMailSenderImpl sender = new JavaMailSenderImpl();
        sender.setHost("127.0.0.1");
        sender.setPort(port);
        return new SmtpNotifier(sender, "orders@storefront.test");
    }

    @Test
    void sendShouldMailTheNotificationFromTheConfiguredSender() {
        UUID orderId = UUID.randomUUID();

        notifier(this.server.port()).send(new Notification(orderId, "ada@example.org", "Your order " + orderId + " is paid",
                "Thank you."));

        assertThat(this.server.commands()).contains("MAIL FROM:<orders@storefront.test>", "RCPT TO:<ada@example.org>");
        assertThat(this.server.data()).contains("Subject: Your order " + orderId + " is paid", "Thank you.");
    }

    @Test
    void sendToAServerThatIsNotThereShouldThrowSoTheTaskIsRetried() throws IOException {
        int port;
        try (ServerSocket unused = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = unused.getLocalPort();
        }
        SmtpNotifier notifier = notifier(port);

        assertThatExceptionOfType(MailException.class).isThrownBy(
                () -> notifier.send(new Notification(UUID.randomUUID(), "ada@example.org", "Subject", "Body")));
    }

    @Test
    void notificationShouldShowOnlyTheRecipientsDomain() {
        Notification notification = new Notification(UUID.randomUUID(), "ada@example.org", "Subject", "Body");

        assertThat(notification.recipientDomain()).isEqualTo("example.org");
        assertThat(notification.toString()).doesNotContain("ada@");
    }

    /** Accepts one SMTP session at a time and remembers its commands and message. */
    private static final class TinySmtpServer implements AutoCloseable {

        private final ServerSocket socket;

        private final List<String> commands = new CopyOnWriteArrayList<>();

        private final StringBuilder data = new StringBuilder();

        TinySmtpServer() {
            try {
                this.socket = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
            }
            catch (IOException ex) {
                throw new IllegalStateException(ex);
            }
            Thread accepting = new Thread(this::serve, "tiny-smtp");
            accepting.setDaemon(true);
            accepting.start();
        }

        int port() {
            return this.socket.getLocalPort();
        }

        List<String> commands() {
            return new ArrayList<>(this.commands);
        }

        synchronized String data() {
            return this.data.toString();
        }

        private void serve() {
            while (!this.socket.isClosed()) {
                try (Socket client = this.socket.accept()) {
                    session(client);
                }
                catch (IOException ex) {
                    // closed
                }
            }
        }

        private void session(Socket client) throws IOException {
            BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
            PrintWriter out = new PrintWriter(new OutputStreamWriter(client.getOutputStream(), StandardCharsets.UTF_8), true);
            reply(out, "220 tiny-smtp ready");
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                this.commands.add(line);
                String verb = line.toUpperCase();
                if (verb.startsWith("EHLO") || verb.startsWith("HELO")) {
                    reply(out, "250 tiny-smtp");
                }
                else if (verb.startsWith("DATA")) {
                    reply(out, "354 end with .");
                    for (String body = in.readLine(); body != null && !body.equals("."); body = in.readLine()) {
                        synchronized (this) {
                            this.data.append(body).append('\n');
                        }
                    }
                    reply(out, "250 queued");
                }
                else if (verb.startsWith("QUIT")) {
                    reply(out, "221 bye");
                    return;
                }
                else {
                    reply(out, "250 ok");
                }
            }
        }

        private static void reply(PrintWriter out, String line) {
            out.print(line + "\r\n");
            out.flush();
        }

        @Override
        public void close() throws IOException {
            this.socket.close();
        }

    }

}
