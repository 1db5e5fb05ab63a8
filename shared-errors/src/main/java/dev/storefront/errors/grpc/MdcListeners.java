package dev.storefront.errors.grpc;

import java.util.function.Supplier;

import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.ServerCall;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * Keeps a value in the logging MDC while gRPC runs a call's code. gRPC runs a call's callbacks on
 * whichever thread is free, so an interceptor that wants a key (request id, user id) in every log line
 * of the call sets it around each callback with these helpers instead of once per thread.
 */
public final class MdcListeners {

    private MdcListeners() {
    }

    /** A listener that puts {@code key=value} in the MDC around each of {@code delegate}'s callbacks. */
    public static <ReqT> ServerCall.Listener<ReqT> withMdc(ServerCall.Listener<ReqT> delegate, String key, String value) {
        return new MdcListener<>(delegate, key, value);
    }

    /** Runs {@code action} with {@code key=value} in the MDC, restoring what was there before. */
    public static <T> T withMdc(String key, String value, Supplier<T> action) {
        @Nullable String previous = MDC.get(key);
        MDC.put(key, value);
        try {
            return action.get();
        }
        finally {
            if (previous != null) {
                MDC.put(key, previous);
            }
            else {
                MDC.remove(key);
            }
        }
    }

    private static final class MdcListener<ReqT> extends SimpleForwardingServerCallListener<ReqT> {

        private final String key;

        private final String value;

        MdcListener(ServerCall.Listener<ReqT> delegate, String key, String value) {
            super(delegate);
            this.key = key;
            this.value = value;
        }

        @Override
        public void onMessage(ReqT message) {
            run(() -> super.onMessage(message));
        }

        @Override
        public void onHalfClose() {
            run(super::onHalfClose);
        }

        @Override
        public void onCancel() {
            run(super::onCancel);
        }

        @Override
        public void onComplete() {
            run(super::onComplete);
        }

        @Override
        public void onReady() {
            run(super::onReady);
        }

        private void run(Runnable callback) {
            withMdc(this.key, this.value, () -> {
                callback.run();
                return null;
            });
        }

    }

}
