package dev.storefront.errors;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

import dev.storefront.errors.grpc.GrpcErrors;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import org.jspecify.annotations.Nullable;

/**
 * Turns any exception into the platform's structured error, once, at the boundary. Infrastructure
 * failures (database, broker, downstream gRPC) get the code a caller can act on; anything unknown
 * becomes {@link ErrorCode#INTERNAL_ERROR} with a generic message, the original kept only as the
 * cause for the log. Optional libraries (JDBC, AMQP) are recognised by class name, so this works
 * whether or not they are on the classpath.
 */
public final class ErrorTranslator {

    /** The user message of every error nobody translated on purpose. */
    public static final String GENERIC_MESSAGE = ErrorCode.INTERNAL_ERROR.defaultMessage();

    private static final int MAX_CAUSES = 32;

    private static final String DAO = "org.springframework.dao.";

    private static final String DUPLICATE_KEY = DAO + "DuplicateKeyException";

    private static final String DATA_INTEGRITY_VIOLATION = DAO + "DataIntegrityViolationException";

    private static final String QUERY_TIMEOUT = DAO + "QueryTimeoutException";

    private static final List<String> UNAVAILABLE_TYPES = List.of(
            "org.springframework.jdbc.CannotGetJdbcConnectionException",
            DAO + "DataAccessResourceFailureException",
            DAO + "TransientDataAccessResourceException",
            "org.springframework.amqp.AmqpConnectException",
            "org.springframework.amqp.AmqpIOException");

    private ErrorTranslator() {
    }

    /**
     * The structured error for {@code throwable}: a {@link StorefrontException} found in it or its
     * causes as is, a known infrastructure failure with its code, otherwise an internal error.
     */
    public static StorefrontException translate(Throwable throwable) {
        List<Throwable> chain = causes(throwable);
        for (Throwable candidate : chain) {
            if (candidate instanceof StorefrontException structured) {
                return structured;
            }
        }
        String sqlState = sqlState(chain);
        for (Throwable candidate : chain) {
            StorefrontException known = translateKnown(candidate, sqlState, throwable);
            if (known != null) {
                return known;
            }
        }
        StorefrontException unknown = new StorefrontException(ErrorCode.INTERNAL_ERROR, GENERIC_MESSAGE, throwable);
        return (throwable instanceof Error) ? unknown.withSeverity(Severity.CRITICAL) : unknown;
    }

    private static @Nullable StorefrontException translateKnown(Throwable candidate, @Nullable String sqlState,
            Throwable original) {
        if (candidate instanceof StatusRuntimeException || candidate instanceof StatusException) {
            return GrpcErrors.fromStatus(candidate);
        }
        if (isA(candidate, DUPLICATE_KEY)) {
            return infrastructure(ErrorCode.ALREADY_EXISTS, candidate, sqlState, original);
        }
        if (isA(candidate, DATA_INTEGRITY_VIOLATION)) {
            ErrorCode code = codeForSqlState(sqlState);
            return (code != null) ? infrastructure(code, candidate, sqlState, original) : null;
        }
        if (isA(candidate, QUERY_TIMEOUT) || candidate instanceof SQLTimeoutException) {
            return infrastructure(ErrorCode.DEADLINE_EXCEEDED, candidate, sqlState, original);
        }
        for (String type : UNAVAILABLE_TYPES) {
            if (isA(candidate, type)) {
                return infrastructure(ErrorCode.UNAVAILABLE, candidate, sqlState, original);
            }
        }
        if (candidate instanceof SQLTransientConnectionException
                || candidate instanceof SQLNonTransientConnectionException) {
            return infrastructure(ErrorCode.UNAVAILABLE, candidate, sqlState, original);
        }
        if (candidate instanceof SQLException sql) {
            ErrorCode code = codeForSqlState(sql.getSQLState());
            return (code != null) ? infrastructure(code, candidate, sql.getSQLState(), original) : null;
        }
        return null;
    }

    /**
     * The code for a PostgreSQL / SQL standard state: unique violation, foreign key or check
     * violation, connection failures and server shutdowns, statement cancelled by timeout, and
     * serialization failures or deadlocks (which a retried transaction can get past).
     */
    private static @Nullable ErrorCode codeForSqlState(@Nullable String sqlState) {
        if (sqlState == null) {
            return null;
        }
        if (sqlState.startsWith("08")) {
            return ErrorCode.UNAVAILABLE;
        }
        return switch (sqlState) {
            case "23505" -> ErrorCode.ALREADY_EXISTS;
            case "23503", "23514" -> ErrorCode.FAILED_PRECONDITION;
            case "57014" -> ErrorCode.DEADLINE_EXCEEDED;
            case "40001", "40P01", "53300", "57P01", "57P02", "57P03" -> ErrorCode.UNAVAILABLE;
            default -> null;
        };
    }

    private static StorefrontException infrastructure(ErrorCode code, Throwable matched, @Nullable String sqlState,
            Throwable original) {
        String details = "Translated from " + matched.getClass().getName()
                + ((sqlState != null) ? " (SQLState " + sqlState + ")" : "");
        return new StorefrontException(code, code.defaultMessage(), original).withDetails(details);
    }

    private static @Nullable String sqlState(List<Throwable> chain) {
        for (Throwable candidate : chain) {
            if (candidate instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return null;
    }

    /** Whether {@code throwable} is an instance of the class named {@code typeName}, without loading it. */
    static boolean isA(Throwable throwable, String typeName) {
        for (Class<?> type = throwable.getClass(); type != null; type = type.getSuperclass()) {
            if (type.getName().equals(typeName)) {
                return true;
            }
        }
        return false;
    }

    /** {@code throwable} and its causes, outermost first, each once. */
    static List<Throwable> causes(Throwable throwable) {
        List<Throwable> chain = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable current = throwable; current != null && chain.size() < MAX_CAUSES
                && seen.add(current); current = current.getCause()) {
            chain.add(current);
        }
        return chain;
    }

}
