package dev.storefront.order.tasks;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TaskTopologyTests {

    private final TaskTopology topology = new TaskTopology(
            List.of(Duration.ofSeconds(5), Duration.ofMillis(250), Duration.ofSeconds(1), Duration.ofMillis(50)));

    @Test
    void dueTaskShouldGoToTheWorkQueue() {
        assertThat(this.topology.queueFor(Duration.ZERO)).isEqualTo("storefront.tasks");
        assertThat(this.topology.queueFor(Duration.ofMillis(-30))).isEqualTo("storefront.tasks");
    }

    @Test
    void waitShouldTakeTheLongestTierThatDoesNotOvershootIt() {
        assertThat(this.topology.queueFor(Duration.ofMillis(1500))).isEqualTo("storefront.tasks.delay.1000");
        assertThat(this.topology.queueFor(Duration.ofMillis(1000))).isEqualTo("storefront.tasks.delay.1000");
        assertThat(this.topology.queueFor(Duration.ofMillis(999))).isEqualTo("storefront.tasks.delay.250");
        assertThat(this.topology.queueFor(Duration.ofHours(3))).isEqualTo("storefront.tasks.delay.5000");
    }

    @Test
    void waitShorterThanEveryTierShouldTakeTheShortestSoTheTaskIsLateRatherThanEarly() {
        assertThat(this.topology.queueFor(Duration.ofMillis(3))).isEqualTo("storefront.tasks.delay.50");
    }

    @Test
    void delayQueuesShouldBeNamedByTheirWaitShortestFirst() {
        assertThat(this.topology.delayQueues()).containsExactly("storefront.tasks.delay.50",
                "storefront.tasks.delay.250", "storefront.tasks.delay.1000", "storefront.tasks.delay.5000");
    }

}
