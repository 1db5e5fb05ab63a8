package dev.storefront.gateway.ratelimit;

/**
 * One client's token bucket: it holds up to {@code capacity} tokens, refills at {@code tokensPerSecond}, and
 * each request takes one token.
 */
final class TokenBucket {

    private static final double NANOS_PER_SECOND = 1_000_000_000d;

    private final double capacity;

    private final double tokensPerNano;

    private double tokens;

    private long refilledAt;

    TokenBucket(double capacity, double tokensPerSecond, long now) {
        this.capacity = capacity;
        this.tokensPerNano = tokensPerSecond / NANOS_PER_SECOND;
        this.tokens = capacity;
        this.refilledAt = now;
    }

    /**
     * Takes a token at {@code now} (nanoTime) if there is one.
     * @return 0 when a token was taken, otherwise the nanoseconds until one will be there
     */
    synchronized long tryTake(long now) {
        long elapsed = Math.max(0, now - this.refilledAt);
        this.tokens = Math.min(this.capacity, this.tokens + elapsed * this.tokensPerNano);
        this.refilledAt = now;
        if (this.tokens >= 1) {
            this.tokens -= 1;
            return 0;
        }
        return Math.max(1, (long) Math.ceil((1 - this.tokens) / this.tokensPerNano));
    }

}
