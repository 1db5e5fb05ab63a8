package dev.storefront.security;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

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

    private static final Duration NO_WAIT = Duration.ofSeconds(2);

    private static final String RENEWAL_FAILED = "Cannot renew the service token of client 'order-service'";

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
        this.auth.release();
        this.tokenSource.close();
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
    void tokenShouldBeRenewedInTheBackgroundOnce80PercentOfItsLifetimeHasPassed() {
        callUsers();
        this.clock.advance(Duration.ofSeconds(79));
        callUsers();
        this.clock.advance(Duration.ofSeconds(1));
        callUsers();
        awaitToken("token-2");
        callUsers();

        assertThat(this.received).containsExactly("Bearer token-1", "Bearer token-1", "Bearer token-1",
                "Bearer token-2");
        assertThat(this.auth.requests).hasSize(2);
    }

    @Test
    void callsDuringARenewalShouldGetTheCurrentTokenWithoutWaiting() throws InterruptedException {
        callUsers();
        this.clock.advance(Duration.ofSeconds(80));
        this.auth.hold();

        assertTimeoutPreemptively(NO_WAIT, this::callUsers);
        this.auth.awaitHeld();
        assertTimeoutPreemptively(NO_WAIT, () -> {
            callUsers();
            this.clock.advance(Duration.ofSeconds(19));
            callUsers();
        });
        this.auth.release();
        awaitToken("token-2");
        callUsers();

        assertThat(this.received).containsExactly("Bearer token-1", "Bearer token-1", "Bearer token-1",
                "Bearer token-1", "Bearer token-2");
        assertThat(this.auth.attempts.get()).isEqualTo(2);
    }

    @Test
    void concurrentCallersPastTheRenewalPointShouldCauseOneRenewalRequest() throws Exception {
        callUsers();
        this.clock.advance(Duration.ofSeconds(85));
        this.auth.hold();
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<String>> tokens = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                tokens.add(callers.submit(() -> {
                    start.await();
                    return this.tokenSource.token();
                }));
            }
            start.countDown();

            for (Future<String> token : tokens) {
                assertThat(token.get(NO_WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("token-1");
            }
            this.auth.awaitHeld();
            this.auth.release();
            awaitToken("token-2");
        }
        finally {
            callers.shutdownNow();
        }

        assertThat(this.auth.attempts.get()).as("the first token and one renewal").isEqualTo(2);
        assertThat(this.auth.requests).hasSize(2);
    }

    @Test
    void callersWithoutAValidTokenShouldWaitForOneSharedRequest() throws Exception {
        callUsers();
        this.clock.advance(Duration.ofSeconds(LIFETIME_SECONDS));
        this.auth.hold();
        List<Thread> threads = new CopyOnWriteArrayList<>();
        ExecutorService callers = Executors.newFixedThreadPool(8, (task) -> {
            Thread thread = new Thread(task);
            threads.add(thread);
            return thread;
        });
        try {
            List<Future<String>> tokens = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                tokens.add(callers.submit(this.tokenSource::token));
            }
            this.auth.awaitHeld();
            await().atMost(Duration.ofSeconds(5))
                .until(() -> threads.size() == 8
                        && threads.stream().allMatch((thread) -> thread.getState() == Thread.State.TIMED_WAITING));
            assertThat(tokens).noneMatch(Future::isDone);

            this.auth.release();

            for (Future<String> token : tokens) {
                assertThat(token.get(5, TimeUnit.SECONDS)).isEqualTo("token-2");
            }
        }
        finally {
            callers.shutdownNow();
        }
        assertThat(this.auth.attempts.get()).as("the first token and one shared request").isEqualTo(2);
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
    void failedRenewalShouldBeLoggedOnceAndKeepTheCurrentTokenUntilItExpires(CapturedOutput output) {
        callUsers();
        this.clock.advance(Duration.ofSeconds(90));
        failNextAttempts(3);

        callUsers();
        await().atMost(Duration.ofSeconds(5)).until(() -> renewalWarnings(output) == 1);
        callUsers();
        assertThat(this.auth.attempts.get()).as("no new renewal right after a failed one").isEqualTo(4);

        this.clock.advance(AuthServiceTokenSource.RENEWAL_RETRY_PAUSE);
        failNextAttempts(3);
        callUsers();
        await().atMost(Duration.ofSeconds(5)).until(() -> renewalWarnings(output) == 2);

        this.clock.advance(Duration.ofSeconds(5));
        failNextAttempts(3);
        assertThatExceptionOfType(StatusRuntimeException.class).isThrownBy(this::callUsers)
            .satisfies((failure) -> assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
        callUsers();

        assertThat(this.received).containsExactly("Bearer token-1", "Bearer token-1", "Bearer token-1",
                "Bearer token-1", "Bearer token-2");
        assertThat(this.auth.attempts.get()).isEqualTo(11);
        assertThat(output.getAll().lines().filter((line) -> line.contains(RENEWAL_FAILED)))
            .as("one warning per failed renewal, none once the token has expired")
            .hasSize(2)
            .allMatch((line) -> line.contains("WARN"));
        assertThat(output.getAll()).doesNotContain(SECRET);
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

    private void awaitToken(String token) {
        await().atMost(Duration.ofSeconds(5)).until(() -> this.tokenSource.token().equals(token));
    }

    private void failNextAttempts(int attempts) {
        for (int i = 0; i < attempts; i++) {
            this.auth.failures.add(Status.UNAVAILABLE);
        }
    }

    private static long renewalWarnings(CapturedOutput output) {
        return output.getAll().lines().filter((line) -> line.contains(RENEWAL_FAILED)).count();
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

    /**
     * Issues token-1, token-2, ... valid for {@value #LIFETIME_SECONDS}s, after failing as told; when
     * told to hold, every request waits until released.
     */
    static final class FakeAuthService extends AuthServiceGrpc.AuthServiceImplBase {

        final List<IssueServiceTokenRequest> requests = new CopyOnWriteArrayList<>();

        final Deque<Status> failures = new ConcurrentLinkedDeque<>();

        final AtomicInteger attempts = new AtomicInteger();

        private final AtomicInteger issued = new AtomicInteger();

        private final CountDownLatch held = new CountDownLatch(1);

        private volatile CountDownLatch release = new CountDownLatch(0);

        void hold() {
            this.release = new CountDownLatch(1);
        }

        void awaitHeld() throws InterruptedException {
            assertThat(this.held.await(5, TimeUnit.SECONDS)).as("a request is held").isTrue();
        }

        void release() {
            this.release.countDown();
        }

        @Override
        public void issueServiceToken(IssueServiceTokenRequest request, StreamObserver<ServiceToken> responseObserver) {
            this.attempts.incrementAndGet();
            CountDownLatch release = this.release;
            if (release.getCount() > 0) {
                this.held.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
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
