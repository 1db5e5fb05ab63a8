package dev.storefront.errors;

import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * Reads the UUIDs callers send as ids, so every service answers a missing or malformed id the same way:
 * an {@link ErrorCode#INVALID_INPUT} field violation ("is required", "must be a UUID").
 */
public final class Uuids {

    private Uuids() {
    }

    /** The UUID in {@code value}, or {@code null} after adding a violation of {@code field} to {@code violations}. */
    public static @Nullable UUID parse(String field, @Nullable String value, List<FieldViolation> violations) {
        if (value == null || value.isBlank()) {
            violations.add(new FieldViolation(field, "is required"));
            return null;
        }
        try {
            return UUID.fromString(value.strip());
        }
        catch (IllegalArgumentException ex) {
            violations.add(new FieldViolation(field, "must be a UUID"));
            return null;
        }
    }

    /** The UUID in {@code value}; fails with {@code INVALID_INPUT} naming {@code field} otherwise. */
    public static UUID parse(String field, @Nullable String value) {
        List<FieldViolation> violations = new java.util.ArrayList<>();
        UUID id = parse(field, value, violations);
        if (id == null) {
            FieldViolation violation = violations.get(0);
            throw StorefrontException.invalidField(violation.field(), violation.description());
        }
        return id;
    }

}
