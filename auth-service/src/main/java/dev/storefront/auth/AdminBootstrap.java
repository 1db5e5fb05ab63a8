package dev.storefront.auth;

import java.time.Duration;
import java.util.List;

import dev.storefront.errors.ErrorTranslator;
import dev.storefront.errors.StorefrontException;
import dev.storefront.security.Principal;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Registers the administrator ({@code ADMIN_EMAIL} / {@code ADMIN_PASSWORD}, role {@code admin}) when no
 * credential has that email yet. It runs in the background after start-up and retries with growing pauses
 * while user-service is not reachable (it may start later), so it never holds up readiness; success is
 * logged once.
 */
@Component
class AdminBootstrap implements DisposableBean {

    static final String ADMIN_NAME = "Administrator";

    static final Duration FIRST_PAUSE = Duration.ofMillis(500);

    static final Duration LONGEST_PAUSE = Duration.ofSeconds(10);

    private static final Logger logger = LoggerFactory.getLogger(AdminBootstrap.class);

    private final AuthService auth;

    private final @Nullable String email;

    private final @Nullable String password;

    private volatile @Nullable Thread worker;

    AdminBootstrap(AuthService auth, AuthProperties properties) {
        this.auth = auth;
        this.email = properties.admin().email();
        this.password = properties.admin().password();
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        if (this.email == null || this.email.isBlank()) {
            logger.info("ADMIN_EMAIL is empty: no administrator is registered at start-up");
            return;
        }
        int length = (this.password != null) ? this.password.codePointCount(0, this.password.length()) : 0;
        if (length < AuthService.MIN_PASSWORD_LENGTH || length > AuthService.MAX_PASSWORD_LENGTH) {
            logger.error("ADMIN_PASSWORD must be {} to {} characters: the administrator is not registered",
                    AuthService.MIN_PASSWORD_LENGTH, AuthService.MAX_PASSWORD_LENGTH);
            return;
        }
        Thread thread = new Thread(() -> run(AuthService.normalizedEmail(this.email), this.password), "admin-bootstrap");
        thread.setDaemon(true);
        this.worker = thread;
        thread.start();
    }

    private void run(String adminEmail, String adminPassword) {
        Duration pause = FIRST_PAUSE;
        boolean waitingLogged = false;
        while (!Thread.currentThread().isInterrupted()) {
            try {
                if (this.auth.hasCredential(adminEmail)) {
                    logger.debug("The administrator account exists already");
                    return;
                }
                this.auth.createAccount(ADMIN_NAME, adminEmail, adminPassword, List.of(Principal.ADMIN));
                logger.info("Registered the administrator account (ADMIN_EMAIL) with the admin role");
                return;
            }
            catch (EmailAlreadyRegistered ex) {
                if (!this.auth.hasCredential(adminEmail)) {
                    logger.warn("Cannot register the administrator: user-service has a profile with ADMIN_EMAIL "
                            + "that has no credential here");
                }
                return;
            }
            catch (RuntimeException ex) {
                StorefrontException error = ErrorTranslator.translate(ex);
                if (!error.retryable()) {
                    logger.warn("Cannot register the administrator: {} {}", error.code(), error.userMessage());
                    return;
                }
                if (!waitingLogged) {
                    logger.info("Administrator not registered yet ({}): retrying in the background until "
                            + "user-service answers", error.code());
                    waitingLogged = true;
                }
            }
            if (!sleep(pause)) {
                return;
            }
            pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
        }
    }

    private static boolean sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
            return true;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void destroy() {
        Thread thread = this.worker;
        if (thread != null) {
            thread.interrupt();
        }
    }

}
