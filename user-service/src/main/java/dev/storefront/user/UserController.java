package dev.storefront.user;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Instant;
import java.util.List;

import dev.storefront.user.activity.Activity;
import dev.storefront.user.activity.Subscription;
import org.jspecify.annotations.Nullable;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** The REST adapter of the user feature ({@code /v1/users}); every rule lives in {@link UserService}. */
@RestController
@RequestMapping("/v1/users")
class UserController {

    private final UserService users;

    UserController(UserService users) {
        this.users = users;
    }

    @GetMapping
    UserPageResource list(@RequestParam(defaultValue = "0") int pageSize,
            @RequestParam(defaultValue = "") String pageToken) {
        UserPage page = this.users.list(pageSize, pageToken);
        return new UserPageResource(page.users().stream().map(UserResource::of).toList(), page.nextPageToken());
    }

    @GetMapping("/me")
    UserResource me() {
        return UserResource.of(this.users.me());
    }

    @GetMapping("/{id}")
    UserResource get(@PathVariable String id) {
        return UserResource.of(this.users.get(id));
    }

    @PostMapping
    ResponseEntity<UserResource> create(@RequestBody NewUser request) {
        User user = this.users.create(request);
        return ResponseEntity.created(URI.create("/v1/users/" + user.id())).body(UserResource.of(user));
    }

    @PatchMapping("/{id}")
    UserResource update(@PathVariable String id, @RequestBody UserChanges changes) {
        return UserResource.of(this.users.update(id, changes));
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable String id) {
        this.users.delete(id);
        return ResponseEntity.noContent().build();
    }

    /** The REST twin of {@code WatchUserActivity}: the user's activity as Server-Sent Events. */
    @GetMapping(path = "/{id}/activity", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter watchActivity(@PathVariable String id) {
        SseEmitter emitter = new SseEmitter(0L);
        Subscription subscription = this.users.watchActivity(id, (activity) -> send(emitter,
                SseEmitter.event()
                    .name("activity")
                    .id(activity.resourceId() + "@" + activity.occurredAt().toEpochMilli())
                    .data(ActivityResource.of(activity), MediaType.APPLICATION_JSON)),
                emitter::complete);
        emitter.onCompletion(subscription::cancel);
        emitter.onTimeout(subscription::cancel);
        emitter.onError((ex) -> subscription.cancel());
        send(emitter, SseEmitter.event().comment("watching user " + id));
        return emitter;
    }

    private static void send(SseEmitter emitter, SseEmitter.SseEventBuilder event) {
        try {
            emitter.send(event);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("The activity stream's client went away", ex);
        }
    }

    /** One activity as JSON. */
    record ActivityResource(String userId, String activityType, String resourceId, Instant timestamp) {

        static ActivityResource of(Activity activity) {
            return new ActivityResource(activity.userId().toString(), activity.type(), activity.resourceId(),
                    activity.occurredAt());
        }

    }

    /** A user as JSON. */
    record UserResource(String id, String name, String email, List<String> roles, Instant createdAt,
            Instant updatedAt) {

        static UserResource of(User user) {
            return new UserResource(user.id().toString(), user.name(), user.email(),
                    user.roles().stream().map(Role::wireName).toList(), user.createdAt(), user.updatedAt());
        }

    }

    /** One page of users as JSON. */
    record UserPageResource(List<UserResource> users, @Nullable String nextPageToken) {
    }

}
