package dev.storefront.user.activity;

import java.io.IOException;
import java.time.Instant;

import dev.storefront.user.UserService;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** The REST twin of {@code WatchUserActivity}: a Server-Sent-Events stream of one user's activity. */
@RestController
class ActivityController {

    private final UserService users;

    private final ActivityFeed feed;

    ActivityController(UserService users, ActivityFeed feed) {
        this.users = users;
        this.feed = feed;
    }

    @GetMapping(path = "/v1/users/{id}/activity", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter watch(@PathVariable String id) {
        this.users.requireExists(id);
        SseEmitter emitter = new SseEmitter(0L);
        Subscription subscription = this.feed.subscribe(UserService.parseId(id), (activity) -> {
            try {
                emitter.send(SseEmitter.event()
                    .name("activity")
                    .id(activity.resourceId() + "@" + activity.occurredAt().toEpochMilli())
                    .data(ActivityResource.of(activity), MediaType.APPLICATION_JSON));
            }
            catch (IOException ex) {
                throw new IllegalStateException("The activity stream's client went away", ex);
            }
        }, emitter::complete);
        emitter.onCompletion(subscription::cancel);
        emitter.onTimeout(subscription::cancel);
        emitter.onError((ex) -> subscription.cancel());
        try {
            emitter.send(SseEmitter.event().comment("watching user " + id));
        }
        catch (IOException ex) {
            subscription.cancel();
        }
        return emitter;
    }

    /** One activity as JSON. */
    record ActivityResource(String userId, String activityType, String resourceId, Instant timestamp) {

        static ActivityResource of(Activity activity) {
            return new ActivityResource(activity.userId().toString(), activity.type(), activity.resourceId(),
                    activity.occurredAt());
        }

    }

}
