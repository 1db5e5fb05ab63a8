package dev.storefront.user.activity;

import java.time.Instant;
import java.util.UUID;

/** One thing that happened to or was done by a user, as reported by an event of any service. */
public record Activity(UUID userId, String type, String resourceId, Instant occurredAt) {
}
