package dev.storefront.security.paging;

import java.time.Instant;
import java.util.UUID;

/** Position in a keyset ordering: the sort key of the last row seen and its id as tie-breaker. */
public record Cursor(Instant sortKey, UUID id) {
}
