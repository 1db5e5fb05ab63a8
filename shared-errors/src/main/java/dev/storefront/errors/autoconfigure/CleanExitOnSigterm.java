package dev.storefront.errors.autoconfigure;

import java.time.Duration;

import sun.misc.Signal;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationListener;

/**
 * Makes {@code SIGTERM} a normal, bounded stop for every service. The JVM runs its shutdown hooks
 * (Spring closes the context gracefully: HTTP, gRPC, listeners) and exits with status 0 instead of 143,
 * so process supervisors and Kubernetes record a clean stop rather than a failure. Spring bounds each
 * shutdown phase on its own; a watchdog bounds the whole: a stop that takes longer than
 * {@code storefront.platform.shutdown-timeout} ({@code SHUTDOWN_TIMEOUT}) ends the process with status 1.
 * Turned off with {@code storefront.platform.clean-exit-on-sigterm=false}.
 */
class CleanExitOnSigterm implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private static volatile boolean installed;

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        if (installed || !event.getEnvironment()
            .getProperty("storefront.platform.clean-exit-on-sigterm", Boolean.class, true)) {
            return;
        }
        Duration timeout = Binder.get(event.getEnvironment())
            .bind("storefront.platform.shutdown-timeout", Duration.class)
            .orElse(DEFAULT_TIMEOUT);
        Signal.handle(new Signal("TERM"), (signal) -> {
            startWatchdog(timeout);
            System.exit(0);
        });
        installed = true;
    }

    private static void startWatchdog(Duration timeout) {
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(timeout.toMillis());
            }
            catch (InterruptedException ex) {
                return;
            }
            System.err.println("Graceful shutdown did not finish within " + timeout + " (SHUTDOWN_TIMEOUT): stopping now");
            Runtime.getRuntime().halt(1);
        }, "shutdown-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

}
