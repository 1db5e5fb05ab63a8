package dev.storefront.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

import dev.storefront.auth.refresh.InvalidRefreshToken;
import dev.storefront.auth.refresh.RefreshTokens;
import dev.storefront.auth.refresh.StoredRefreshToken;
import dev.storefront.auth.throttle.LoginThrottle;
import dev.storefront.auth.token.AccessToken;
import dev.storefront.auth.token.AccessTokens;
import dev.storefront.auth.users.UserDirectory;
import dev.storefront.auth.users.UserProfile;
import dev.storefront.errors.ErrorCode;
import dev.storefront.errors.FieldViolation;
import dev.storefront.errors.StorefrontException;
import dev.storefront.security.CurrentPrincipal;
import dev.storefront.security.Principal;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Service;

/**
 * The rules of authentication, shared by the gRPC and REST adapters: registration (retry-safe across
 * auth-service and user-service), sign-in with throttling, refresh-token rotation, sign-out and service
 * tokens. Passwords, tokens and secrets go into no message and no log line.
 */
@Service
class AuthService {

    static final int MIN_PASSWORD_LENGTH = 8;

    static final int MAX_PASSWORD_LENGTH = 128;

    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");

    private final CredentialRepository credentials;

    private final Passwords passwords;

    private final LoginThrottle throttle;

    private final RefreshTokens refreshTokens;

    private final AccessTokens accessTokens;

    private final UserDirectory users;

    private final ServiceClients serviceClients;

    private final AuthProperties properties;

    AuthService(CredentialRepository credentials, Passwords passwords, LoginThrottle throttle,
            RefreshTokens refreshTokens, AccessTokens accessTokens, UserDirectory users, ServiceClients serviceClients,
            AuthProperties properties) {
        this.credentials = credentials;
        this.passwords = passwords;
        this.throttle = throttle;
        this.refreshTokens = refreshTokens;
        this.accessTokens = accessTokens;
        this.users = users;
        this.serviceClients = serviceClients;
        this.properties = properties;
    }

    /** How long a pending registration belongs to whoever started it (and the same password). */
    static final Duration ABANDONED_AFTER = Duration.ofMinutes(15);

    /** Creates the account (profile in user-service, credential here) and signs it in. */
    Session register(Registration request) {
        List<FieldViolation> violations = new ArrayList<>();
        String name = validName(request.name(), violations);
        String email = validEmail(request.email(), violations);
        String password = validPassword(request.password(), violations);
        if (!violations.isEmpty()) {
            throw invalid(violations);
        }
        if (email.equals(normalizedEmail(this.properties.admin().email()))) {
            // The administrator's account is made by the start-up bootstrap only, never by a stranger.
            throw new EmailAlreadyRegistered(null);
        }
        return startSession(createAccount(name, email, password, List.of()));
    }

    /**
     * Creates an account, safe to retry: a PENDING credential with a fresh user id is written first, then
     * user-service creates the profile under that id (idempotent per id), and only then is the credential
     * ACTIVE. A failure in between leaves an inert pending row, never an account that can sign in. A
     * retry with the same password continues the pending registration; a pending row is handed to a
     * registration with another password only once it has been abandoned for {@link #ABANDONED_AFTER}.
     */
    UserProfile createAccount(String name, String email, String password, List<String> roles) {
        Claim claim = claimPendingCredential(email, password);
        UUID userId = claim.userId();
        String passwordHash = claim.passwordHash();
        UserProfile profile;
        try {
            profile = this.users.create(userId, name, email, roles);
        }
        catch (StorefrontException ex) {
            if (ex.code() == ErrorCode.ALREADY_EXISTS) {
                throw new EmailAlreadyRegistered(ex);
            }
            throw ex;
        }
        if (!this.credentials.activate(userId, passwordHash)) {
            // A concurrent registration of the same email took the pending credential over and finishes it.
            throw new EmailAlreadyRegistered(null);
        }
        return profile;
    }

    /** Whether a finished (ACTIVE) account has this normalized email. */
    boolean hasCredential(String email) {
        return this.credentials.findByEmail(email).filter((c) -> c.status() == CredentialStatus.ACTIVE).isPresent();
    }

    /** Checks the password, throttled per email, and starts a session with the user's current roles. */
    Session login(Login request) {
        String email = normalizedEmail(request.email());
        String password = (request.password() != null) ? request.password() : "";
        List<FieldViolation> violations = new ArrayList<>();
        if (email.isEmpty() || email.length() > 254) {
            violations.add(new FieldViolation("email", "must be an email address of at most 254 characters"));
        }
        if (password.isEmpty() || password.codePointCount(0, password.length()) > MAX_PASSWORD_LENGTH) {
            violations.add(new FieldViolation("password", "must be 1 to " + MAX_PASSWORD_LENGTH + " characters"));
        }
        if (!violations.isEmpty()) {
            throw invalid(violations);
        }
        this.throttle.begin(email);
        Credential credential = this.credentials.findByEmail(email)
            .filter((c) -> c.status() == CredentialStatus.ACTIVE)
            .orElse(null);
        boolean matches = (credential != null) ? this.passwords.matches(password, credential.passwordHash())
                : this.passwords.matchesNothing(password);
        if (credential == null || !matches) {
            throw new InvalidCredentials();
        }
        this.throttle.succeeded(email);
        UserProfile profile = this.users.find(credential.userId()).orElseThrow(InvalidCredentials::new);
        return startSession(profile);
    }

    /**
     * Trades a refresh token for a new session in the same family, with the user's current roles. A token
     * presented a second time revokes its whole family.
     */
    Session refresh(@Nullable String refreshToken) {
        String token = required("refreshToken", refreshToken);
        StoredRefreshToken stored = this.refreshTokens.find(token).orElseThrow(InvalidRefreshToken::new);
        if (!stored.usable()) {
            // Refuses it, and revokes the family when the token was used before.
            this.refreshTokens.rotate(token);
        }
        UserProfile profile = this.users.find(stored.userId()).orElse(null);
        if (profile == null) {
            this.refreshTokens.revokeFamily(stored.familyId());
            throw new InvalidRefreshToken();
        }
        String next = this.refreshTokens.rotate(token);
        return new Session(accessToken(profile), next, profile.id(), profile.roles());
    }

    /**
     * Ends the session of {@code refreshToken} (its whole family). Only its owner or an admin may; ending
     * an ended or unknown session succeeds.
     */
    void logout(@Nullable String refreshToken) {
        Principal caller = CurrentPrincipal.get();
        String token = required("refreshToken", refreshToken);
        this.refreshTokens.find(token).ifPresent((stored) -> {
            if (!caller.isAdmin() && !caller.subject().equals(stored.userId().toString())) {
                throw new NotSessionOwner();
            }
            this.refreshTokens.revokeFamily(stored.familyId());
        });
    }

    /** A short-lived token with the service role for a known service client. */
    AccessToken issueServiceToken(ClientCredentials request) {
        String clientId = (request.clientId() != null) ? request.clientId().strip() : "";
        String secret = (request.clientSecret() != null) ? request.clientSecret() : "";
        if (!this.serviceClients.authenticate(clientId, secret)) {
            throw new InvalidClientCredentials();
        }
        return this.accessTokens.issue(clientId, List.of(Principal.SERVICE), this.properties.serviceTokenExpiry());
    }

    private Session startSession(UserProfile profile) {
        AccessToken access = accessToken(profile);
        String refresh = this.refreshTokens.start(profile.id());
        return new Session(access, refresh, profile.id(), profile.roles());
    }

    private AccessToken accessToken(UserProfile profile) {
        return this.accessTokens.issue(profile.id().toString(), profile.roles(), this.properties.tokenExpiry());
    }

    private Claim claimPendingCredential(String email, String password) {
        String passwordHash = this.passwords.hash(password);
        for (int attempt = 0; attempt < 3; attempt++) {
            Credential existing = this.credentials.findByEmail(email).orElse(null);
            if (existing == null) {
                UUID userId = UUID.randomUUID();
                if (this.credentials.insertPending(userId, email, passwordHash)) {
                    return new Claim(userId, passwordHash);
                }
            }
            else if (existing.status() == CredentialStatus.ACTIVE) {
                throw new EmailAlreadyRegistered(null);
            }
            else if (this.passwords.matches(password, existing.passwordHash())) {
                // The same person retrying: continue their registration as it stands.
                return new Claim(existing.userId(), existing.passwordHash());
            }
            else if (existing.updatedAt().isAfter(Instant.now().minus(ABANDONED_AFTER))) {
                throw new EmailAlreadyRegistered(null);
            }
            else if (this.credentials.takeOverPending(existing.userId(), existing.passwordHash(), passwordHash)) {
                return new Claim(existing.userId(), passwordHash);
            }
            // Another registration of this email changed the row in between: look again.
        }
        throw new EmailAlreadyRegistered(null);
    }

    /** The pending credential a registration continues: its user id and the hash it must still hold. */
    private record Claim(UUID userId, String passwordHash) {

        @Override
        public String toString() {
            return "Claim[userId=" + this.userId + "]";
        }

    }

    static String normalizedEmail(@Nullable String raw) {
        return (raw != null) ? raw.strip().toLowerCase(Locale.ROOT) : "";
    }

    private static String required(String field, @Nullable String value) {
        if (value == null || value.isBlank()) {
            throw StorefrontException.invalidField(field, "is required");
        }
        return value;
    }

    private static String validName(@Nullable String raw, List<FieldViolation> violations) {
        String name = (raw != null) ? raw.strip() : "";
        if (name.isEmpty() || name.codePointCount(0, name.length()) > 100) {
            violations.add(new FieldViolation("name", "must be 1 to 100 characters"));
        }
        return name;
    }

    private static String validEmail(@Nullable String raw, List<FieldViolation> violations) {
        String email = normalizedEmail(raw);
        if (email.isEmpty() || email.length() > 254 || !EMAIL.matcher(email).matches()) {
            violations.add(new FieldViolation("email", "must be a valid email address of at most 254 characters"));
        }
        return email;
    }

    private static String validPassword(@Nullable String raw, List<FieldViolation> violations) {
        String password = (raw != null) ? raw : "";
        int length = password.codePointCount(0, password.length());
        if (length < MIN_PASSWORD_LENGTH || length > MAX_PASSWORD_LENGTH) {
            violations.add(new FieldViolation("password",
                    "must be " + MIN_PASSWORD_LENGTH + " to " + MAX_PASSWORD_LENGTH + " characters"));
        }
        return password;
    }

    private static StorefrontException invalid(List<FieldViolation> violations) {
        return new StorefrontException(ErrorCode.INVALID_INPUT, "The request has invalid fields")
            .withViolations(violations);
    }

}
