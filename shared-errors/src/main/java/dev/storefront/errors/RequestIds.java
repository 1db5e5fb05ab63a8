package dev.storefront.errors;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

import io.grpc.Context;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * The id that ties together every log line and error answer of one request, across REST and gRPC.
 * A caller's id ({@code X-Request-Id} header, {@code x-request-id} metadata) is kept when it is
 * 1 to 128 characters of {@code [A-Za-z0-9._-]}; otherwise a new random (version 4) UUID is used. The boundaries put it
 * in the logging MDC under {@value #MDC_KEY} and echo it in the response.
 */
public final class RequestIds {

    /** The HTTP header carrying the id (gRPC uses the same name in lower case as metadata key). */
    public static final String HEADER = "X-Request-Id";

    /** The MDC key holding the id while a request is handled. */
    public static final String MDC_KEY = "requestId";

    /** The gRPC context entry holding the id; gRPC switches threads, the context follows the call. */
    public static final Context.Key<String> GRPC_CONTEXT_KEY = Context.key("storefront-request-id");

    private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    private RequestIds() {
    }

    /** The id of the request being handled on this thread, or {@code ""} when there is none. */
    public static String current() {
        String id = MDC.get(MDC_KEY);
        if (id != null && !id.isEmpty()) {
            return id;
        }
        id = GRPC_CONTEXT_KEY.get();
        return (id != null) ? id : "";
    }

    /** Whether {@code candidate} is acceptable as a request id from a caller. */
    public static boolean isAcceptable(@Nullable String candidate) {
        return candidate != null && ACCEPTED.matcher(candidate).matches();
    }

    /** {@code candidate} when it is acceptable, otherwise a new random id. */
    public static String acceptOrGenerate(@Nullable String candidate) {
        return (candidate != null && isAcceptable(candidate)) ? candidate : newId();
    }

    /**
     * A new version 4 UUID from {@link ThreadLocalRandom}. A request id ties log lines together and is no secret,
     * so it needs no {@link java.security.SecureRandom}, whose shared lock on the system's random source was 5 % of
     * a cached gRPC read's profile samples ({@link UUID#randomUUID()}; docs/performance.md).
     */
    static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }

}
