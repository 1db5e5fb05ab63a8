package dev.storefront.bench.baseline;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.google.protobuf.Timestamp;
import dev.storefront.api.user.v1.GetUserRequest;
import dev.storefront.api.user.v1.User;
import dev.storefront.api.user.v1.UserServiceGrpc;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * The best this machine's server stack does for a get-user, measured by the same load generator: Spring MVC on
 * Tomcat with virtual threads and Jackson (as the services' REST side) at {@code GET /v1/users/{id}}, and a bare
 * grpc-java Netty server (the services' gRPC transport, answering on its event loops) for {@code UserService/GetUser},
 * both answering a canned user of the size user-service answers, with no database, no cache, no token check and
 * no admission limit.
 */
public final class BaselineServer implements AutoCloseable {

    static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");

    private final ConfigurableApplicationContext http;

    private final Server grpc;

    private BaselineServer(ConfigurableApplicationContext http, Server grpc) {
        this.http = http;
        this.grpc = grpc;
    }

    /** Starts both servers; port 0 picks free ones. */
    public static BaselineServer start(int httpPort, int grpcPort) throws IOException {
        SpringApplication application = new SpringApplication(CannedHttp.class);
        application.setDefaultProperties(Map.of("server.port", String.valueOf(httpPort), "spring.threads.virtual.enabled", "true",
                "spring.main.banner-mode", "off", "logging.level.root", "WARN",
                // The services' Tomcat settings (their application.yaml), so the baseline runs the same stack.
                "server.tomcat.accept-count", "1024", "server.tomcat.max-keep-alive-requests", "10000"));
        ConfigurableApplicationContext http = application.run();
        // The canned answer never blocks, so it runs on the transport's own threads: grpc-java's fastest setting
        // (its default executor, a cached thread pool, answered 17,900 requests/s here; this one 31,300).
        Server grpc = NettyServerBuilder.forPort(grpcPort).directExecutor().addService(new CannedUsers()).build().start();
        return new BaselineServer(http, grpc);
    }

    public int httpPort() {
        return Integer.parseInt(this.http.getEnvironment().getRequiredProperty("local.server.port"));
    }

    public int grpcPort() {
        return this.grpc.getPort();
    }

    @Override
    public void close() {
        this.grpc.shutdownNow();
        this.http.close();
    }

    /** {@code baseline --http-port P --grpc-port Q}: runs until killed. */
    public static void main(String[] args) throws Exception {
        int httpPort = 0;
        int grpcPort = 0;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--http-port" -> httpPort = Integer.parseInt(args[i + 1]);
                case "--grpc-port" -> grpcPort = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("Unknown option " + args[i] + " (baseline takes --http-port and --grpc-port)");
            }
        }
        BaselineServer server = start(httpPort, grpcPort);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        System.out.println("baseline ready: http " + server.httpPort() + ", grpc " + server.grpcPort());
        server.grpc.awaitTermination();
    }

    /** The HTTP side: Spring Boot with only Spring MVC, Tomcat and Jackson, finding {@link CannedUserController}. */
    @SpringBootApplication(proxyBeanMethods = false)
    static class CannedHttp {

    }

    /** The JSON user-service answers for a user. */
    record UserResource(String id, String name, String email, List<String> roles, Instant createdAt, Instant updatedAt) {
    }

    @RestController
    static class CannedUserController {

        @GetMapping("/v1/users/{id}")
        UserResource get(@PathVariable String id) {
            return new UserResource(id, "Bench Customer", "bench-customer@example.com", List.of("customer"), CREATED, CREATED);
        }

    }

    static final class CannedUsers extends UserServiceGrpc.UserServiceImplBase {

        private static final Timestamp CREATED_AT = Timestamp.newBuilder().setSeconds(CREATED.getEpochSecond()).build();

        @Override
        public void getUser(GetUserRequest request, StreamObserver<User> responseObserver) {
            responseObserver.onNext(User.newBuilder()
                .setId(request.getUserId())
                .setName("Bench Customer")
                .setEmail("bench-customer@example.com")
                .addRoles("customer")
                .setCreatedAt(CREATED_AT)
                .setUpdatedAt(CREATED_AT)
                .build());
            responseObserver.onCompleted();
        }

    }

}
