package dev.storefront.errors;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

class RequestAdmissionTests {

    @Test
    void withoutABoundEveryRequestShouldBeLetInAtOnce() {
        RequestAdmission admission = new RequestAdmission(new AdmissionProperties(0, Duration.ofMillis(1)));
        List<RequestAdmission.Permit> held = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            held.add(admission.admit(null));
        }
        assertThat(held).hasSize(1000);
    }

    @Test
    void requestBeyondTheBoundShouldWaitUntilOneIsAnswered() throws Exception {
        RequestAdmission admission = new RequestAdmission(new AdmissionProperties(1, Duration.ofSeconds(30)));
        RequestAdmission.Permit first = admission.admit(null);
        CompletableFuture<RequestAdmission.Permit> second = CompletableFuture.supplyAsync(() -> admission.admit(null));
        await().atMost(Duration.ofSeconds(10)).until(() -> admission.waiting() == 1);
        assertThat(second).isNotDone();

        first.close();

        assertThat(second.get(10, TimeUnit.SECONDS)).isNotNull();
        assertThat(admission.waiting()).isZero();
    }

    @Test
    void waitingRequestsShouldBeLetInInArrivalOrder() throws Exception {
        RequestAdmission admission = new RequestAdmission(new AdmissionProperties(1, Duration.ofSeconds(30)));
        RequestAdmission.Permit holder = admission.admit(null);
        List<Integer> admitted = new CopyOnWriteArrayList<>();
        List<CompletableFuture<Void>> waiting = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int arrival = i;
            waiting.add(CompletableFuture.runAsync(() -> {
                try (RequestAdmission.Permit permit = admission.admit(null)) {
                    admitted.add(arrival);
                }
            }, (task) -> new Thread(task).start()));
            await().atMost(Duration.ofSeconds(10)).until(() -> admission.waiting() == arrival + 1);
        }

        holder.close();

        CompletableFuture.allOf(waiting.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        assertThat(admitted).containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void requestWhoseTurnDoesNotComeInTimeShouldBeUnavailableAndRetryable() {
        RequestAdmission admission = new RequestAdmission(new AdmissionProperties(1, Duration.ofMillis(50)));
        admission.admit(null);

        StorefrontException busy = assertThatExceptionOfType(StorefrontException.class)
            .isThrownBy(() -> admission.admit(null))
            .actual();

        assertThat(busy.code()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(busy.retryable()).isTrue();
        assertThat(busy.getMessage()).isEqualTo("The service is busy; retry shortly");
        assertThat(admission.waiting()).as("a request that gave up no longer waits").isZero();
    }

    @Test
    void callerDeadlineShorterThanTheMaximumWaitShouldEndTheWait() {
        RequestAdmission admission = new RequestAdmission(new AdmissionProperties(1, Duration.ofMinutes(10)));
        admission.admit(null);

        CompletableFuture<RequestAdmission.Permit> late = CompletableFuture
            .supplyAsync(() -> admission.admit(Duration.ofMillis(50)));

        assertThat(late).failsWithin(Duration.ofMinutes(1))
            .withThrowableOfType(java.util.concurrent.ExecutionException.class)
            .havingCause()
            .isInstanceOf(StorefrontException.class);
    }

    @Test
    void permitClosedTwiceShouldLetOnlyOneRequestIn() {
        RequestAdmission admission = new RequestAdmission(new AdmissionProperties(1, Duration.ofMillis(50)));
        RequestAdmission.Permit permit = admission.admit(null);
        permit.close();
        permit.close();

        admission.admit(null);

        assertThatExceptionOfType(StorefrontException.class).isThrownBy(() -> admission.admit(null));
    }

}
