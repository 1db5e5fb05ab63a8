package dev.storefront.errors;

/**
 * One invalid field of a request: which field (a dotted path such as {@code items[0].quantity}) and
 * what is wrong with it, in words a user can act on.
 */
public record FieldViolation(String field, String description) {
}
