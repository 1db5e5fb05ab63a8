package dev.storefront.user;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.storefront.api.user.v1.CreateUserRequest;
import dev.storefront.api.user.v1.UpdateUserRequest;
import dev.storefront.api.user.v1.UserActivity;
import dev.storefront.api.user.v1.WatchUserActivityRequest;
import dev.storefront.testing.RestCalls;
import dev.storefront.user.activity.ActivityFeed;
import dev.storefront.user.support.GrpcCalls;
import dev.storefront.user.support.RunInfrastructure;
import dev.storefront.user.support.UserServiceTest;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.grpc.test.autoconfigure.LocalGrpcServerPort;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/** The live activity stream over gRPC and SSE, fed through the outbox and RabbitMQ. */
@UserServiceTest
class UserActivityIntegrationTests {

    private final int httpPort;

    private final int grpcPort;

    private final ActivityFeed feed;

    private final RabbitTemplate rabbit;

    private final GrpcCalls grpc;

    UserActivityIntegrationTests(@LocalServerPort int httpPort, @LocalGrpcServerPort int grpcPort, ActivityFeed feed, RabbitTemplate rabbit) {
        this.httpPort = httpPort;
        this.grpcPort = grpcPort;
        this.feed = feed;
        this.rabbit = rabbit;
        this.grpc = new GrpcCalls(grpcPort);
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        this.grpc.close();
    }

    @Test
    void watchStreamOpenedBeforeAnUpdateShouldReceiveItWithinTwoSeconds() throws Exception {
        Watch watching = watchNewUser("Watched");
        var user = watching.user();
        BlockingQueue<UserActivity> received = watching.received();
        Context.CancellableContext watch = watching.context();

        this.grpc.users().updateUser(UpdateUserRequest.newBuilder().setUserId(user.getId()).setName("Watched twice").build());

        UserActivity activity = received.poll(2, TimeUnit.SECONDS);
        assertThat(activity).as("update seen on the stream within 2 s").isNotNull();
        assertThat(activity.getActivityType()).isEqualTo("user.updated");
        assertThat(activity.getUserId()).isEqualTo(user.getId());
        assertThat(activity.getResourceId()).isEqualTo(user.getId());

        watch.cancel(null);
        awaitWatchers(0);
    }

    @Test
    void eventsOfOtherServicesShouldAppearOnTheirUsersStream() throws Exception {
        Watch watching = watchNewUser("Buyer");
        var user = watching.user();
        BlockingQueue<UserActivity> received = watching.received();
        Context.CancellableContext watch = watching.context();

        String orderId = UUID.randomUUID().toString();
        String envelope = RestCalls.json(Map.of("id", UUID.randomUUID().toString(), "type", "order.paid", "source",
                "order-service", "subject", orderId, "occurredAt", "2026-11-28T10:00:00Z", "data",
                Map.of("userId", user.getId(), "orderId", orderId)));
        MessageProperties properties = new MessageProperties();
        properties.setContentType("application/json");
        this.rabbit.send("storefront.events", "order.paid", new Message(envelope.getBytes(StandardCharsets.UTF_8), properties));

        UserActivity activity = received.poll(5, TimeUnit.SECONDS);
        assertThat(activity).isNotNull();
        assertThat(activity.getActivityType()).isEqualTo("order.paid");
        assertThat(activity.getResourceId()).isEqualTo(orderId);
        watch.cancel(null);
    }

    @Test
    void watchingAnUnknownUserShouldBeNotFound() {
        var request = WatchUserActivityRequest.newBuilder().setUserId(UUID.randomUUID().toString()).build();
        assertThatExceptionOfType(StatusRuntimeException.class)
            .isThrownBy(() -> this.grpc.users().withDeadlineAfter(5, TimeUnit.SECONDS).watchUserActivity(request).hasNext())
            .satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    }

    @Test
    void sseStreamShouldReceiveAnUpdate() throws Exception {
        var user = this.grpc.users()
            .createUser(CreateUserRequest.newBuilder().setName("Sse").setEmail("sse-" + UUID.randomUUID() + "@example.com").build());
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<InputStream> response = client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.httpPort + "/v1/users/" + user.getId() + "/activity"))
                    .header("Accept", "text/event-stream")
                    .header("Authorization", "Bearer " + RunInfrastructure.tokens().token(user.getId(), "customer"))
                    .timeout(Duration.ofSeconds(30))
                    .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        awaitWatchers(1);
        Thread.sleep(300);

        this.grpc.users().updateUser(UpdateUserRequest.newBuilder().setUserId(user.getId()).setName("Sse renamed").build());

        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(line);
                }
            }
            catch (Exception ex) {
                // the stream was closed by the test
            }
        });
        reader.setDaemon(true);
        reader.start();
        String data = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            String line = lines.poll(200, TimeUnit.MILLISECONDS);
            if (line != null && line.startsWith("data:") && line.contains("user.updated")) {
                data = line;
                break;
            }
        }
        assertThat(data).isNotNull().contains("\"activityType\":\"user.updated\"").contains(user.getId());
        response.body().close();
        reader.interrupt();
    }

    /** A new user and a gRPC watch of their activity, open and past the user's own creation event. */
    private Watch watchNewUser(String name) throws InterruptedException {
        var user = this.grpc.users()
            .createUser(CreateUserRequest.newBuilder().setName(name).setEmail(name.toLowerCase() + "-" + UUID.randomUUID() + "@example.com").build());
        BlockingQueue<UserActivity> received = new LinkedBlockingQueue<>();
        Context.CancellableContext watch = Context.current().withCancellation();
        watch.run(() -> this.grpc.asyncUsers()
            .watchUserActivity(WatchUserActivityRequest.newBuilder().setUserId(user.getId()).build(), collect(received)));
        awaitWatchers(1);
        drainCreationEvent(received);
        return new Watch(user, received, watch);
    }

    private record Watch(dev.storefront.api.user.v1.User user, BlockingQueue<UserActivity> received,
            Context.CancellableContext context) {
    }

    private void awaitWatchers(int count) {
        await().atMost(Duration.ofSeconds(5)).until(() -> watcherCount() == count);
    }

    private int watcherCount() {
        return this.feed.watcherCount();
    }

    /** The user's own creation event may still be on its way; it must not be taken for the update. */
    private static void drainCreationEvent(BlockingQueue<UserActivity> received) throws InterruptedException {
        UserActivity first = received.poll(1, TimeUnit.SECONDS);
        if (first != null) {
            assertThat(first.getActivityType()).isEqualTo("user.created");
        }
    }

    private static StreamObserver<UserActivity> collect(BlockingQueue<UserActivity> received) {
        return new StreamObserver<>() {
            @Override
            public void onNext(UserActivity value) {
                received.add(value);
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
            }
        };
    }

}
