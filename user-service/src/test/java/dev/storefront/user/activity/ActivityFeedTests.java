package dev.storefront.user.activity;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.support.StaticListableBeanFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ActivityFeedTests {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private final ActivityFeed feed = new ActivityFeed(new StaticListableBeanFactory(java.util.Map.of("meters", this.meters)).getBeanProvider(
                    io.micrometer.core.instrument.MeterRegistry.class));

    @AfterEach
    void closeWatchers() {
        this.feed.stop();
    }

    private static Activity activity(UUID userId, int n) {
        return new Activity(userId, "user.updated", "resource-" + n, Instant.EPOCH.plusSeconds(n));
    }

    @Test
    void activitiesShouldReachOnlyTheirUsersWatchersInOrder() {
        UUID ada = UUID.randomUUID();
        UUID bob = UUID.randomUUID();
        List<String> adaSeen = new CopyOnWriteArrayList<>();
        List<String> bobSeen = new CopyOnWriteArrayList<>();
        this.feed.subscribe(ada, (activity) -> adaSeen.add(activity.resourceId()), () -> {
        });
        this.feed.subscribe(bob, (activity) -> bobSeen.add(activity.resourceId()), () -> {
        });

        IntStream.range(0, 100).forEach((n) -> this.feed.publish(activity(ada, n)));
        this.feed.publish(activity(bob, 1000));

        await().atMost(Duration.ofSeconds(5)).until(() -> adaSeen.size() == 100 && bobSeen.size() == 1);
        assertThat(adaSeen).containsExactlyElementsOf(IntStream.range(0, 100).mapToObj((n) -> "resource-" + n).toList());
        assertThat(bobSeen).containsExactly("resource-1000");
    }

    @Test
    void aWatcherFarBehindShouldBeClosedWithoutHoldingUpOthers() throws Exception {
        UUID user = UUID.randomUUID();
        CountDownLatch slowClient = new CountDownLatch(1);
        CountDownLatch slowClosed = new CountDownLatch(1);
        AtomicInteger fastSeen = new AtomicInteger();
        this.feed.subscribe(user, (activity) -> {
            try {
                slowClient.await();
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }, slowClosed::countDown);
        this.feed.subscribe(user, (activity) -> fastSeen.incrementAndGet(), () -> {
        });

        int published = ActivityFeed.MAX_PENDING + 10;
        for (int n = 0; n < published; n++) {
            this.feed.publish(activity(user, n));
            int expected = n + 1;
            // the fast client keeps up with each activity while the slow one does not read at all
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(1)).until(() -> fastSeen.get() == expected);
        }

        slowClient.countDown();
        assertThat(slowClosed.await(5, TimeUnit.SECONDS)).as("slow watcher closed").isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> this.feed.watcherCount() == 1);
        assertThat(this.meters.counter("user.activity.watchers.dropped").count()).isEqualTo(1);
    }

    @Test
    void aWatcherShouldEndAfterItsUsersDeletion() throws Exception {
        UUID user = UUID.randomUUID();
        List<String> seen = new CopyOnWriteArrayList<>();
        CountDownLatch closed = new CountDownLatch(1);
        this.feed.subscribe(user, (activity) -> seen.add(activity.type()), closed::countDown);

        this.feed.publish(activity(user, 1));
        this.feed.publish(new Activity(user, "user.deleted", user.toString(), Instant.EPOCH));

        assertThat(closed.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(seen).containsExactly("user.updated", "user.deleted");
        assertThat(this.feed.watcherCount()).isZero();
    }

    @Test
    void aWatcherWhoseClientFailsShouldBeClosed() throws Exception {
        UUID user = UUID.randomUUID();
        CountDownLatch closed = new CountDownLatch(1);
        this.feed.subscribe(user, (activity) -> {
            throw new IllegalStateException("client gone");
        }, closed::countDown);

        this.feed.publish(activity(user, 1));

        assertThat(closed.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(this.feed.watcherCount()).isZero();
    }

    @Test
    void cancelledWatcherShouldReceiveNothingMore() {
        UUID user = UUID.randomUUID();
        List<String> seen = new CopyOnWriteArrayList<>();
        Subscription subscription = this.feed.subscribe(user, (activity) -> seen.add(activity.resourceId()), () -> {
        });
        this.feed.publish(activity(user, 1));
        await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 1);

        subscription.cancel();
        this.feed.publish(activity(user, 2));

        assertThat(this.feed.watcherCount()).isZero();
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> seen.size() == 1);
    }

    @Test
    void stopShouldCloseEveryWatcherOnce() {
        AtomicInteger closed = new AtomicInteger();
        this.feed.start();
        this.feed.subscribe(UUID.randomUUID(), (activity) -> {
        }, closed::incrementAndGet);
        this.feed.subscribe(UUID.randomUUID(), (activity) -> {
        }, closed::incrementAndGet);

        this.feed.stop();
        this.feed.stop();

        assertThat(closed.get()).isEqualTo(2);
        assertThat(this.feed.watcherCount()).isZero();
        assertThat(this.meters.get("user.activity.watchers").gauge().value()).isZero();
    }

}
