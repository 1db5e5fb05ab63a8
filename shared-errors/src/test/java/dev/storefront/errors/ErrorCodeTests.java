package dev.storefront.errors;

import io.grpc.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

class ErrorCodeTests {

    @ParameterizedTest
    @CsvSource({
        "INVALID_INPUT,       400, INVALID_ARGUMENT,    false",
        "UNAUTHENTICATED,     401, UNAUTHENTICATED,     false",
        "PERMISSION_DENIED,   403, PERMISSION_DENIED,   false",
        "NOT_FOUND,           404, NOT_FOUND,           false",
        "ALREADY_EXISTS,      409, ALREADY_EXISTS,      false",
        "FAILED_PRECONDITION, 409, FAILED_PRECONDITION, false",
        "RATE_LIMITED,        429, RESOURCE_EXHAUSTED,  true",
        "UNAVAILABLE,         503, UNAVAILABLE,         true",
        "DEADLINE_EXCEEDED,   504, DEADLINE_EXCEEDED,   true",
        "INTERNAL_ERROR,      500, INTERNAL,            false",
    })
    void everyCodeShouldTravelWithItsHttpStatusGrpcCodeAndRecoverability(ErrorCode code, int httpStatus,
            Status.Code grpcCode, boolean transientByDefault) {
        assertThat(code.httpStatus()).isEqualTo(httpStatus);
        assertThat(code.grpcCode()).isEqualTo(grpcCode);
        assertThat(code.transientByDefault()).isEqualTo(transientByDefault);
    }

    @Test
    void tableAboveShouldCoverEveryCode() {
        assertThat(ErrorCode.values()).hasSize(10);
    }

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void everyCodeShouldComeBackFromItsGrpcCode(ErrorCode code) {
        assertThat(ErrorCode.fromGrpc(code.grpcCode())).isEqualTo(code);
    }

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void everyCodeShouldBeFoundByItsNameAndHaveUserFacingTexts(ErrorCode code) {
        assertThat(ErrorCode.fromName(code.name())).isEqualTo(code);
        assertThat(code.title()).isNotBlank();
        assertThat(code.defaultMessage()).isNotBlank().endsWith(".");
    }

    @Test
    void grpcCodesWithoutADirectMatchShouldMapToTheClosestCode() {
        assertThat(ErrorCode.fromGrpc(Status.Code.OUT_OF_RANGE)).isEqualTo(ErrorCode.INVALID_INPUT);
        assertThat(ErrorCode.fromGrpc(Status.Code.ABORTED)).isEqualTo(ErrorCode.FAILED_PRECONDITION);
        assertThat(ErrorCode.fromGrpc(Status.Code.CANCELLED)).isEqualTo(ErrorCode.DEADLINE_EXCEEDED);
        assertThat(ErrorCode.fromGrpc(Status.Code.UNKNOWN)).isEqualTo(ErrorCode.INTERNAL_ERROR);
        assertThat(ErrorCode.fromGrpc(Status.Code.UNIMPLEMENTED)).isEqualTo(ErrorCode.INTERNAL_ERROR);
        assertThat(ErrorCode.fromGrpc(Status.Code.DATA_LOSS)).isEqualTo(ErrorCode.INTERNAL_ERROR);
    }

    @Test
    void unknownNamesShouldNotNameACode() {
        assertThat(ErrorCode.fromName("NOPE")).isNull();
        assertThat(ErrorCode.fromName(null)).isNull();
        assertThat(ErrorCode.fromName("not_found")).isNull();
    }

}
