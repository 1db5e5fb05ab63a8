package dev.storefront.security;

import java.util.Set;
import java.util.UUID;

import dev.storefront.errors.ErrorCode;
import dev.storefront.errors.StorefrontException;
import io.grpc.Context;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class CurrentPrincipalTests {

    private static final UUID USER = UUID.randomUUID();

    @AfterEach
    void unbind() {
        CurrentPrincipal.restore(null);
    }

    @Test
    void withoutCallerGetShouldBeUnauthenticatedAndFindEmpty() {
        assertThat(CurrentPrincipal.find()).isEmpty();
        assertFails(CurrentPrincipal::get, ErrorCode.UNAUTHENTICATED, "Authentication is required.");
        assertFails(() -> CurrentPrincipal.requireRole(Principal.ADMIN), ErrorCode.UNAUTHENTICATED,
                "Authentication is required.");
    }

    @Test
    void boundCallerShouldBeFoundUntilRestored() {
        Principal customer = new Principal(USER.toString(), Set.of(Principal.CUSTOMER));
        Principal previous = CurrentPrincipal.bind(customer);

        assertThat(CurrentPrincipal.get()).isEqualTo(customer);

        CurrentPrincipal.restore(previous);
        assertThat(CurrentPrincipal.find()).isEmpty();
    }

    @Test
    void callerInTheGrpcContextShouldBeFound() throws Exception {
        Principal service = new Principal("order-service", Set.of(Principal.SERVICE));

        Principal seen = Context.current()
            .withValue(CurrentPrincipal.GRPC_CONTEXT_KEY, service)
            .call(CurrentPrincipal::get);

        assertThat(seen).isEqualTo(service);
        assertThat(CurrentPrincipal.find()).isEmpty();
    }

    @Test
    void requireRoleShouldPassWithAnyOfTheRolesAndOtherwiseBeDeniedNamingThem() {
        CurrentPrincipal.bind(new Principal(USER.toString(), Set.of(Principal.CUSTOMER)));

        CurrentPrincipal.requireRole(Principal.ADMIN, Principal.CUSTOMER);
        assertFails(() -> CurrentPrincipal.requireRole(Principal.ADMIN, Principal.SERVICE),
                ErrorCode.PERMISSION_DENIED, "This needs one of the roles: admin, service");
    }

    @Test
    void requireSelfOrRoleShouldPassForTheUserThemselvesOrTheRole() {
        CurrentPrincipal.bind(new Principal(USER.toString().toUpperCase(), Set.of(Principal.CUSTOMER)));
        CurrentPrincipal.requireSelfOrRole(USER, Principal.ADMIN);
        assertFails(() -> CurrentPrincipal.requireSelfOrRole(UUID.randomUUID(), Principal.ADMIN),
                ErrorCode.PERMISSION_DENIED, "This is only allowed for the user themselves or the roles: admin");

        CurrentPrincipal.bind(new Principal("billing-service", Set.of(Principal.SERVICE)));
        CurrentPrincipal.requireSelfOrRole(USER, Principal.ADMIN, Principal.SERVICE);
        assertFails(() -> CurrentPrincipal.requireSelfOrRole(USER), ErrorCode.PERMISSION_DENIED,
                "This is only allowed for the user themselves");
    }

    @Test
    void userIdOfAServiceTokenShouldBeUnauthenticated() {
        Principal service = new Principal("order-service", Set.of(Principal.SERVICE));

        assertThat(service.isService()).isTrue();
        assertFails(service::userId, ErrorCode.UNAUTHENTICATED, "This needs a user's access token");
        assertFails(() -> new Principal("1-1-1-1-1", Set.of()).userId(), ErrorCode.UNAUTHENTICATED,
                "This needs a user's access token");
        assertThat(new Principal(USER.toString(), Set.of()).userId()).isEqualTo(USER);
    }

    private static void assertFails(Runnable action, ErrorCode code, String message) {
        assertThatExceptionOfType(StorefrontException.class).isThrownBy(action::run)
            .satisfies((error) -> assertThat(error.code()).isEqualTo(code))
            .withMessage(message);
    }

}
