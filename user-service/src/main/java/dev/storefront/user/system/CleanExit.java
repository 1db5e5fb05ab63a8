package dev.storefront.user.system;

import sun.misc.Signal;

/**
 * Makes {@code SIGTERM} a normal stop: the JVM runs its shutdown hooks (Spring closes the context
 * gracefully within {@code SHUTDOWN_TIMEOUT}) and exits with status 0 instead of 143, so process
 * supervisors and Kubernetes record a clean stop rather than a failure.
 */
public final class CleanExit {

    private CleanExit() {
    }

    public static void onSigterm() {
        Signal.handle(new Signal("TERM"), (signal) -> System.exit(0));
    }

}
