package dev.storefront.errors;

import java.io.IOException;
import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import dev.storefront.errors.grpc.GrpcErrors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.AmqpConnectException;
import org.springframework.amqp.AmqpIOException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

import static org.assertj.core.api.Assertions.assertThat;

class ErrorTranslatorTests {

    @Test
    void structuredErrorShouldBeKeptAsIs() {
        StorefrontException error = new StorefrontException(ErrorCode.NOT_FOUND, "User 42 was not found");
        assertThat(ErrorTranslator.translate(error)).isSameAs(error);
    }

    @Test
    void structuredErrorAmongTheCausesShouldBeKeptAsIs() {
        StorefrontException error = new StorefrontException(ErrorCode.FAILED_PRECONDITION, "Order is already paid");
        RuntimeException wrapped = new IllegalStateException("wrapper", new RuntimeException(error));
        assertThat(ErrorTranslator.translate(wrapped)).isSameAs(error);
    }

    @Test
    void duplicateKeyShouldBeAlreadyExists() {
        DuplicateKeyException duplicate = new DuplicateKeyException("duplicate key value violates users_email_key",
                new SQLException("duplicate", "23505"));
        StorefrontException error = ErrorTranslator.translate(duplicate);
        assertThat(error.code()).isEqualTo(ErrorCode.ALREADY_EXISTS);
        assertThat(error.userMessage()).isEqualTo("The resource already exists.").doesNotContain("users_email_key");
        assertThat(error.getCause()).isSameAs(duplicate);
    }

    @Test
    void integrityViolationWithUniqueSqlStateShouldBeAlreadyExists() {
        assertThat(ErrorTranslator.translate(new DataIntegrityViolationException("unique",
                new SQLException("duplicate key", "23505"))).code()).isEqualTo(ErrorCode.ALREADY_EXISTS);
    }

    @Test
    void foreignKeyViolationShouldBeFailedPrecondition() {
        StorefrontException error = ErrorTranslator.translate(new DataIntegrityViolationException(
                "insert violates fk_orders_user", new SQLException("fk", "23503")));
        assertThat(error.code()).isEqualTo(ErrorCode.FAILED_PRECONDITION);
        assertThat(error.userMessage()).doesNotContain("fk_orders_user");
        assertThat(error.details()).contains("23503");
    }

    @Test
    void otherIntegrityViolationsShouldBeInternal() {
        assertThat(ErrorTranslator.translate(new DataIntegrityViolationException("not null",
                new SQLException("null value in column", "23502"))).code()).isEqualTo(ErrorCode.INTERNAL_ERROR);
    }

    @Test
    void missingDatabaseConnectionShouldBeUnavailableAndRetryable() {
        StorefrontException error = ErrorTranslator.translate(new CannotGetJdbcConnectionException(
                "Failed to obtain JDBC Connection", new SQLTransientConnectionException("pool timeout")));
        assertThat(error.code()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(error.retryable()).isTrue();
        assertThat(error.severity()).isEqualTo(Severity.WARNING);
    }

    @Test
    void resourceFailuresShouldBeUnavailable() {
        assertThat(ErrorTranslator.translate(new DataAccessResourceFailureException("down")).code())
            .isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(ErrorTranslator.translate(new TransientDataAccessResourceException("flaky")).code())
            .isEqualTo(ErrorCode.UNAVAILABLE);
    }

    @Test
    void connectionSqlStateShouldBeUnavailable() {
        assertThat(ErrorTranslator.translate(new SQLException("connection failure", "08006")).code())
            .isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(ErrorTranslator.translate(new RuntimeException(new SQLException("refused", "08001"))).code())
            .isEqualTo(ErrorCode.UNAVAILABLE);
    }

    @Test
    void brokerConnectionFailuresShouldBeUnavailable() {
        assertThat(ErrorTranslator.translate(new AmqpConnectException(new ConnectException("refused"))).code())
            .isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(ErrorTranslator.translate(new AmqpIOException(new IOException("broken pipe"))).code())
            .isEqualTo(ErrorCode.UNAVAILABLE);
    }

    @Test
    void queryTimeoutShouldBeDeadlineExceeded() {
        assertThat(ErrorTranslator.translate(new QueryTimeoutException("statement timeout")).code())
            .isEqualTo(ErrorCode.DEADLINE_EXCEEDED);
        StorefrontException cancelled = ErrorTranslator
            .translate(new SQLException("canceling statement due to statement timeout", "57014"));
        assertThat(cancelled.code()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED);
        assertThat(cancelled.retryable()).isTrue();
    }

    @Test
    void grpcStatusFromAStorefrontServiceShouldKeepItsCodeMessageViolationsAndContext() {
        StorefrontException remote = new StorefrontException(ErrorCode.INVALID_INPUT, "Invalid quantity")
            .withViolation("items[0].quantity", "must be positive")
            .withContext("productId", "p-1");
        StatusRuntimeException received = asReceived(GrpcErrors.toStatusException(remote, "product-service", false));

        StorefrontException error = ErrorTranslator.translate(received);

        assertThat(error.code()).isEqualTo(ErrorCode.INVALID_INPUT);
        assertThat(error.userMessage()).isEqualTo("Invalid quantity");
        assertThat(error.violations()).containsExactly(new FieldViolation("items[0].quantity", "must be positive"));
        assertThat(error.context()).containsEntry("productId", "p-1");
        assertThat(error.getCause()).isSameAs(received);
    }

    @Test
    void plainGrpcStatusShouldKeepItsCodeButNotItsText() {
        StorefrontException error = ErrorTranslator
            .translate(Status.UNAVAILABLE.withDescription("io exception: connection refused").asRuntimeException());
        assertThat(error.code()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(error.userMessage()).doesNotContain("connection refused");
        assertThat(error.details()).contains("connection refused");
        assertThat(error.retryable()).isTrue();
    }

    @Test
    void illegalArgumentShouldNotBeInvalidInputButInternal() {
        StorefrontException error = ErrorTranslator.translate(new IllegalArgumentException("page size -1"));
        assertThat(error.code()).isEqualTo(ErrorCode.INTERNAL_ERROR);
        assertThat(error.userMessage()).isEqualTo("An unexpected error occurred.");
    }

    @Test
    void unknownExceptionShouldBeInternalWithGenericMessageAndKeepTheCause() {
        IllegalStateException secret = new IllegalStateException("password=hunter2 for jdbc:postgresql://db/users");
        StorefrontException error = ErrorTranslator.translate(secret);
        assertThat(error.code()).isEqualTo(ErrorCode.INTERNAL_ERROR);
        assertThat(error.userMessage()).isEqualTo(ErrorTranslator.GENERIC_MESSAGE)
            .isEqualTo("An unexpected error occurred.");
        assertThat(error.details()).isNull();
        assertThat(error.context()).isEmpty();
        assertThat(error.retryable()).isFalse();
        assertThat(error.severity()).isEqualTo(Severity.ERROR);
        assertThat(error.getCause()).isSameAs(secret);
    }

    @Test
    void jvmErrorsShouldBeCritical() {
        assertThat(ErrorTranslator.translate(new OutOfMemoryError("heap")).severity()).isEqualTo(Severity.CRITICAL);
    }

    @Test
    void causeCyclesShouldNotLoopForever() {
        RuntimeException first = new RuntimeException("first");
        RuntimeException second = new RuntimeException("second", first);
        first.initCause(second);
        assertThat(ErrorTranslator.translate(second).code()).isEqualTo(ErrorCode.INTERNAL_ERROR);
    }

    private static StatusRuntimeException asReceived(io.grpc.StatusException sent) {
        return new StatusRuntimeException(sent.getStatus().withCause(null), sent.getTrailers());
    }

}
