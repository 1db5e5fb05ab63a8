package dev.storefront.errors.grpc;

import java.time.Duration;
import java.util.List;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.rpc.BadRequest;
import com.google.rpc.DebugInfo;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import dev.storefront.errors.ErrorCode;
import dev.storefront.errors.ErrorTranslator;
import dev.storefront.errors.FieldViolation;
import dev.storefront.errors.StorefrontException;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

class GrpcErrorsTests {

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void everyCodeShouldBecomeItsGrpcStatusAndComeBackWithCodeMessageViolationsAndContext(ErrorCode code) {
        StorefrontException error = new StorefrontException(code, "Something about " + code)
            .withViolation("email", "must be a well-formed email address")
            .withContext("userId", "u-1")
            .withContext("attempt", 2);

        StatusException sent = GrpcErrors.toStatusException(error, "user-service", false);
        assertThat(sent.getStatus().getCode()).isEqualTo(code.grpcCode());
        assertThat(sent.getStatus().getDescription()).isEqualTo("Something about " + code);

        StorefrontException received = GrpcErrors.fromStatus(overTheWire(sent));
        assertThat(received.code()).isEqualTo(code);
        assertThat(received.userMessage()).isEqualTo("Something about " + code);
        assertThat(received.violations())
            .containsExactly(new FieldViolation("email", "must be a well-formed email address"));
        assertThat(received.context()).containsEntry("userId", "u-1").containsEntry("attempt", "2").hasSize(2);
        assertThat(received.retryable()).isEqualTo(code.transientByDefault());
    }

    @Test
    void errorInfoShouldNameTheCodeAndTheService() {
        com.google.rpc.Status status = rich(GrpcErrors.toStatusException(
                new StorefrontException(ErrorCode.FAILED_PRECONDITION, "Order is paid"), "order-service", true));
        ErrorInfo info = detail(status, ErrorInfo.class);
        assertThat(info).isNotNull();
        assertThat(info.getReason()).isEqualTo("FAILED_PRECONDITION");
        assertThat(info.getDomain()).isEqualTo("order-service");
        assertThat(status.getMessage()).isEqualTo("Order is paid");
    }

    @Test
    void productionShouldHideDebugInfoAndErrorInfoMetadata() {
        StorefrontException error = ErrorTranslator.translate(new IllegalStateException("jdbc password=hunter2"))
            .withContext("table", "users");

        com.google.rpc.Status status = rich(GrpcErrors.toStatusException(error, "user-service", true));

        assertThat(detail(status, DebugInfo.class)).isNull();
        assertThat(detail(status, ErrorInfo.class).getMetadataMap()).isEmpty();
        assertThat(status.toString()).doesNotContain("hunter2").doesNotContain("users");
        assertThat(status.getMessage()).isEqualTo("An unexpected error occurred.");
    }

    @Test
    void productionShouldKeepTheContextMeantForCallersAndItShouldSurviveTheWayBack() {
        StorefrontException error = new StorefrontException(ErrorCode.NOT_FOUND, "Some products do not exist")
            .withPublicContext("missingProductIds", "p-1,p-2")
            .withContext("table", "products");

        StatusException status = GrpcErrors.toStatusException(error, "product-service", true);

        assertThat(detail(rich(status), ErrorInfo.class).getMetadataMap()).containsOnlyKeys("missingProductIds");
        StorefrontException received = GrpcErrors.fromStatus(status);
        assertThat(received.publicContext()).as("still shown to the next caller, e.g. order-service's REST client")
            .containsEntry("missingProductIds", "p-1,p-2");
    }

    @Test
    void outsideProductionDebugInfoShouldCarryDetailsAndACauseSummary() {
        StorefrontException error = ErrorTranslator.translate(new IllegalStateException("constraint broken"))
            .withDetails("while reserving stock")
            .withContext("orderId", "o-1");

        com.google.rpc.Status status = rich(GrpcErrors.toStatusException(error, "order-service", false));

        DebugInfo debug = detail(status, DebugInfo.class);
        assertThat(debug.getDetail()).isEqualTo("while reserving stock");
        assertThat(debug.getStackEntriesList()).first().asString()
            .contains("java.lang.IllegalStateException: constraint broken");
        assertThat(debug.getStackEntriesList()).anySatisfy((entry) -> assertThat(entry).startsWith("at "));
        assertThat(detail(status, ErrorInfo.class).getMetadataMap()).containsEntry("orderId", "o-1");
        assertThat(GrpcErrors.fromStatus(overTheWire(GrpcErrors.toStatusException(error, "order-service", false)))
            .details()).isEqualTo("while reserving stock");
    }

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void retryInfoShouldBeSentOnlyForTransientCodes(ErrorCode code) {
        com.google.rpc.Status status = rich(
                GrpcErrors.toStatusException(new StorefrontException(code, "x"), "product-service", true));
        RetryInfo retryInfo = detail(status, RetryInfo.class);
        if (code.transientByDefault()) {
            assertThat(retryInfo).isNotNull();
            assertThat(retryInfo.getRetryDelay().getSeconds()).isEqualTo(1);
        }
        else {
            assertThat(retryInfo).isNull();
        }
    }

    @Test
    void retryAfterShouldTravelAsRetryInfoAndComeBack() {
        StorefrontException error = new StorefrontException(ErrorCode.RATE_LIMITED, "Slow down")
            .withRetryAfter(Duration.ofMillis(2500));
        StatusException sent = GrpcErrors.toStatusException(error, "auth-service", true);

        assertThat(detail(rich(sent), RetryInfo.class).getRetryDelay().getSeconds()).isEqualTo(2);
        StorefrontException received = GrpcErrors.fromStatus(overTheWire(sent));
        assertThat(received.retryAfter()).isEqualTo(Duration.ofMillis(2500));
        assertThat(received.retryable()).isTrue();
    }

    @Test
    void errorMarkedNotRetryableShouldArriveNotRetryable() {
        StorefrontException error = new StorefrontException(ErrorCode.UNAVAILABLE, "Provider declined")
            .withRetryable(false);
        StatusException sent = GrpcErrors.toStatusException(error, "order-service", true);
        assertThat(detail(rich(sent), RetryInfo.class)).isNull();
        assertThat(GrpcErrors.fromStatus(overTheWire(sent)).retryable()).isFalse();
    }

    @Test
    void noBadRequestShouldBeSentWithoutViolations() {
        assertThat(detail(rich(GrpcErrors.toStatusException(new StorefrontException(ErrorCode.NOT_FOUND, "gone"),
                "user-service", false)), BadRequest.class)).isNull();
    }

    @Test
    void reasonNamingACodeShouldWinOverTheStatusCode() {
        com.google.rpc.Status status = com.google.rpc.Status.newBuilder()
            .setCode(Status.Code.FAILED_PRECONDITION.value())
            .setMessage("Email already registered")
            .addDetails(Any.pack(ErrorInfo.newBuilder().setReason("ALREADY_EXISTS").setDomain("auth-service").build()))
            .build();
        StorefrontException received = GrpcErrors.fromStatus(StatusProto.toStatusRuntimeException(status));
        assertThat(received.code()).isEqualTo(ErrorCode.ALREADY_EXISTS);
        assertThat(received.userMessage()).isEqualTo("Email already registered");
    }

    @Test
    void foreignStatusShouldKeepItsCodeButGetADefaultMessage() {
        StatusRuntimeException foreign = Status.DEADLINE_EXCEEDED.withDescription("deadline exceeded after 4.9s")
            .asRuntimeException();
        StorefrontException received = GrpcErrors.fromStatus(foreign);
        assertThat(received.code()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED);
        assertThat(received.userMessage()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED.defaultMessage());
        assertThat(received.details()).contains("deadline exceeded after 4.9s");
        assertThat(received.retryable()).isTrue();
        assertThat(received.getCause()).isSameAs(foreign);
    }

    /** What a client receives: status and trailers, without the server-side cause. */
    private static StatusRuntimeException overTheWire(StatusException sent) {
        Metadata trailers = new Metadata();
        trailers.merge(sent.getTrailers());
        return new StatusRuntimeException(Status.fromCode(sent.getStatus().getCode())
            .withDescription(sent.getStatus().getDescription()), trailers);
    }

    private static com.google.rpc.Status rich(StatusException sent) {
        com.google.rpc.Status status = StatusProto.fromThrowable(sent);
        assertThat(status).isNotNull();
        assertThat(status.getCode()).isEqualTo(sent.getStatus().getCode().value());
        return status;
    }

    private static <T extends Message> @Nullable T detail(com.google.rpc.Status status, Class<T> type) {
        List<T> found = status.getDetailsList().stream().filter((any) -> any.is(type)).map((any) -> {
            try {
                return any.unpack(type);
            }
            catch (InvalidProtocolBufferException ex) {
                throw new IllegalStateException(ex);
            }
        }).toList();
        assertThat(found).hasSizeLessThanOrEqualTo(1);
        return found.isEmpty() ? null : found.get(0);
    }

}
