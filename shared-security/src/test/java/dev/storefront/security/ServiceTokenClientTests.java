package dev.storefront.security;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.ErrorInfo;
import dev.storefront.api.auth.v1.AuthServiceGrpc;
import dev.storefront.api.auth.v1.IssueServiceTokenRequest;
import dev.storefront.api.auth.v1.ServiceToken;
import dev.storefront.api.user.v1.GetUserRequest;
import dev.storefront.api.user.v1.User;
import dev.storefront.api.user.v1.UserServiceGrpc;
import dev.storefront.errors.PlatformEnvironment;
import dev.storefront.errors.RetryPolicy;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The client side against an in-process server that plays auth-service ({@code IssueServiceToken})
 * and a callee that records the {@code authorization} it receives.
 */
@ExtendWith(OutputCaptureExtension.class)
class ServiceTokenClientTests {

    private static final String SECRET = "dev-only-very-secret-" + UUID.randomUUID();

    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization",
            Metadata.ASCII_STRING_MARSHALLER);

    private static final long LIFETIME_SECONDS = 100;

    private final FakeAuthService auth = new FakeAuthService();

    private final List<String> received = new CopyOnWriteArrayList<>();

    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));

    private final AtomicInteger refuseNextCalls = new AtomicInteger();

    private Server server;

    private ManagedChannel channel;

    private AuthServiceTokenSource tokenSource;

    private UserServiceGrpc.UserServiceBlockingStub users;

    @BeforeEach
    void start() throws IOException {
        String name = "service-tokens-" + UUID.randomUUID();
        this.server = InProcessServerBuilder.forName(name)
            .directExecutor()
            .addService(this.auth)
            .addService(ServerInterceptors.intercept(new RecordingUserService(), new AuthorizationRecorder()))
            .build()
            .start();
        this.channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        this.tokenSource = new AuthServiceTokenSource(new SecurityProperties.Client("order-service", SECRET, "unused:1"),
                this.channel, this.clock, RetryPolicy.transientErrors().sleeper((duration) -> {
                }));
        PlatformEnvironment environment = new PlatformEnvironment(
                new MockEnvironment().withProperty("spring.application.name", "order-service"));
        Channel intercepted = ClientInterceptors.intercept(this.channel,
                new ServiceTokenClientInterceptor(() -> this.tokenSource, environment));
        this.users = UserServiceGrpc.newBlockingStub(intercepted);
        ((Logger) LoggerFactory.getLogger("dev.storefront.security")).setLevel(Level.TRACE);
    }

    @AfterEach
    void stop() throws InterruptedException {
        ((Logger) LoggerFactory.getLogger("dev.storefront.security")).setLevel(null);
        this.channel.shutdownNow();
        this.server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void callsShouldCarryOneServiceTokenObtainedOnceWithTheClientCredentials() {
        callUsers();
        callUsers();
        callUsers();

        assertThat(this.received).containsExactly("Bearer token-1", "Bearer token-1", "Bearer token-1");
        assertThat(this.auth.requests).singleElement().satisfies((request) -> {
            assertThat(request.getClientId()).isEqualTo("order-service");
            assertThat(request.getClientSecret()).isEqualTo(SECRET);
        });
    }

    @Test
    void tokenShouldBeRenewedOnce80PercentOfItsLifetimeHasPassed() {
        callUsers();
        this.clock.advance(Duration.ofSeconds(79));
        callUsers();
        this.clock.advance(Duration.ofSeconds(1));
        callUsers();
        callUsers();

        assertThat(this.received).containsExactly("Bearer token-1", "Bearer token-1", "Bearer token-2",
                "Bearer token-2");
    }

    @Test
    void callerOwnAuthorizationShouldBeLeftAlone() {
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, "Bearer a-user-token");

        this.users.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
            .getUser(GetUserRequest.newBuilder().setUserId("u").build());

        assertThat(this.received).containsExactly("Bearer a-user-token");
        assertThat(this.auth.requests).isEmpty();
    }

    @Test
    void unauthenticatedAnswerShouldMakeTheNextCallUseANewToken() {
        this.refuseNextCalls.set(1);

        assertThatExceptionOfType(StatusRuntimeException.class).isThrownBy(this::callUsers)
            .satisfies((failure) -> assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
        callUsers();

        assertThat(this.received).containsExactly("Bearer token-1", "Bearer token-2");
    }

    @Test
    void transientFailureOfAuthServiceShouldBeRetried() {
        this.auth.failures.add(Status.UNAVAILABLE.withDescription("restarting"));

        callUsers();

        assertThat(this.received).containsExactly("Bearer token-1");
        assertThat(this.auth.attempts.get()).isEqualTo(2);
    }

    @Test
    void failedRenewalShouldKeepUsingTheCurrentTokenUntilItExpires() {
        callUsers();
        this.clock.advance(Duration.ofSeconds(90));
        this.auth.failures.add(Status.UNAVAILABLE);
        this.auth.failures.add(Status.UNAVAILABLE);
        this.auth.failures.add(Status.UNAVAILABLE);

        callUsers();

        assertThat(this.received).containsExactly("Bearer token-1", "Bearer token-1");
    }

    @Test
    void refusedCredentialsShouldFailTheCallWithoutReachingTheCalleeOrLeakingTheSecret(CapturedOutput output) {
        this.auth.failures.add(Status.UNAUTHENTICATED.withDescription("Unknown client or wrong secret"));

        StatusRuntimeException failure = assertThatExceptionOfType(StatusRuntimeException.class)
            .isThrownBy(this::callUsers)
            .actual();

        assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
        assertThat(failure.getStatus().getDescription()).isEqualTo("This service cannot obtain its service token");
        assertThat(errorInfo(failure).getReason()).isEqualTo("INTERNAL_ERROR");
        assertThat(this.received).as("the callee was never called").isEmpty();
        assertThat(this.auth.attempts.get()).as("not retried").isEqualTo(1);
        assertThat(String.valueOf(failure.getTrailers())).doesNotContain(SECRET);
        assertThat(output.getAll()).doesNotContain(SECRET);
    }

    @Test
    void unavailableAuthServiceShouldFailTheCallAsRetryableUnavailable() {
        this.auth.failures.add(Status.UNAVAILABLE);
        this.auth.failures.add(Status.UNAVAILABLE);
        this.auth.failures.add(Status.UNAVAILABLE);

        StatusRuntimeException failure = assertThatExceptionOfType(StatusRuntimeException.class)
            .isThrownBy(this::callUsers)
            .actual();

        assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(errorInfo(failure).getReason()).isEqualTo("UNAVAILABLE");
        assertThat(this.auth.attempts.get()).isEqualTo(3);
    }

    @Test
    void secretShouldNotAppearInToStrings(CapturedOutput output) {
        SecurityProperties.Client client = new SecurityProperties.Client("order-service", SECRET, "auth:9081");

        callUsers();

        assertThat(client.toString()).contains("order-service").doesNotContain(SECRET);
        assertThat(this.tokenSource.toString()).doesNotContain(SECRET).doesNotContain("token-1");
        assertThat(output.getAll()).contains("Obtained a service token for client 'order-service'")
            .doesNotContain(SECRET);
    }

    private void callUsers() {
        this.users.getUser(GetUserRequest.newBuilder().setUserId("u").build());
    }

    private static ErrorInfo errorInfo(StatusRuntimeException failure) {
        return StatusProto.fromThrowable(failure).getDetailsList().stream()
            .filter((any) -> any.is(ErrorInfo.class))
            .findFirst()
            .map((any) -> {
                try {
                    return any.unpack(ErrorInfo.class);
                }
                catch (InvalidProtocolBufferException ex) {
                    throw new IllegalStateException(ex);
                }
            })
            .orElseThrow();
    }

    /** Issues token-1, token-2, ... valid for {@value #LIFETIME_SECONDS}s, after failing as told. */
    static final class FakeAuthService extends AuthServiceGrpc.AuthServiceImplBase {

        final List<IssueServiceTokenRequest> requests = new CopyOnWriteArrayList<>();

        final Deque<Status> failures = new ArrayDeque<>();

        final AtomicInteger attempts = new AtomicInteger();

        private final AtomicInteger issued = new AtomicInteger();

        @Override
        public void issueServiceToken(IssueServiceTokenRequest request, StreamObserver<ServiceToken> responseObserver) {
            this.attempts.incrementAndGet();
            Status failure = this.failures.poll();
            if (failure != null) {
                responseObserver.onError(failure.asRuntimeException());
                return;
            }
            this.requests.add(request);
            responseObserver.onNext(ServiceToken.newBuilder()
                .setAccessToken("token-" + this.issued.incrementAndGet())
                .setTokenType("Bearer")
                .setExpiresIn(LIFETIME_SECONDS)
                .build());
            responseObserver.onCompleted();
        }

    }

    /** Refuses the first calls when told to, as a callee refusing a revoked token would. */
    final class RecordingUserService extends UserServiceGrpc.UserServiceImplBase {

        @Override
        public void getUser(GetUserRequest request, StreamObserver<User> responseObserver) {
            if (ServiceTokenClientTests.this.refuseNextCalls.getAndUpdate((n) -> Math.max(0, n - 1)) > 0) {
                responseObserver.onError(Status.UNAUTHENTICATED.asRuntimeException());
                return;
            }
            responseObserver.onNext(User.newBuilder().setId(request.getUserId()).build());
            responseObserver.onCompleted();
        }

    }

    final class AuthorizationRecorder implements ServerInterceptor {

        @Override
        public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
                ServerCallHandler<ReqT, RespT> next) {
            ServiceTokenClientTests.this.received.add(String.valueOf(headers.get(AUTHORIZATION)));
            return next.startCall(call, headers);
        }

    }

    static final class MutableClock extends Clock {

        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration duration) {
            this.now = this.now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return this.now;
        }

    }

}
