package dev.storefront.auth;

import java.time.Duration;

import dev.storefront.errors.PlatformEnvironment;
import org.junit.jupiter.api.Test;

import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** The service clients come from {@code SERVICE_CLIENTS}; secrets never show in a message. */
class ServiceClientsTests {

    @Test
    void clientsShouldAuthenticateWithTheirOwnSecretOnly() {
        ServiceClients clients = clients("gateway=a-secret-of-the-gateway, order-service=a-secret-of-orders-1", false);

        assertThat(clients.ids()).containsExactly("gateway", "order-service");
        assertThat(clients.authenticate("gateway", "a-secret-of-the-gateway")).isTrue();
        assertThat(clients.authenticate("order-service", "a-secret-of-orders-1")).isTrue();
        assertThat(clients.authenticate("gateway", "a-secret-of-orders-1")).isFalse();
        assertThat(clients.authenticate("gateway", "")).isFalse();
        assertThat(clients.authenticate("unknown", "a-secret-of-the-gateway")).isFalse();
        assertThat(clients.authenticate("unknown", "no client has this secret")).isFalse();
    }

    @Test
    void emptyListShouldAuthenticateNobody() {
        assertThat(clients("", false).authenticate("gateway", "anything-at-all-1234")).isFalse();
    }

    @Test
    void malformedEntriesShouldRefuseToStartWithoutShowingSecrets() {
        assertThatIllegalStateException().isThrownBy(() -> clients("gateway:a-secret-of-the-gateway", false))
            .withMessageContaining("entry 1 is not id=secret")
            .withMessageNotContaining("a-secret-of-the-gateway");
        assertThatIllegalStateException().isThrownBy(() -> clients("gateway=short", false))
            .withMessageContaining("'gateway' is shorter than 16")
            .withMessageNotContaining("short,");
        assertThatIllegalStateException()
            .isThrownBy(() -> clients("gateway=a-secret-of-the-gateway,gateway=another-secret-of-it", false))
            .withMessageContaining("twice");
    }

    @Test
    void developmentSecretsShouldRefuseToStartInProduction() {
        assertThatIllegalStateException()
            .isThrownBy(() -> clients("gateway=a-real-gateway-secret,order-service=dev-only-order-service-client-secret", true))
            .withMessageContaining("development secret of client 'order-service'")
            .withMessageNotContaining("dev-only-order-service-client-secret");
    }

    private static ServiceClients clients(String value, boolean production) {
        AuthProperties properties = new AuthProperties("storefront-auth", "storefront", Duration.ofMinutes(15),
                Duration.ofDays(7), Duration.ofMinutes(5), null, null, value, new AuthProperties.Admin(null, null),
                new AuthProperties.Login(5, Duration.ofMinutes(15)), new AuthProperties.UserService(Duration.ofSeconds(3)));
        return new ServiceClients(properties, new PlatformEnvironment(
                new MockEnvironment().withProperty("storefront.platform.env", production ? "production" : "development")));
    }

}
