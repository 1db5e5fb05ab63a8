package dev.storefront.user;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import dev.storefront.api.user.v1.ListUsersRequest;
import dev.storefront.api.user.v1.ListUsersResponse;
import dev.storefront.testing.RestCalls;
import dev.storefront.testing.RestCalls.Answer;
import dev.storefront.user.support.GrpcCalls;
import dev.storefront.user.support.RunInfrastructure;
import dev.storefront.user.support.UserServiceTest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.grpc.test.autoconfigure.LocalGrpcServerPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Keyset paging with signed tokens, over both protocols, when many rows share one timestamp. */
@UserServiceTest
class UserPagingIntegrationTests {

    private final int httpPort;

    private final int grpcPort;

    private final UserRepository users;

    private final TransactionTemplate transactions;

    private final JdbcClient jdbc;

    private final RestCalls rest;

    private final GrpcCalls grpc;

    UserPagingIntegrationTests(@LocalServerPort int httpPort, @LocalGrpcServerPort int grpcPort, UserRepository users, TransactionTemplate transactions, JdbcClient jdbc) {
        this.httpPort = httpPort;
        this.grpcPort = grpcPort;
        this.users = users;
        this.transactions = transactions;
        this.jdbc = jdbc;
        this.rest = new RestCalls(httpPort).as(RunInfrastructure.adminToken());
        this.grpc = new GrpcCalls(grpcPort);
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        this.grpc.close();
    }

    @Test
    void usersCreatedInOneTransactionShouldPageWithoutGapsOrRepeats() {
        String batch = UUID.randomUUID().toString().substring(0, 8);
        List<String> created = this.transactions.execute((status) -> {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 120; i++) {
                ids.add(this.users
                    .insert(UUID.randomUUID(), "Paged " + i, "paged-" + batch + "-" + i + "@example.com", List.of(Role.CUSTOMER))
                    .id()
                    .toString());
            }
            return ids;
        });
        assertThat(this.jdbc.sql("SELECT count(DISTINCT created_at) FROM users WHERE email LIKE :pattern")
            .param("pattern", "paged-" + batch + "-%")
            .query(Long.class)
            .single()).as("all 120 rows share one timestamp").isEqualTo(1);

        List<String> viaGrpc = new ArrayList<>();
        String token = "";
        int pages = 0;
        do {
            ListUsersResponse page = this.grpc.users()
                .listUsers(ListUsersRequest.newBuilder().setPageSize(7).setPageToken(token).build());
            assertThat(page.getUsersCount()).isLessThanOrEqualTo(7);
            page.getUsersList().forEach((user) -> viaGrpc.add(user.getId()));
            token = page.getNextPageToken();
            pages++;
        }
        while (!token.isEmpty() && pages < 1000);

        List<String> viaRest = new ArrayList<>();
        token = "";
        do {
            Answer page = this.rest.get("/v1/users?pageSize=7" + (token.isEmpty() ? "" : "&pageToken=" + token));
            assertThat(page.status()).isEqualTo(200);
            page.body().get("users").forEach((user) -> viaRest.add(user.get("id").asString()));
            token = page.body().get("nextPageToken").asString();
        }
        while (!token.isEmpty() && viaRest.size() < 100_000);

        assertNoGapsOrRepeats(viaGrpc, created);
        assertNoGapsOrRepeats(viaRest, created);
        assertThat(viaRest).isEqualTo(viaGrpc);
    }

    private static void assertNoGapsOrRepeats(List<String> seen, List<String> created) {
        Set<String> unique = new HashSet<>(seen);
        assertThat(unique).as("no user repeated").hasSize(seen.size());
        assertThat(unique).as("no user missing").containsAll(created);
    }

    @Test
    void tamperedPageTokenShouldBeInvalidInputInBothProtocols() {
        for (int i = 0; i < 3; i++) {
            this.users.insert(UUID.randomUUID(), "Token " + i, "token-" + UUID.randomUUID() + "@example.com",
                    List.of(Role.CUSTOMER));
        }
        String token = this.grpc.users().listUsers(ListUsersRequest.newBuilder().setPageSize(1).build()).getNextPageToken();
        assertThat(token).isNotEmpty();
        int dot = token.indexOf('.');
        String alteredSignature = flip(token, dot + 10);
        String alteredCursor = flip(token, dot - 5);
        String forged = "djF8MHwwMDAwMDAwMC0wMDAwLTAwMDAtMDAwMC0wMDAwMDAwMDAwMDA." + token.substring(dot + 1);

        for (String bad : List.of(alteredSignature, alteredCursor, forged, "garbage")) {
            assertThatExceptionOfType(StatusRuntimeException.class)
                .isThrownBy(() -> this.grpc.users().listUsers(ListUsersRequest.newBuilder().setPageToken(bad).build()))
                .satisfies((ex) -> {
                    assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(GrpcCalls.reason(ex)).isEqualTo("INVALID_INPUT");
                });
            Answer answer = this.rest.get("/v1/users?pageToken=" + bad);
            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.body().get("code").asString()).isEqualTo("INVALID_INPUT");
        }
    }

    /** Changes one character in the middle of a base64url run (a full 6-bit group, never padding bits). */
    private static String flip(String token, int index) {
        char replacement = (token.charAt(index) == 'Q') ? 'R' : 'Q';
        return token.substring(0, index) + replacement + token.substring(index + 1);
    }

    @Test
    void pageSizeOutOfRangeShouldBeInvalidInput() {
        assertThat(this.rest.get("/v1/users?pageSize=101").status()).isEqualTo(400);
        assertThat(this.rest.get("/v1/users?pageSize=-1").status()).isEqualTo(400);
        assertThat(this.rest.get("/v1/users?pageSize=abc").status()).isEqualTo(400);
        assertThatExceptionOfType(StatusRuntimeException.class)
            .isThrownBy(() -> this.grpc.users().listUsers(ListUsersRequest.newBuilder().setPageSize(101).build()))
            .satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    }

}
