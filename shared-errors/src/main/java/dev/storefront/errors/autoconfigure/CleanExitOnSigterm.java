package dev.storefront.errors.autoconfigure;

import sun.misc.Signal;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;

/**
 * Makes {@code SIGTERM} a normal stop for every service: the JVM runs its shutdown hooks (Spring closes
 * the context gracefully, bounded by {@code SHUTDOWN_TIMEOUT}) and exits with status 0 instead of 143,
 * so process supervisors and Kubernetes record a clean stop rather than a failure. Turned off with
 * {@code storefront.platform.clean-exit-on-sigterm=false}.
 */
class CleanExitOnSigterm implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

    private static volatile boolean installed;

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        if (installed || !event.getEnvironment()
            .getProperty("storefront.platform.clean-exit-on-sigterm", Boolean.class, true)) {
            return;
        }
        Signal.handle(new Signal("TERM"), (signal) -> System.exit(0));
        installed = true;
    }

}
