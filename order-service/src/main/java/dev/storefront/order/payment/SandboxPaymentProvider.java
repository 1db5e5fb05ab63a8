package dev.storefront.order.payment;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A payment provider for development and tests whose outcome the payment method decides: {@code card}
 * succeeds, {@code card-declined} is declined, {@code card-flaky} fails transiently on its first
 * {@value #FLAKY_FAILURES} attempts per transaction id and then succeeds, {@code card-slow} succeeds but
 * answers only {@code slow-charge-delay} after the charge was recorded (so a worker can be killed in
 * between). It stands in for an external provider, so it keeps its charges in a table of its own
 * ({@code sandbox_charges}), written in a transaction of its own that commits whatever the caller's does:
 * a charge made is made, and a repeated charge with the same transaction id answers the first outcome.
 */
@Component
class SandboxPaymentProvider implements PaymentProvider {

    static final String CARD = "card";

    static final String CARD_DECLINED = "card-declined";

    static final String CARD_FLAKY = "card-flaky";

    static final String CARD_SLOW = "card-slow";

    /** Attempts of a {@code card-flaky} charge that fail before one succeeds. */
    static final int FLAKY_FAILURES = 2;

    private static final Logger logger = LoggerFactory.getLogger(SandboxPaymentProvider.class);

    private final JdbcClient jdbc;

    private final TransactionTemplate ownTransaction;

    private final Duration slowChargeDelay;

    SandboxPaymentProvider(JdbcClient jdbc, PlatformTransactionManager transactions,
            SandboxPaymentProperties properties) {
        this.jdbc = jdbc;
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.slowChargeDelay = properties.slowChargeDelay();
    }

    @Override
    public List<String> methods() {
        return List.of(CARD, CARD_DECLINED, CARD_FLAKY, CARD_SLOW);
    }

    @Override
    public PaymentResult charge(Charge charge) {
        Attempt attempt = this.ownTransaction.execute((status) -> attempt(charge));
        if (attempt == null) {
            throw new IllegalStateException("The sandbox charge " + charge.transactionId() + " was not recorded");
        }
        if (attempt.slow()) {
            pause();
        }
        if (attempt.result() == null) {
            throw new PaymentFailedTransiently(charge.transactionId(), attempt.number());
        }
        return attempt.result();
    }

    @Override
    public Optional<PaymentResult> outcomeOf(String transactionId) {
        return this.jdbc.sql("""
                SELECT status, decline_reason FROM sandbox_charges
                WHERE transaction_id = :transactionId AND status IN ('SUCCEEDED', 'DECLINED')
                """)
            .param("transactionId", transactionId)
            .query((rs, row) -> result(rs.getString("status"), rs.getString("decline_reason")))
            .optional();
    }

    /** Records one attempt of {@code charge} and decides it, in the provider's own transaction. */
    private Attempt attempt(Charge charge) {
        this.jdbc.sql("""
                INSERT INTO sandbox_charges (transaction_id, amount_cents, currency, payment_method, status)
                VALUES (:transactionId, :amountCents, :currency, :method, 'PENDING')
                ON CONFLICT (transaction_id) DO NOTHING
                """)
            .param("transactionId", charge.transactionId())
            .param("amountCents", charge.amountCents())
            .param("currency", charge.currency())
            .param("method", charge.method())
            .update();
        Recorded recorded = this.jdbc.sql("""
                SELECT amount_cents, currency, payment_method, status, attempts, decline_reason
                FROM sandbox_charges WHERE transaction_id = :transactionId FOR UPDATE
                """)
            .param("transactionId", charge.transactionId())
            .query((rs, row) -> new Recorded(rs.getLong("amount_cents"), rs.getString("currency"),
                    rs.getString("payment_method"), rs.getString("status"), rs.getInt("attempts"),
                    rs.getString("decline_reason")))
            .single();
        if (!"PENDING".equals(recorded.status())) {
            return new Attempt(recorded.attempts(), result(recorded.status(), recorded.declineReason()), false);
        }
        if (recorded.amountCents() != charge.amountCents() || !recorded.currency().equals(charge.currency())
                || !recorded.method().equals(charge.method())) {
            return new Attempt(recorded.attempts(),
                    PaymentResult.declined("The transaction id was already used for another charge"), false);
        }
        int number = recorded.attempts() + 1;
        Attempt attempt = switch (charge.method()) {
            case CARD -> new Attempt(number, PaymentResult.success(), false);
            case CARD_SLOW -> new Attempt(number, PaymentResult.success(), true);
            case CARD_DECLINED -> new Attempt(number, PaymentResult.declined("The card was declined"), false);
            case CARD_FLAKY -> new Attempt(number, (number <= FLAKY_FAILURES) ? null : PaymentResult.success(), false);
            default -> new Attempt(number, PaymentResult.declined("The payment method is not supported"), false);
        };
        String status = (attempt.result() == null) ? "PENDING" : attempt.result().succeeded() ? "SUCCEEDED" : "DECLINED";
        this.jdbc.sql("""
                UPDATE sandbox_charges
                SET status = :status, attempts = :attempts, decline_reason = :declineReason, updated_at = now()
                WHERE transaction_id = :transactionId
                """)
            .param("transactionId", charge.transactionId())
            .param("status", status)
            .param("attempts", number)
            .param("declineReason", (attempt.result() != null) ? attempt.result().declineReason() : null,
                    java.sql.Types.VARCHAR)
            .update();
        logger.info("Sandbox charge {} ({} {} by {}), attempt {}: {}", charge.transactionId(), charge.amountCents(),
                charge.currency(), charge.method(), number, status);
        return attempt;
    }

    private void pause() {
        try {
            Thread.sleep(this.slowChargeDelay.toMillis());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while the sandbox provider answered a slow charge", ex);
        }
    }

    private static PaymentResult result(String status, @Nullable String declineReason) {
        return "SUCCEEDED".equals(status) ? PaymentResult.success()
                : PaymentResult.declined((declineReason != null) ? declineReason : "The payment was declined");
    }

    /** One row of {@code sandbox_charges}. */
    private record Recorded(long amountCents, String currency, String method, String status, int attempts,
            @Nullable String declineReason) {
    }

    /**
     * The outcome of one attempt: its number, its final result ({@code null} for a transient failure),
     * and whether to answer slowly.
     */
    private record Attempt(int number, @Nullable PaymentResult result, boolean slow) {
    }

}
