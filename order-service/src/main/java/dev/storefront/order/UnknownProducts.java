package dev.storefront.order;

import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.storefront.errors.ErrorCode;
import dev.storefront.errors.FieldViolation;
import dev.storefront.errors.StorefrontException;

/**
 * Some products of the order do not exist: product-service's {@code NOT_FOUND}, with its message and its
 * {@code missingProductIds}, and violations named after the order's fields ({@code items[i].productId}
 * instead of product-service's {@code productIds[i]}).
 */
class UnknownProducts extends StorefrontException {

    static final String MISSING = "missingProductIds";

    private static final Pattern BATCH_FIELD = Pattern.compile("productIds\\[(\\d+)]");

    UnknownProducts(StorefrontException fromCatalog, List<UUID> requested) {
        super(ErrorCode.NOT_FOUND, fromCatalog.userMessage(), fromCatalog);
        withDetails(fromCatalog.details());
        Object missing = fromCatalog.context().get(MISSING);
        withPublicContext(MISSING, (missing != null) ? missing
                : requested.stream().map(UUID::toString).collect(Collectors.joining(",")));
        for (FieldViolation violation : fromCatalog.violations()) {
            Matcher field = BATCH_FIELD.matcher(violation.field());
            withViolation(field.matches() ? "items[" + field.group(1) + "].productId" : violation.field(),
                    violation.description());
        }
    }

}
