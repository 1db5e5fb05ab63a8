package dev.storefront.auth.users;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import dev.storefront.api.user.v1.CreateUserRequest;
import dev.storefront.api.user.v1.GetUserRequest;
import dev.storefront.api.user.v1.User;
import dev.storefront.api.user.v1.UserServiceGrpc;
import dev.storefront.api.user.v1.UserServiceGrpc.UserServiceBlockingStub;
import dev.storefront.auth.AuthProperties;
import dev.storefront.errors.ErrorCode;
import dev.storefront.errors.RetryPolicy;
import dev.storefront.errors.StorefrontException;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

import org.springframework.stereotype.Component;

/**
 * user-service as auth-service uses it, over gRPC: every call has a deadline and is retried on
 * transient failures; errors arrive as the structured errors user-service raised. Calls carry the
 * service token of auth-service (added by the security client interceptor).
 */
@Component
public class UserDirectory {

    private final ManagedChannel channel;

    private final UserServiceBlockingStub users;

    private final long deadlineMillis;

    private final RetryPolicy retry = RetryPolicy.transientErrors();

    UserDirectory(ManagedChannel userServiceChannel, AuthProperties properties) {
        this.channel = userServiceChannel;
        this.users = UserServiceGrpc.newBlockingStub(userServiceChannel);
        this.deadlineMillis = properties.userService().deadline().toMillis();
    }

    /**
     * Creates the profile of user {@code id}, or returns it when an earlier attempt already did (the
     * id makes the call idempotent). Empty {@code roles} means user-service's default.
     */
    public UserProfile create(UUID id, String name, String email, List<String> roles) {
        CreateUserRequest request = CreateUserRequest.newBuilder()
            .setUserId(id.toString())
            .setName(name)
            .setEmail(email)
            .addAllRoles(roles)
            .build();
        return profile(this.retry.call(() -> call(() -> stub().createUser(request))));
    }

    /** The profile of user {@code id}, or empty when user-service has no such user (any more). */
    public Optional<UserProfile> find(UUID id) {
        GetUserRequest request = GetUserRequest.newBuilder().setUserId(id.toString()).build();
        try {
            return Optional.of(profile(this.retry.call(() -> call(() -> stub().getUser(request)))));
        }
        catch (StorefrontException ex) {
            if (ex.code() == ErrorCode.NOT_FOUND) {
                return Optional.empty();
            }
            throw ex;
        }
    }

    /**
     * Waits for the channel (within the deadline) rather than failing at once while it reconnects, and
     * skips gRPC's reconnect backoff (which grows to minutes) whenever the channel is failing: before a
     * call, so a user-service that came up while the channel was backing off (auth-service's bootstrap
     * may have tried before user-service started) is used at once instead of after the backoff, and
     * after an UNAVAILABLE answer.
     */
    private UserServiceBlockingStub stub() {
        if (this.channel.getState(false) == ConnectivityState.TRANSIENT_FAILURE) {
            this.channel.resetConnectBackoff();
        }
        return this.users.withWaitForReady().withDeadlineAfter(this.deadlineMillis, TimeUnit.MILLISECONDS);
    }

    private <T> T call(Supplier<T> call) {
        try {
            return call.get();
        }
        catch (StatusRuntimeException ex) {
            if (ex.getStatus().getCode() == Status.Code.UNAVAILABLE) {
                this.channel.resetConnectBackoff();
            }
            throw ex;
        }
    }

    private static UserProfile profile(User user) {
        return new UserProfile(UUID.fromString(user.getId()), user.getRolesList());
    }

}
