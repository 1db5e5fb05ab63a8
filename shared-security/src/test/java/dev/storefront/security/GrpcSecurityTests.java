package dev.storefront.security;

import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.ErrorInfo;
import dev.storefront.api.user.v1.DeleteUserRequest;
import dev.storefront.api.user.v1.DeleteUserResponse;
import dev.storefront.api.user.v1.GetUserRequest;
import dev.storefront.api.user.v1.User;
import dev.storefront.api.user.v1.UserActivity;
import dev.storefront.api.user.v1.UserServiceGrpc;
import dev.storefront.api.user.v1.WatchUserActivityRequest;
import dev.storefront.testing.TestTokens;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.MDC;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.grpc.test.autoconfigure.AutoConfigureTestGrpcTransport;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.grpc.client.GrpcChannelFactory;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestConstructor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = { "spring.application.name=user-service", "LOG_FORMAT=text" })
@AutoConfigureTestGrpcTransport
@ExtendWith(OutputCaptureExtension.class)
@TestConstructor(autowireMode = TestConstructor.AutowireMode.ALL)
class GrpcSecurityTests {

    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization",
            Metadata.ASCII_STRING_MARSHALLER);

    private static final Metadata.Key<String> REQUEST_ID = Metadata.Key.of("x-request-id",
            Metadata.ASCII_STRING_MARSHALLER);

    private static final TestTokens tokens = new TestTokens();

    private static final String USER = UUID.randomUUID().toString();

    private final GrpcChannelFactory channels;

    private final SimpleMeterRegistry meterRegistry;

    GrpcSecurityTests(GrpcChannelFactory channels, SimpleMeterRegistry meterRegistry) {
        this.channels = channels;
        this.meterRegistry = meterRegistry;
    }

    @DynamicPropertySource
    static void jwks(DynamicPropertyRegistry registry) {
        registry.add("storefront.security.jwks-uri", tokens::jwksUri);
    }

    @AfterAll
    static void stopTokens() {
        tokens.close();
    }

    @Test
    void healthShouldBePublic() {
        HealthCheckResponse health = HealthGrpc.newBlockingStub(this.channels.createChannel("user-service"))
            .check(HealthCheckRequest.getDefaultInstance());

        assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    }

    @Test
    void eachMethodShouldKeepItsOwnPublicOrProtectedDecisionOverRepeatedCalls() {
        HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(this.channels.createChannel("user-service"));
        for (int i = 0; i < 3; i++) {
            assertThat(health.check(HealthCheckRequest.getDefaultInstance()).getStatus())
                .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
            assertThatExceptionOfType(StatusRuntimeException.class)
                .isThrownBy(() -> stub().getUser(GetUserRequest.newBuilder().setUserId(USER).build()))
                .satisfies((failure) -> assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
        }
    }

    @Test
    void callWithoutTokenShouldBeUnauthenticatedWithErrorInfoLoggedAndCountedOnce(CapturedOutput output) {
        double before = count("UNAUTHENTICATED");
        Metadata headers = new Metadata();
        headers.put(REQUEST_ID, "req-grpc-no-token");

        StatusRuntimeException failure = assertThatExceptionOfType(StatusRuntimeException.class)
            .isThrownBy(() -> stub().withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .getUser(GetUserRequest.newBuilder().setUserId(USER).build()))
            .actual();

        assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(failure.getStatus().getDescription()).isEqualTo("An access token is required");
        ErrorInfo info = errorInfo(failure);
        assertThat(info.getReason()).isEqualTo("UNAUTHENTICATED");
        assertThat(info.getDomain()).isEqualTo("user-service");
        assertThat(failure.getTrailers().get(REQUEST_ID)).isEqualTo("req-grpc-no-token");
        assertThat(count("UNAUTHENTICATED")).isEqualTo(before + 1);
        assertThat(output.getAll().split("grpc error UNAUTHENTICATED severity=INFO requestId=req-grpc-no-token", -1))
            .as("logged once")
            .hasSize(2);
    }

    @Test
    void expiredTokenShouldBeUnauthenticatedWithoutEchoingTheToken(CapturedOutput output) {
        String token = tokens.expired(USER, "customer");

        StatusRuntimeException failure = assertThatExceptionOfType(StatusRuntimeException.class)
            .isThrownBy(() -> stub(token).getUser(GetUserRequest.newBuilder().setUserId(USER).build()))
            .actual();

        assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(failure.getStatus().getDescription()).isEqualTo("The access token has expired");
        assertThat(failure.getTrailers().toString()).doesNotContain(token);
        assertThat(output.getAll()).doesNotContain(token);
    }

    @Test
    void validTokenShouldMakeTheCallerVisibleInAUnaryMethodAndItsMdc() {
        User user = stub(tokens.token(USER, "customer", "admin"))
            .getUser(GetUserRequest.newBuilder().setUserId(USER).build());

        assertThat(user.getId()).isEqualTo(USER);
        assertThat(user.getRolesList()).containsExactly("admin", "customer");
        assertThat(user.getName()).as("MDC userId in the method").isEqualTo(USER);
    }

    @Test
    void validTokenShouldMakeTheCallerVisibleInAStreamingMethod() {
        Iterator<UserActivity> activities = stub(tokens.token(USER, "customer"))
            .watchUserActivity(WatchUserActivityRequest.newBuilder().setUserId(USER).build());

        List<String> seen = new java.util.ArrayList<>();
        activities.forEachRemaining((activity) -> seen.add(activity.getUserId()));

        assertThat(seen).containsExactly(USER, USER);
    }

    @Test
    void missingRoleShouldBePermissionDeniedLoggedWithTheUserId(CapturedOutput output) {
        StatusRuntimeException failure = assertThatExceptionOfType(StatusRuntimeException.class)
            .isThrownBy(() -> stub(tokens.token(USER, "customer"))
                .deleteUser(DeleteUserRequest.newBuilder().setUserId(USER).build()))
            .actual();

        assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(failure.getStatus().getDescription()).isEqualTo("This needs one of the roles: admin");
        assertThat(errorInfo(failure).getReason()).isEqualTo("PERMISSION_DENIED");
        assertThat(output.getAll()).containsPattern("grpc error PERMISSION_DENIED severity=INFO requestId=\\S+ userId="
                + USER);
    }

    @Test
    void adminShouldPassTheRoleCheck() {
        DeleteUserResponse response = stub(tokens.token(UUID.randomUUID().toString(), "admin"))
            .deleteUser(DeleteUserRequest.newBuilder().setUserId(USER).build());

        assertThat(response.getSuccess()).isTrue();
    }

    @Test
    void tokenSignedByAForeignKeyShouldBeUnauthenticated() {
        StatusRuntimeException failure = assertThatExceptionOfType(StatusRuntimeException.class)
            .isThrownBy(() -> stub(tokens.signedByForeignKey(USER, "admin"))
                .getUser(GetUserRequest.newBuilder().setUserId(USER).build()))
            .actual();

        assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(errorInfo(failure).getReason()).isEqualTo("UNAUTHENTICATED");
    }

    private double count(String code) {
        Counter counter = this.meterRegistry.find("storefront.errors")
            .tags("service", "user-service", "protocol", "grpc", "code", code)
            .counter();
        return (counter != null) ? counter.count() : 0;
    }

    private UserServiceGrpc.UserServiceBlockingStub stub() {
        return UserServiceGrpc.newBlockingStub(this.channels.createChannel("user-service"));
    }

    private UserServiceGrpc.UserServiceBlockingStub stub(String token) {
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, "Bearer " + token);
        return stub().withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    private static ErrorInfo errorInfo(StatusRuntimeException failure) {
        com.google.rpc.Status status = StatusProto.fromThrowable(failure);
        assertThat(status).as("google.rpc.Status in the trailers").isNotNull();
        return status.getDetailsList().stream().filter((any) -> any.is(ErrorInfo.class)).findFirst().map((any) -> {
            try {
                return any.unpack(ErrorInfo.class);
            }
            catch (InvalidProtocolBufferException ex) {
                throw new IllegalStateException(ex);
            }
        }).orElseThrow();
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class TestApplication {

        @Bean
        SimpleMeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }

        @Bean
        CallerEchoingUserService callerEchoingUserService() {
            return new CallerEchoingUserService();
        }

    }

    /** Answers with what it sees of the caller. */
    static class CallerEchoingUserService extends UserServiceGrpc.UserServiceImplBase {

        @Override
        public void getUser(GetUserRequest request, StreamObserver<User> responseObserver) {
            Principal caller = CurrentPrincipal.get();
            responseObserver.onNext(User.newBuilder()
                .setId(caller.subject())
                .setName(String.valueOf(MDC.get("userId")))
                .addAllRoles(new TreeSet<>(caller.roles()))
                .build());
            responseObserver.onCompleted();
        }

        @Override
        public void deleteUser(DeleteUserRequest request, StreamObserver<DeleteUserResponse> responseObserver) {
            CurrentPrincipal.requireRole(Principal.ADMIN);
            responseObserver.onNext(DeleteUserResponse.newBuilder().setSuccess(true).build());
            responseObserver.onCompleted();
        }

        @Override
        public void watchUserActivity(WatchUserActivityRequest request,
                StreamObserver<UserActivity> responseObserver) {
            String caller = CurrentPrincipal.get().subject();
            responseObserver.onNext(UserActivity.newBuilder().setUserId(caller).setActivityType("first").build());
            responseObserver.onNext(UserActivity.newBuilder()
                .setUserId(CurrentPrincipal.get().subject())
                .setActivityType("second")
                .build());
            responseObserver.onCompleted();
        }

    }

}
