package dev.storefront.errors.grpc;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.rpc.BadRequest;
import com.google.rpc.DebugInfo;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import dev.storefront.api.user.v1.GetUserRequest;
import dev.storefront.api.user.v1.User;
import dev.storefront.api.user.v1.UserServiceGrpc;
import dev.storefront.errors.ErrorCode;
import dev.storefront.errors.StorefrontException;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.grpc.test.autoconfigure.AutoConfigureTestGrpcTransport;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.grpc.client.GrpcChannelFactory;
import org.springframework.test.context.TestConstructor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = { "spring.application.name=user-service", "LOG_FORMAT=text" })
@AutoConfigureTestGrpcTransport
@ExtendWith(OutputCaptureExtension.class)
@TestConstructor(autowireMode = TestConstructor.AutowireMode.ALL)
class GrpcErrorHandlingTests {

    private static final Metadata.Key<String> REQUEST_ID = Metadata.Key.of("x-request-id",
            Metadata.ASCII_STRING_MARSHALLER);

    private final GrpcChannelFactory channels;

    private final MeterRegistry meterRegistry;

    GrpcErrorHandlingTests(GrpcChannelFactory channels, MeterRegistry meterRegistry) {
        this.channels = channels;
        this.meterRegistry = meterRegistry;
    }

    @Test
    void notFoundShouldArriveWithItsCodeMessageAndErrorInfo() {
        StatusRuntimeException failure = getUserFails("missing");

        assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(failure.getStatus().getDescription()).isEqualTo("User missing was not found");
        ErrorInfo info = detail(failure, ErrorInfo.class);
        assertThat(info.getReason()).isEqualTo("NOT_FOUND");
        assertThat(info.getDomain()).isEqualTo("user-service");
        assertThat(info.getMetadataMap()).containsEntry("userId", "missing");
    }

    @Test
    void invalidInputShouldArriveWithBadRequestViolations() {
        StatusRuntimeException failure = getUserFails("invalid");

        assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(detail(failure, ErrorInfo.class).getReason()).isEqualTo("INVALID_INPUT");
        BadRequest badRequest = detail(failure, BadRequest.class);
        assertThat(badRequest.getFieldViolationsList()).singleElement().satisfies((violation) -> {
            assertThat(violation.getField()).isEqualTo("user_id");
            assertThat(violation.getDescription()).isEqualTo("must be a UUID");
        });
        assertThat(detail(failure, RetryInfo.class)).isNull();
    }

    @Test
    void unavailableShouldArriveWithRetryInfo() {
        StatusRuntimeException failure = getUserFails("down");

        assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(detail(failure, RetryInfo.class).getRetryDelay().getSeconds()).isEqualTo(3);
        StorefrontException received = GrpcErrors.fromStatus(failure);
        assertThat(received.code()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(received.retryable()).isTrue();
        assertThat(received.retryAfter()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void unexpectedExceptionShouldArriveAsInternalWithGenericMessage() {
        StatusRuntimeException failure = getUserFails("boom");

        assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
        assertThat(failure.getStatus().getDescription()).isEqualTo("An unexpected error occurred.")
            .doesNotContain("hunter2");
        assertThat(detail(failure, ErrorInfo.class).getReason()).isEqualTo("INTERNAL_ERROR");
        assertThat(detail(failure, DebugInfo.class).getStackEntriesList())
            .as("debug information outside production")
            .anySatisfy((entry) -> assertThat(entry).contains("IllegalStateException"));
    }

    @Test
    void errorPassedToOnErrorShouldBeAnsweredTheSameWay() {
        StatusRuntimeException failure = getUserFails("async");

        assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(detail(failure, ErrorInfo.class).getReason()).isEqualTo("PERMISSION_DENIED");
    }

    @Test
    void eachErrorShouldBeCountedOnceWithServiceProtocolAndCode() {
        double before = notFoundCount();
        getUserFails("missing");
        assertThat(notFoundCount()).isEqualTo(before + 1);
    }

    @Test
    void callerRequestIdShouldBeEchoedAndLoggedWithTheError(CapturedOutput output) {
        Metadata headers = new Metadata();
        headers.put(REQUEST_ID, "req-grpc-1");
        AtomicReference<Metadata> responseHeaders = new AtomicReference<>();
        AtomicReference<Metadata> trailers = new AtomicReference<>();
        UserServiceGrpc.UserServiceBlockingStub stub = stub().withInterceptors(
                MetadataUtils.newAttachHeadersInterceptor(headers),
                MetadataUtils.newCaptureMetadataInterceptor(responseHeaders, trailers));

        StatusRuntimeException failure = assertThatExceptionOfType(StatusRuntimeException.class)
            .isThrownBy(() -> stub.getUser(GetUserRequest.newBuilder().setUserId("missing").build()))
            .actual();

        assertThat(failure.getTrailers().get(REQUEST_ID)).isEqualTo("req-grpc-1");
        assertThat(output.getAll()).contains("grpc error NOT_FOUND", "requestId=req-grpc-1");
    }

    @Test
    void successfulCallShouldEchoTheRequestIdInHeadersOrMakeOneUp() {
        AtomicReference<Metadata> responseHeaders = new AtomicReference<>();
        AtomicReference<Metadata> trailers = new AtomicReference<>();
        Metadata headers = new Metadata();
        headers.put(REQUEST_ID, "not valid!");

        User user = stub()
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers),
                    MetadataUtils.newCaptureMetadataInterceptor(responseHeaders, trailers))
            .getUser(GetUserRequest.newBuilder().setUserId("ok").build());

        assertThat(user.getId()).isEqualTo("ok");
        assertThat(responseHeaders.get().get(REQUEST_ID)).isNotEqualTo("not valid!")
            .matches("[0-9a-f-]{36}");
        assertThat(user.getName()).as("request id seen by the service")
            .isEqualTo(responseHeaders.get().get(REQUEST_ID));
    }

    private double notFoundCount() {
        Counter counter = this.meterRegistry.find("storefront.errors")
            .tags("service", "user-service", "protocol", "grpc", "code", "NOT_FOUND")
            .counter();
        return (counter != null) ? counter.count() : 0;
    }

    private StatusRuntimeException getUserFails(String userId) {
        return assertThatExceptionOfType(StatusRuntimeException.class)
            .isThrownBy(() -> stub().getUser(GetUserRequest.newBuilder().setUserId(userId).build()))
            .actual();
    }

    private UserServiceGrpc.UserServiceBlockingStub stub() {
        return UserServiceGrpc.newBlockingStub(this.channels.createChannel("user-service"));
    }

    private static <T extends Message> T detail(StatusRuntimeException failure, Class<T> type) {
        com.google.rpc.Status status = StatusProto.fromThrowable(failure);
        assertThat(status).as("google.rpc.Status in the trailers").isNotNull();
        return status.getDetailsList().stream().filter((any) -> any.is(type)).findFirst().map((any) -> {
            try {
                return any.unpack(type);
            }
            catch (InvalidProtocolBufferException ex) {
                throw new IllegalStateException(ex);
            }
        }).orElse(null);
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class TestApplication {

        @Bean
        SimpleMeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }

        @Bean
        FailingUserService failingUserService() {
            return new FailingUserService();
        }

    }

    /** A user service that fails in every way a real one can, chosen by the requested user id. */
    static class FailingUserService extends UserServiceGrpc.UserServiceImplBase {

        @Override
        public void getUser(GetUserRequest request, StreamObserver<User> responseObserver) {
            String userId = request.getUserId();
            switch (userId) {
                case "missing" -> throw new StorefrontException(ErrorCode.NOT_FOUND, "User missing was not found")
                    .withContext("userId", userId);
                case "invalid" -> throw StorefrontException.invalidField("user_id", "must be a UUID");
                case "down" -> throw new StorefrontException(ErrorCode.UNAVAILABLE, "User store is unavailable")
                    .withRetryAfter(Duration.ofSeconds(3));
                case "boom" -> throw new IllegalStateException("db password hunter2 rejected");
                case "async" -> responseObserver
                    .onError(new StorefrontException(ErrorCode.PERMISSION_DENIED, "Not your profile"));
                default -> {
                    responseObserver.onNext(User.newBuilder()
                        .setId(userId)
                        .setName(dev.storefront.errors.RequestIds.current())
                        .build());
                    responseObserver.onCompleted();
                }
            }
        }

    }

}
