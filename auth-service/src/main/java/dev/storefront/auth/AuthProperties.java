package dev.storefront.auth;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.hibernate.validator.constraints.time.DurationMin;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of auth-service, bound from {@code storefront.auth.*} (env names in {@code application.yaml}).
 * Secrets ({@code signingKey}, {@code serviceClients}, {@code admin.password}) carry no bean-validation
 * constraint on purpose: a failed constraint prints the rejected value, so they are checked by the code
 * that reads them ({@code SigningKeys}, {@code ServiceClients}) with messages that name only the variable.
 * @param issuer the {@code iss} of every token ({@code AUTH_ISSUER})
 * @param audience the {@code aud} of every token ({@code AUTH_AUDIENCE})
 * @param tokenExpiry how long an access token is valid ({@code TOKEN_EXPIRY})
 * @param refreshTokenExpiry how long a refresh token is valid ({@code REFRESH_TOKEN_EXPIRY})
 * @param serviceTokenExpiry how long a service token is valid ({@code SERVICE_TOKEN_EXPIRY})
 * @param signingKey PEM PKCS#8 RSA private key that signs tokens ({@code JWT_SIGNING_KEY}, a Secret);
 * empty in development means a key generated at start-up
 * @param previousPublicKeys PEM public keys of earlier signing keys, still published
 * ({@code JWT_PREVIOUS_PUBLIC_KEYS})
 * @param serviceClients {@code id=secret,id=secret} of the services that may ask for service tokens
 * ({@code SERVICE_CLIENTS}, a Secret)
 * @param admin the administrator registered at start-up
 * @param login throttling of failed logins
 * @param userService calls to user-service
 */
@Validated
@ConfigurationProperties("storefront.auth")
public record AuthProperties(@NotBlank String issuer, @NotBlank String audience,
        @NotNull @DurationMin(seconds = 1) Duration tokenExpiry,
        @NotNull @DurationMin(seconds = 1) Duration refreshTokenExpiry,
        @NotNull @DurationMin(seconds = 1) Duration serviceTokenExpiry, @Nullable String signingKey,
        @Nullable String previousPublicKeys, @Nullable String serviceClients, @Valid @NotNull Admin admin,
        @Valid @NotNull Login login, @Valid @NotNull UserService userService) {

    /** Never prints a secret, whoever logs these settings. */
    @Override
    public String toString() {
        return "AuthProperties[issuer=" + this.issuer + ", audience=" + this.audience + ", tokenExpiry="
                + this.tokenExpiry + ", refreshTokenExpiry=" + this.refreshTokenExpiry + ", serviceTokenExpiry="
                + this.serviceTokenExpiry + ", signingKey=<hidden>, serviceClients=<hidden>, admin=" + this.admin
                + ", login=" + this.login + ", userService=" + this.userService + "]";
    }

    /**
     * @param email the administrator's email ({@code ADMIN_EMAIL}, a Secret); empty turns the bootstrap off
     * @param password the administrator's password ({@code ADMIN_PASSWORD}, a Secret)
     */
    public record Admin(@Nullable @Email String email, @Nullable String password) {

        @Override
        public String toString() {
            return "Admin[email=<hidden>, password=<hidden>]";
        }

    }

    /**
     * @param maxFailures failed logins of one email within {@code failureWindow} after which further
     * attempts are refused ({@code LOGIN_MAX_FAILURES})
     * @param failureWindow how far back failures count ({@code LOGIN_FAILURE_WINDOW})
     */
    public record Login(@Min(1) @Max(1000) int maxFailures, @NotNull @DurationMin(seconds = 1) Duration failureWindow) {
    }

    /**
     * @param deadline the deadline of each call to user-service ({@code USER_SERVICE_DEADLINE})
     */
    public record UserService(@NotNull @DurationMin(millis = 1) Duration deadline) {
    }

}
