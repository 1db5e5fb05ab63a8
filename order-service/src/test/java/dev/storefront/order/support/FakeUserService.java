package dev.storefront.order.support;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.storefront.api.user.v1.GetUserRequest;
import dev.storefront.api.user.v1.User;
import dev.storefront.api.user.v1.UserServiceGrpc;
import dev.storefront.errors.ErrorCode;
import dev.storefront.errors.StorefrontException;
import io.grpc.stub.StreamObserver;

/**
 * Plays user-service's {@code GetUser} for order-service: every user id exists (name {@code Customer},
 * email {@code <id>@customers.example}) unless it was {@link #delete deleted}.
 */
public final class FakeUserService extends FakeServer {

    private final Set<String> deleted = ConcurrentHashMap.newKeySet();

    FakeUserService() {
        super("user-service");
        start(new UserServiceGrpc.UserServiceImplBase() {
            @Override
            public void getUser(GetUserRequest request, StreamObserver<User> responses) {
                record("GetUser", request);
                if (FakeUserService.this.deleted.contains(request.getUserId())) {
                    fail(responses, new StorefrontException(ErrorCode.NOT_FOUND, "User " + request.getUserId() + " does not exist"));
                    return;
                }
                responses.onNext(User.newBuilder()
                    .setId(request.getUserId())
                    .setName("Customer")
                    .setEmail(emailOf(request.getUserId()))
                    .addRoles("customer")
                    .build());
                responses.onCompleted();
            }
        });
    }

    /** The email address of a user. */
    public static String emailOf(Object userId) {
        return userId + "@customers.example";
    }

    /** The user no longer exists. */
    public void delete(Object userId) {
        this.deleted.add(userId.toString());
    }

    @Override
    public void reset() {
        super.reset();
        this.deleted.clear();
    }

}
