package dev.storefront.order.payment;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import dev.storefront.order.support.OrderFlowTest;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/** The sandbox payment provider against PostgreSQL: outcomes by payment method, one charge per transaction id. */
@OrderFlowTest
class SandboxPaymentProviderIntegrationTests {

    private final PaymentProvider payments;

    private final JdbcClient jdbc;

    private final TransactionTemplate transaction;

    SandboxPaymentProviderIntegrationTests(PaymentProvider payments, JdbcClient jdbc, PlatformTransactionManager transactions) {
        this.payments = payments;
        this.jdbc = jdbc;
        this.transaction = new TransactionTemplate(transactions);
    }

    private static Charge charge(String method) {
        return new Charge("test-" + UUID.randomUUID(), 1250, "EUR", method);
    }

    private Map<String, Object> row(Charge charge) {
        return this.jdbc.sql("SELECT status, attempts, decline_reason FROM sandbox_charges WHERE transaction_id = :id")
            .param("id", charge.transactionId())
            .query()
            .singleRow();
    }

    private long rows(Charge charge) {
        return this.jdbc.sql("SELECT count(*) FROM sandbox_charges WHERE transaction_id = :id")
            .param("id", charge.transactionId())
            .query(Long.class)
            .single();
    }

    @Test
    void methodsShouldBeTheSandboxSet() {
        assertThat(this.payments.methods()).containsExactly("card", "card-declined", "card-flaky", "card-slow");
    }

    @Test
    void repeatedChargeWithTheSameTransactionIdShouldChargeOnceAndAnswerTheFirstOutcome() {
        Charge charge = charge("card");

        PaymentResult first = this.payments.charge(charge);
        PaymentResult again = this.payments.charge(charge);

        assertThat(first.succeeded()).isTrue();
        assertThat(again).isEqualTo(first);
        assertThat(rows(charge)).isEqualTo(1);
        assertThat(row(charge)).containsEntry("status", "SUCCEEDED").containsEntry("attempts", 1);
        assertThat(this.payments.outcomeOf(charge.transactionId())).contains(PaymentResult.success());
    }

    @Test
    void declinedChargeShouldStayDeclined() {
        Charge charge = charge("card-declined");

        assertThat(this.payments.charge(charge)).isEqualTo(PaymentResult.declined("The card was declined"));
        assertThat(this.payments.charge(charge).succeeded()).isFalse();
        assertThat(row(charge)).containsEntry("status", "DECLINED").containsEntry("attempts", 1);
    }

    @Test
    void flakyChargeShouldFailTransientlyTwicePerTransactionIdThenSucceed() {
        Charge charge = charge("card-flaky");

        assertThatExceptionOfType(PaymentFailedTransiently.class).isThrownBy(() -> this.payments.charge(charge));
        assertThat(this.payments.outcomeOf(charge.transactionId())).as("no final outcome yet").isEmpty();
        assertThatExceptionOfType(PaymentFailedTransiently.class).isThrownBy(() -> this.payments.charge(charge));
        assertThat(this.payments.charge(charge).succeeded()).isTrue();
        assertThat(this.payments.charge(charge).succeeded()).isTrue();

        assertThat(row(charge)).containsEntry("status", "SUCCEEDED").containsEntry("attempts", 3);
        Charge another = charge("card-flaky");
        assertThatExceptionOfType(PaymentFailedTransiently.class).as("counted per transaction id")
            .isThrownBy(() -> this.payments.charge(another));
    }

    @Test
    void chargeShouldBeRecordedEvenWhenTheCallersTransactionRollsBack() {
        Charge charge = charge("card");

        this.transaction.executeWithoutResult((status) -> {
            this.payments.charge(charge);
            status.setRollbackOnly();
        });

        assertThat(row(charge)).containsEntry("status", "SUCCEEDED");
    }

    @Test
    void slowChargeShouldBeRecordedBeforeItAnswers() {
        Charge charge = charge("card-slow");

        CompletableFuture<PaymentResult> answer = CompletableFuture.supplyAsync(() -> this.payments.charge(charge));

        await().atMost(Duration.ofSeconds(5)).until(() -> rows(charge) == 1 && "SUCCEEDED".equals(row(charge).get("status")));
        assertThat(answer).as("still pausing with the charge made").isNotDone();
        assertThat(answer.join().succeeded()).isTrue();
    }

    @Test
    void transactionIdReusedForAnotherAmountShouldBeDeclinedWithoutCharging() {
        Charge charge = charge("card-flaky");
        assertThatExceptionOfType(PaymentFailedTransiently.class).isThrownBy(() -> this.payments.charge(charge));

        PaymentResult other = this.payments.charge(new Charge(charge.transactionId(), 99, "EUR", "card-flaky"));

        assertThat(other.succeeded()).isFalse();
        assertThat(row(charge)).containsEntry("status", "PENDING").containsEntry("attempts", 1);
    }

}
