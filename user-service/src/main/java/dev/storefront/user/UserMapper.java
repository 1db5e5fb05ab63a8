package dev.storefront.user;

import java.time.Instant;

import com.google.protobuf.Timestamp;
import dev.storefront.api.user.v1.UserActivity;
import dev.storefront.user.activity.Activity;

/** Maps between the user records of this service and the messages of {@code storefront.user.v1}. */
final class UserMapper {

    private UserMapper() {
    }

    static dev.storefront.api.user.v1.User toProto(User user) {
        return dev.storefront.api.user.v1.User.newBuilder()
            .setId(user.id().toString())
            .setName(user.name())
            .setEmail(user.email())
            .addAllRoles(user.roles().stream().map(Role::wireName).toList())
            .setCreatedAt(timestamp(user.createdAt()))
            .setUpdatedAt(timestamp(user.updatedAt()))
            .build();
    }

    static UserActivity toProto(Activity activity) {
        return UserActivity.newBuilder()
            .setUserId(activity.userId().toString())
            .setActivityType(activity.type())
            .setResourceId(activity.resourceId())
            .setTimestamp(timestamp(activity.occurredAt()))
            .build();
    }

    static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

}
