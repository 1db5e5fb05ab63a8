package dev.storefront.auth.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.google.protobuf.Timestamp;
import dev.storefront.api.user.v1.CreateUserRequest;
import dev.storefront.api.user.v1.GetUserRequest;
import dev.storefront.api.user.v1.User;
import dev.storefront.api.user.v1.UserServiceGrpc;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;

/**
 * Plays user-service for auth-service's tests on a local port: creates users (idempotent per id, the
 * way the real one is for the service role), answers {@code GetUser} with their roles, records every call
 * with its {@code authorization} header, and fails on request: {@link #failCreates(String, int)} makes
 * the next creations of an email fail as UNAVAILABLE. The real pairing is tested by platform-tests.
 */
public final class FakeUserService extends UserServiceGrpc.UserServiceImplBase {

    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization",
            Metadata.ASCII_STRING_MARSHALLER);

    private static final Context.Key<String> CALLER = Context.key("authorization");

    private final Map<String, User> users = new ConcurrentHashMap<>();

    private final List<Call> calls = new CopyOnWriteArrayList<>();

    private final Map<String, AtomicInteger> createFailures = new ConcurrentHashMap<>();

    private final Server server;

    private FakeUserService() {
        ServerInterceptor recordAuthorization = new ServerInterceptor() {
            @Override
            public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                    ServerCallHandler<Q, A> next) {
                String authorization = headers.get(AUTHORIZATION);
                Context context = Context.current().withValue(CALLER, (authorization != null) ? authorization : "");
                return Contexts.interceptCall(context, call, headers, next);
            }
        };
        try {
            this.server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .addService(ServerInterceptors.intercept(this, recordAuthorization))
                .build()
                .start();
        }
        catch (IOException ex) {
            throw new IllegalStateException("Cannot start the fake user-service", ex);
        }
    }

    /** A fake user-service for the whole test run, stopped when the JVM exits. */
    public static FakeUserService startForThisRun() {
        FakeUserService fake = new FakeUserService();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> fake.server.shutdownNow()));
        return fake;
    }

    /** {@code host:port}, as {@code USER_SERVICE_GRPC_ADDRESS}. */
    public String target() {
        return "127.0.0.1:" + this.server.getPort();
    }

    /** The next {@code times} {@code CreateUser} calls for {@code email} fail as UNAVAILABLE. */
    public void failCreates(String email, int times) {
        this.createFailures.put(email.toLowerCase(), new AtomicInteger(times));
    }

    public void changeRoles(String userId, List<String> roles) {
        this.users.computeIfPresent(userId, (id, user) -> user.toBuilder().clearRoles().addAllRoles(roles).build());
    }

    public void changeEmail(String userId, String email) {
        this.users.computeIfPresent(userId, (id, user) -> user.toBuilder().setEmail(email.toLowerCase()).build());
    }

    public void delete(String userId) {
        this.users.remove(userId);
    }

    public boolean exists(String userId) {
        return this.users.containsKey(userId);
    }

    /** Every call so far, oldest first. */
    public List<Call> calls() {
        return List.copyOf(this.calls);
    }

    /** The {@code CreateUser} requests for {@code email}, oldest first. */
    public List<CreateUserRequest> creations(String email) {
        List<CreateUserRequest> found = new ArrayList<>();
        for (Call call : this.calls) {
            if (call.request() instanceof CreateUserRequest create && create.getEmail().equalsIgnoreCase(email)) {
                found.add(create);
            }
        }
        return found;
    }

    @Override
    public void createUser(CreateUserRequest request, StreamObserver<User> responses) {
        record("CreateUser", request);
        AtomicInteger failures = this.createFailures.get(request.getEmail().toLowerCase());
        if (failures != null && failures.getAndDecrement() > 0) {
            responses.onError(Status.UNAVAILABLE.withDescription("fake user-service: failing on purpose").asRuntimeException());
            return;
        }
        String id = request.getUserId().isEmpty() ? UUID.randomUUID().toString() : request.getUserId();
        synchronized (this.users) {
            User existing = this.users.get(id);
            if (existing != null) {
                if (existing.getEmail().equalsIgnoreCase(request.getEmail())) {
                    responses.onNext(existing);
                    responses.onCompleted();
                }
                else {
                    responses.onError(Status.ALREADY_EXISTS.withDescription("id taken").asRuntimeException());
                }
                return;
            }
            boolean emailTaken = this.users.values().stream().anyMatch((u) -> u.getEmail().equalsIgnoreCase(request.getEmail()));
            if (emailTaken) {
                responses.onError(Status.ALREADY_EXISTS.withDescription("email taken").asRuntimeException());
                return;
            }
            Timestamp now = Timestamp.newBuilder().setSeconds(System.currentTimeMillis() / 1000).build();
            User user = User.newBuilder()
                .setId(id)
                .setName(request.getName())
                .setEmail(request.getEmail().toLowerCase())
                .addAllRoles(request.getRolesList().isEmpty() ? List.of("customer") : request.getRolesList())
                .setCreatedAt(now)
                .setUpdatedAt(now)
                .build();
            this.users.put(id, user);
            responses.onNext(user);
            responses.onCompleted();
        }
    }

    @Override
    public void getUser(GetUserRequest request, StreamObserver<User> responses) {
        record("GetUser", request);
        User user = this.users.get(request.getUserId());
        if (user == null) {
            responses.onError(Status.NOT_FOUND.withDescription("no such user").asRuntimeException());
            return;
        }
        responses.onNext(user);
        responses.onCompleted();
    }

    private void record(String method, com.google.protobuf.Message request) {
        this.calls.add(new Call(method, CALLER.get(), request));
    }

    /** One call: method, the {@code authorization} header it carried ({@code ""} without), the request. */
    public record Call(String method, String authorization, com.google.protobuf.Message request) {
    }

}
