package dev.storefront.errors;

import io.grpc.Status;

/**
 * The platform's one set of error codes. Each code fixes how it travels over REST (HTTP status) and
 * gRPC (status code), and whether a caller may retry it.
 */
public enum ErrorCode {

    INVALID_INPUT(400, Status.Code.INVALID_ARGUMENT, false, "Invalid input"),
    UNAUTHENTICATED(401, Status.Code.UNAUTHENTICATED, false, "Unauthenticated"),
    PERMISSION_DENIED(403, Status.Code.PERMISSION_DENIED, false, "Permission denied"),
    NOT_FOUND(404, Status.Code.NOT_FOUND, false, "Not found"),
    ALREADY_EXISTS(409, Status.Code.ALREADY_EXISTS, false, "Already exists"),
    FAILED_PRECONDITION(409, Status.Code.FAILED_PRECONDITION, false, "Failed precondition"),
    RATE_LIMITED(429, Status.Code.RESOURCE_EXHAUSTED, true, "Rate limited"),
    UNAVAILABLE(503, Status.Code.UNAVAILABLE, true, "Service unavailable"),
    DEADLINE_EXCEEDED(504, Status.Code.DEADLINE_EXCEEDED, true, "Deadline exceeded"),
    INTERNAL_ERROR(500, Status.Code.INTERNAL, false, "Internal error");

    private final int httpStatus;

    private final Status.Code grpcCode;

    private final boolean transientByDefault;

    private final String title;

    ErrorCode(int httpStatus, Status.Code grpcCode, boolean transientByDefault, String title) {
        this.httpStatus = httpStatus;
        this.grpcCode = grpcCode;
        this.transientByDefault = transientByDefault;
        this.title = title;
    }

    public int httpStatus() {
        return this.httpStatus;
    }

    public Status.Code grpcCode() {
        return this.grpcCode;
    }

    /** Whether an error with this code is, unless said otherwise, worth retrying. */
    public boolean transientByDefault() {
        return this.transientByDefault;
    }

    /** Short human title, the {@code title} of a problem document. */
    public String title() {
        return this.title;
    }

    /**
     * A sentence safe to show any user for this code, used when an error comes from a place that
     * cannot be trusted to have written one (infrastructure exceptions, foreign gRPC statuses).
     */
    public String defaultMessage() {
        return switch (this) {
            case INVALID_INPUT -> "The request is invalid.";
            case UNAUTHENTICATED -> "Authentication is required.";
            case PERMISSION_DENIED -> "You are not allowed to do this.";
            case NOT_FOUND -> "The requested resource was not found.";
            case ALREADY_EXISTS -> "The resource already exists.";
            case FAILED_PRECONDITION -> "The request cannot be applied in the current state.";
            case RATE_LIMITED -> "Too many requests. Please retry later.";
            case UNAVAILABLE -> "The service is temporarily unavailable. Please retry later.";
            case DEADLINE_EXCEEDED -> "The operation took too long to complete. Please retry later.";
            case INTERNAL_ERROR -> "An unexpected error occurred.";
        };
    }

    /** The code whose gRPC status is {@code code}; codes with no direct match map to the closest one. */
    public static ErrorCode fromGrpc(Status.Code code) {
        return switch (code) {
            case INVALID_ARGUMENT, OUT_OF_RANGE -> INVALID_INPUT;
            case UNAUTHENTICATED -> UNAUTHENTICATED;
            case PERMISSION_DENIED -> PERMISSION_DENIED;
            case NOT_FOUND -> NOT_FOUND;
            case ALREADY_EXISTS -> ALREADY_EXISTS;
            case FAILED_PRECONDITION, ABORTED -> FAILED_PRECONDITION;
            case RESOURCE_EXHAUSTED -> RATE_LIMITED;
            case UNAVAILABLE -> UNAVAILABLE;
            case DEADLINE_EXCEEDED, CANCELLED -> DEADLINE_EXCEEDED;
            default -> INTERNAL_ERROR;
        };
    }

    /** The code named {@code name}, or {@code null} when no code has that name. */
    public static @org.jspecify.annotations.Nullable ErrorCode fromName(@org.jspecify.annotations.Nullable String name) {
        if (name == null) {
            return null;
        }
        for (ErrorCode code : values()) {
            if (code.name().equals(name)) {
                return code;
            }
        }
        return null;
    }

}
