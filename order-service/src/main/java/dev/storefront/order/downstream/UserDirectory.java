package dev.storefront.order.downstream;

import java.util.Optional;
import java.util.UUID;

import dev.storefront.api.user.v1.GetUserRequest;
import dev.storefront.api.user.v1.User;
import dev.storefront.api.user.v1.UserServiceGrpc.UserServiceBlockingStub;
import dev.storefront.errors.ErrorCode;
import dev.storefront.errors.StorefrontException;

/**
 * user-service as orders use it ({@code GetUser}, with order-service's service token), through a
 * {@link Downstream}: deadline, retries of transient failures, circuit breaker.
 */
public class UserDirectory {

    private final Downstream<UserServiceBlockingStub> users;

    UserDirectory(Downstream<UserServiceBlockingStub> users) {
        this.users = users;
    }

    /**
     * The user {@code id}, or empty when user-service has no such user (any more).
     * @throws StorefrontException when user-service cannot answer ({@code UNAVAILABLE}, {@code DEADLINE_EXCEEDED})
     */
    public Optional<UserContact> find(UUID id) {
        GetUserRequest request = GetUserRequest.newBuilder().setUserId(id.toString()).build();
        try {
            User user = this.users.call((stub) -> stub.getUser(request));
            return Optional.of(new UserContact(id, user.getName(), user.getEmail()));
        }
        catch (StorefrontException ex) {
            if (ex.code() == ErrorCode.NOT_FOUND) {
                return Optional.empty();
            }
            throw ex;
        }
    }

}
