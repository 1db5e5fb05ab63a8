package dev.storefront.auth;

import java.util.Map;

import com.nimbusds.jwt.SignedJWT;
import dev.storefront.api.auth.v1.IssueServiceTokenRequest;
import dev.storefront.auth.support.AuthServiceTest;
import dev.storefront.auth.support.FakeUserService;
import dev.storefront.auth.support.GrpcCalls;
import dev.storefront.auth.support.RunInfrastructure;
import dev.storefront.testing.RestCalls;
import dev.storefront.testing.RestCalls.Answer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.grpc.test.autoconfigure.LocalGrpcServerPort;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Service tokens for known service clients, and the one auth-service signs for its own calls. */
@AuthServiceTest
class ServiceTokenIntegrationTests {

    private static final String GATEWAY_SECRET = "dev-only-gateway-client-secret";

    private final RestCalls rest;

    private final GrpcCalls grpc;

    private final FakeUserService users = RunInfrastructure.users();

    ServiceTokenIntegrationTests(@LocalServerPort int httpPort, @LocalGrpcServerPort int grpcPort) {
        this.rest = new RestCalls(httpPort);
        this.grpc = new GrpcCalls(grpcPort);
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        this.grpc.close();
    }

    @Test
    void knownClientShouldGetAServiceTokenOverRestAndGrpc() throws Exception {
        Answer answer = this.rest.post("/v1/auth/token", Map.of("clientId", "gateway", "clientSecret", GATEWAY_SECRET));
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("Cache-Control")).contains("no-store");
        assertThat(answer.text("tokenType")).isEqualTo("Bearer");
        assertThat(answer.body().get("expiresIn").asLong()).isEqualTo(300);
        var claims = SignedJWT.parse(answer.text("accessToken")).getJWTClaimsSet();
        assertThat(claims.getSubject()).isEqualTo("gateway");
        assertThat(claims.getStringListClaim("roles")).containsExactly("service");

        var token = this.grpc.auth()
            .issueServiceToken(IssueServiceTokenRequest.newBuilder().setClientId("order-service")
                .setClientSecret("dev-only-order-service-client-secret")
                .build());
        assertThat(SignedJWT.parse(token.getAccessToken()).getJWTClaimsSet().getSubject()).isEqualTo("order-service");
        assertThat(token.getExpiresIn()).isEqualTo(300);
    }

    @Test
    void wrongSecretOrUnknownClientShouldBeUnauthenticated() {
        Answer wrongSecret = this.rest.post("/v1/auth/token", Map.of("clientId", "gateway", "clientSecret", "guessed-secret-123"));
        assertThat(wrongSecret.status()).isEqualTo(401);
        assertThat(wrongSecret.text("code")).isEqualTo("UNAUTHENTICATED");
        assertThat(wrongSecret.text("detail")).isEqualTo("Invalid client credentials");
        Answer unknown = this.rest.post("/v1/auth/token", Map.of("clientId", "intruder", "clientSecret", GATEWAY_SECRET));
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(unknown.text("detail")).isEqualTo(wrongSecret.text("detail"));
        assertThat(this.rest.post("/v1/auth/token", Map.of()).status()).isEqualTo(401);

        assertThatExceptionOfType(StatusRuntimeException.class)
            .isThrownBy(() -> this.grpc.auth()
                .issueServiceToken(IssueServiceTokenRequest.newBuilder().setClientId("gateway").setClientSecret("nope").build()))
            .satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
    }

    @Test
    void callsToUserServiceShouldCarryAServiceTokenOfAuthService() throws Exception {
        String email = "carried-" + java.util.UUID.randomUUID() + "@example.com";
        this.rest.post("/v1/auth/register", Map.of("name", "Carried", "email", email, "password", "a long enough password"));

        FakeUserService.Call call = this.users.calls()
            .stream()
            .filter((c) -> c.request() instanceof dev.storefront.api.user.v1.CreateUserRequest create
                    && create.getEmail().equals(email))
            .findFirst()
            .orElseThrow();
        assertThat(call.authorization()).startsWith("Bearer ");
        var claims = SignedJWT.parse(call.authorization().substring("Bearer ".length())).getJWTClaimsSet();
        assertThat(claims.getSubject()).isEqualTo("auth-service");
        assertThat(claims.getStringListClaim("roles")).containsExactly("service");
        assertThat(claims.getIssuer()).isEqualTo("storefront-auth");
    }

}
